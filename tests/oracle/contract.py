"""The matching contract of mlsearch, written independently of its C code.

Shared by the exactness oracle (tests/oracle/exactness.py) and the
benchmark's ground truth (bench/), so that both judge mlsearch and its peers
by one definition:

  * normalize(s) = NFKC(casefold(NFKC(s)))
  * a CJK query (every char CJK) matches as a plain substring, after the
    Markdown that can sit unseen inside a CJK word is taken out from between
    two CJK characters: emphasis and code marks (* _ ~ `) and one line break
    with the next line's indent and '>' quote marks;
  * a word query (every char a word char) matches only as a whole word.
"""
import base64
import os
import re
import unicodedata

# --------------------------------------------------------------------------
# Character classes and normalization (the contract under test).

CJK_RANGES = [
    (0x1100, 0x11FF), (0x2E80, 0x2FDF), (0x3005, 0x3007), (0x3021, 0x3029),
    (0x3031, 0x3035), (0x3038, 0x303C), (0x3041, 0x309F), (0x30A1, 0x30FA),
    (0x30FC, 0x30FF), (0x3105, 0x312F), (0x3131, 0x318E), (0x31A0, 0x31BF),
    (0x31F0, 0x31FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xA960, 0xA97F),
    (0xAC00, 0xD7FF), (0xF900, 0xFAFF), (0x1B000, 0x1B16F), (0x20000, 0x3134F),
]


def is_cjk(c):
    cp = ord(c)
    return any(lo <= cp <= hi for lo, hi in CJK_RANGES)


def is_word(c):
    return not is_cjk(c) and unicodedata.category(c)[0] in 'LNM'


def normalize(s):
    return unicodedata.normalize('NFKC', unicodedata.normalize('NFKC', s).casefold())


def query_kind(qn):
    """'cjk', 'word' or None (unsupported) for an already-normalized query."""
    if qn and all(is_cjk(c) for c in qn):
        return 'cjk'
    if qn and all(is_word(c) for c in qn):
        return 'word'
    return None


_CJK_CLASS = ''.join('\\U%08x-\\U%08x' % r for r in CJK_RANGES)
_BRIDGE = re.compile('(?<=[%s])[*_~`]*(?:(?:\r\n|\n|\r)[ \t>]*[*_~`]*)?(?=[%s])'
                     % (_CJK_CLASS, _CJK_CLASS))


def join_cjk(sn):
    """sn with the Markdown between two CJK characters taken out."""
    return _BRIDGE.sub('', sn)


def occurs(qn, kind, sn):
    """Does normalized query qn occur in normalized string sn?"""
    if kind == 'cjk':
        return qn in join_cjk(sn)
    start = sn.find(qn)
    while start >= 0:
        end = start + len(qn)
        if (start == 0 or not is_word(sn[start - 1])) and \
           (end == len(sn) or not is_word(sn[end])):
            return True
        start = sn.find(qn, start + 1)
    return False


def runs(s, pred):
    """Maximal runs of characters satisfying pred."""
    out, cur = [], []
    for c in s + '\0':
        if c != '\0' and pred(c):
            cur.append(c)
        elif cur:
            out.append(''.join(cur))
            cur = []
    return out

# --------------------------------------------------------------------------
# Width variants.


def fullwidth(word):
    """ASCII -> full-width forms (U+FF01..U+FF5E); None if not pure ASCII."""
    if not all(0x21 <= ord(c) <= 0x7E for c in word):
        return None
    return ''.join(chr(ord(c) + 0xFEE0) for c in word)


def _halfwidth_kana_table():
    """Full-width katakana -> half-width, derived from Unicode data.

    Plain kana come from the NFKC mappings of U+FF66..U+FF9D (ｦ..ﾝ, ｰ);
    voiced / semi-voiced kana become base + ﾞ (U+FF9E) / ﾟ (U+FF9F),
    e.g. バ -> ﾊﾞ, パ -> ﾊﾟ, ヴ -> ｳﾞ.
    """
    table = {}
    for cp in range(0xFF66, 0xFF9E):
        full = unicodedata.normalize('NFKC', chr(cp))
        if len(full) == 1 and is_cjk(full):
            table[full] = chr(cp)
    for cp in range(0x30A1, 0x30FB):
        c = chr(cp)
        d = unicodedata.normalize('NFD', c)
        if c not in table and len(d) == 2 and d[0] in table:
            mark = {'\u3099': '\uFF9E', '\u309A': '\uFF9F'}.get(d[1])
            if mark:
                table[c] = table[d[0]] + mark
    return table


HALF_KANA = _halfwidth_kana_table()


def dump_path(obj):
    """The file path of a passage from `mlsearch dump`: a string, or
    ripgrep's {"bytes": base64} for a file name that is not UTF-8."""
    path = obj['path']
    if isinstance(path, dict):
        path = os.fsdecode(base64.b64decode(path['bytes']))
    return path
