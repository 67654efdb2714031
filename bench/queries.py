#!/usr/bin/env python3
"""Benchmark queries with ground truth, from an independent scan of the corpus.

Draws a deterministic query set from the notes themselves (classes: katakana,
kanji, kanji_katakana, hiragana, single_cjk, english_word, acronym,
english_phrase, mixed, fullwidth, halfwidth) and known-item queries aimed at
one passage, and computes for each the files and passages that match under
the matching contract of tests/oracle/contract.py -- never with mlsearch's C
code. `mlsearch dump` only tells which passages exist (their text and
context strings); whether a passage matches is decided here.

Usage:
  queries.py --corpus DIR --passages DUMP.jsonl --out queries.json
             [--seed 1] [--per-class 30] [--known-items 120]
  queries.py --self-test
"""
import argparse
import bisect
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'tests', 'oracle'))
from contract import (CJK_RANGES, HALF_KANA, dump_path, fullwidth, is_cjk, is_word,  # noqa: E402
                      join_cjk, normalize, occurs, query_kind, runs)

CLASSES = ['katakana', 'kanji', 'kanji_katakana', 'hiragana', 'single_cjk',
           'english_word', 'acronym', 'english_phrase', 'mixed', 'fullwidth',
           'halfwidth']

# What mlsearch reads (indexer/crawl.c, indexer/indexer.c): these names,
# hidden names skipped, links to files followed, links to folders not;
# empty files, files over 16 MiB and files with a NUL in their first 8000
# bytes are skipped.
NOTE_EXTENSIONS = ('.md', '.markdown', '.txt')
MAX_NOTE_BYTES = 16777216
BINARY_SNIFF_BYTES = 8000

STOP = set('''the and for are but not you all any can had her was one our out has
him his how its may new now old see two who did get let put say she too use
that with this from they will would there their what about which when make like
time just know take into year your some could them than then look only come over
also back after work first well even want because these give most been were
more such here other each many must should where does used using while both
same very through about above below between under again further once only own
able via per yes'''.split())

# --------------------------------------------------------------------------
# Fast equivalents of the contract's character classes, derived from it.
# A query that is all word characters matches (contract.occurs) exactly where
# it is a maximal run of word characters, so word matching is token lookup;
# the regular expressions below only make the scan fast, and --self-test
# checks them against is_word / is_cjk on every code point.


def _ranges(pred, candidates):
    out, lo, prev = [], None, None
    for cp in candidates:
        if pred(cp):
            if lo is None:
                lo = cp
            elif cp != prev + 1:
                out.append((lo, prev))
                lo = cp
            prev = cp
    if lo is not None:
        out.append((lo, prev))
    return out


def _cls(ranges):
    return ''.join('\\U%08x-\\U%08x' % r if r[0] != r[1] else '\\U%08x' % r[0]
                   for r in ranges)


def _word_ranges():
    cat = unicodedata.category
    return _ranges(lambda cp: cat(chr(cp))[0] in 'LNM' and is_word(chr(cp)),
                   range(0x110000))


WORD_CLASS = _cls(_word_ranges())
CJK_CLASS = _cls(CJK_RANGES)
WORD_RE = re.compile('[%s]+' % WORD_CLASS)
CJK_RE = re.compile('[%s]+' % CJK_CLASS)
# Sub-classes used only to pick queries (their truth uses the contract).
KATA = '\u30a1-\u30fa\u30fc'
HIRA = '\u3041-\u3096'
KANJI = '\u3005\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff'
KATA_RE = re.compile('[%s]+' % KATA)
HIRA_RE = re.compile('[%s]+' % HIRA)
KANJI_RE = re.compile('[%s]+' % KANJI)
KK_RE = re.compile('[%s%s]+' % (KANJI, KATA))
# Word boundaries of these are checked with is_word (see bounded()).
ACRONYM_RE = re.compile('[A-Z]{2,6}')
PHRASE_RE = re.compile('([a-z]{3,20}) ([a-z]{3,20})')
MIXED_WC_RE = re.compile('([A-Za-z][A-Za-z0-9]{1,19})([%s%s]{2,})' % (KANJI, KATA))
MIXED_CW_RE = re.compile('([%s%s]{2,})([A-Za-z][A-Za-z0-9]{1,19})' % (KANJI, KATA))
ASCII_WORD_RE = re.compile('[A-Za-z]{2,6}')
SEP = '\0'  # between strings in one big haystack: neither word nor CJK


def bounded(rx, s, left=True, right=True):
    """Matches of rx in s with no word character right before (left) and
    right after (right) them."""
    for m in rx.finditer(s):
        a, b = m.span()
        if (not left or a == 0 or not is_word(s[a - 1])) and \
           (not right or b == len(s) or not is_word(s[b])):
            yield m


def is_gap(c):
    return c != SEP and not is_word(c) and not is_cjk(c)

# --------------------------------------------------------------------------
# Matching.
#
# Single-term queries (every class but english_phrase and mixed, and every
# known-item term): contract.occurs(normalize(q), query_kind(...), text).
# All matching runs on join_cjk(normalize(text)), computed once per file and
# per passage string: for a CJK term that is exactly what occurs() does, and
# for a word term it changes nothing, as join_cjk only removes marks and line
# breaks lying between two CJK characters, never next to a word character.
#
# Compound queries (english_phrase "package manager", mixed "debianパッケージ"
# or "設定file"): the normalized query is split into segments, each a maximal
# run of word characters or of CJK characters. A text matches when the
# segments occur in order, each as the contract has it (a word segment as a
# whole word: no word character right before or after it; a CJK segment as a
# substring of the join_cjk'd text, so its outer end may fall inside a CJK
# run), and between two consecutive segments there is only a "gap" of
# characters that are neither word nor CJK characters (spaces, punctuation,
# Markdown marks), holding at most one line break -- the gap may be empty
# between a word and a CJK segment ("Debianパッケージ", "Debian パッケージ",
# "**Debian** パッケージ" all match "debianパッケージ"); two words always have
# a non-empty gap, since the first must end at a non-word character. So
# "package manager" matches "package-manager" and "package\nmanager" but not
# "package, the manager", nor across a blank line.


def segments(qn):
    """Normalized query -> [(kind, segment)]; None if it has other characters."""
    segs = []
    for m in re.finditer('(%s)|(%s)|(\\s+)' % (WORD_RE.pattern, CJK_RE.pattern), qn):
        if m.group(1):
            segs.append(('word', m.group(1)))
        elif m.group(2):
            segs.append(('cjk', m.group(2)))
    if ''.join(s for _, s in segs) != ''.join(qn.split()):
        return None
    return segs


def term_in(qn, kind, sj):
    """contract.occurs on a join_cjk'd normalized string (see above)."""
    if kind == 'cjk':
        return qn in sj
    return occurs(qn, 'word', sj)


def _line_breaks(gap):
    return gap.count('\n') + gap.count('\r') - gap.count('\r\n')


def compound_in(segs, sj):
    """Do the segments occur in sj in order, separated only by gaps?"""
    kind0, first = segs[0]
    n = len(sj)
    start = sj.find(first)
    while start >= 0:
        end = start + len(first)
        ok = kind0 == 'cjk' or (
            (start == 0 or not is_word(sj[start - 1])) and (end == n or not is_word(sj[end])))
        pos = end
        for kind, seg in segs[1:]:
            if not ok:
                break
            j = pos
            while j < n and is_gap(sj[j]):
                j += 1
            e = j + len(seg)
            ok = _line_breaks(sj[pos:j]) <= 1 and sj.startswith(seg, j) and (
                kind == 'cjk' or e == n or not is_word(sj[e]))
            pos = e
        if ok:
            return True
        start = sj.find(first, start + 1)
    return False

# --------------------------------------------------------------------------
# Loading the corpus.


def strip_front_matter(text):
    """Blanks a YAML front-matter block as indexer/markdown.c does: a first
    line '---' (trailing blanks allowed), a next line that is not empty, up to
    a line '---' or '...'; every character but line ends becomes a space."""
    n = len(text)
    if n < 4 or not text.startswith('---'):
        return text
    i = 3
    while i < n and text[i] in ' \t':
        i += 1
    if i == n or text[i] not in '\r\n':
        return text
    nxt = i + 1 + (text[i] == '\r' and i + 1 < n and text[i + 1] == '\n')
    if nxt >= n or text[nxt] in '\r\n':
        return text
    line = i + 1
    while line < n:
        eol = line
        while eol < n and text[eol] not in '\r\n':
            eol += 1
        if text[line:eol].rstrip(' \t') in ('---', '...'):
            return re.sub('[^\r\n]', ' ', text[:eol]) + text[eol:]
        line = eol + 1 if eol < n else n
    return text


def note_paths(root):
    for d, dirs, files in os.walk(root):
        dirs[:] = sorted(x for x in dirs if not x.startswith('.'))
        for name in sorted(files):
            if name.startswith('.') or not name.lower().endswith(NOTE_EXTENSIONS):
                continue
            path = os.path.join(d, name)
            if os.path.isfile(path):  # follows links to files
                yield path


def read_note(path):
    with open(path, 'rb') as f:
        data = f.read()
    if not data or len(data) > MAX_NOTE_BYTES or b'\0' in data[:BINARY_SNIFF_BYTES]:
        return None
    return strip_front_matter(data.decode('utf-8', 'replace'))


class Corpus:
    """Files: normalized, join_cjk'd text and word set, each kept in memory."""

    def __init__(self, root):
        self.root = root
        self.paths, self.texts, self.words = [], [], []
        for path in note_paths(root):
            text = read_note(path)
            if text is None:
                continue
            sj = join_cjk(normalize(text))
            self.paths.append(os.path.relpath(path, root))
            self.texts.append(sj)
            self.words.append(set(WORD_RE.findall(sj)))

    def match(self, qn):
        kind = query_kind(qn)
        idx = range(len(self.paths))
        if kind == 'word':
            hit = [i for i in idx if qn in self.words[i]]
        elif kind == 'cjk':
            hit = [i for i in idx if qn in self.texts[i]]
        else:
            segs = segments(qn)
            words = [s for k, s in segs if k == 'word']
            hit = [i for i in idx if all(w in self.words[i] for w in words)
                   and compound_in(segs, self.texts[i])]
        return sorted(self.paths[i] for i in hit)


class Passages:
    """Passages of the dump. Their strings (text, headings, items) are
    deduplicated, normalized and join_cjk'd once, and concatenated with SEP
    into one haystack for CJK scans; words get an inverted index."""

    def __init__(self, dump_file, root):
        roots = {os.path.abspath(root), os.path.realpath(root)}
        sid_of = {}
        self.raw, self.keys, self.sids, self.text_len = [], [], [], []
        with open(dump_file, encoding='utf-8') as f:
            for line in f:
                if not line.strip():
                    continue
                obj = json.loads(line)
                path = dump_path(obj)
                rel = None
                for r in roots:
                    rp = os.path.relpath(path, r)
                    if not rp.startswith('..'):
                        rel = rp
                        break
                if rel is None:
                    continue
                strings = [obj.get('text', '')] + list(obj.get('headings') or []) \
                    + list(obj.get('items') or [])
                ids = []
                for s in strings:
                    sid = sid_of.get(s)
                    if sid is None:
                        sid = sid_of[s] = len(self.raw)
                        self.raw.append(s)
                    if sid not in ids:
                        ids.append(sid)
                self.keys.append((rel, int(obj['line'])))
                self.sids.append(ids)
        del sid_of
        self.sj = []
        for s in self.raw:
            sn = normalize(s)
            self.text_len.append(len(sn))
            self.sj.append(join_cjk(sn).replace(SEP, '\x01') if CJK_RE.search(sn)
                           else sn.replace(SEP, '\x01'))
        self.owners = [[] for _ in self.raw]  # sid -> passages holding it
        for pid, ids in enumerate(self.sids):
            for sid in ids:
                self.owners[sid].append(pid)
        self.starts, pos = [], 0
        for s in self.sj:
            self.starts.append(pos)
            pos += len(s) + 1
        self.big = SEP.join(self.sj)
        self.postings = defaultdict(list)  # word -> sids
        for sid, s in enumerate(self.sj):
            for w in set(WORD_RE.findall(s)):
                self.postings[w].append(sid)
        self.cjk_big = SEP.join(CJK_RE.findall(self.big))  # for CJK counts

    def cjk_sids(self, qn):
        out, starts, big = [], self.starts, self.big
        i = big.find(qn)
        while i >= 0:
            sid = bisect.bisect_right(starts, i) - 1
            out.append(sid)
            i = big.find(qn, starts[sid + 1]) if sid + 1 < len(starts) else -1
        return out

    def term_sids(self, qn, kind):
        return list(self.postings.get(qn, ())) if kind == 'word' else self.cjk_sids(qn)

    def pids(self, sids):
        out = set()
        for sid in sids:
            out.update(self.owners[sid])
        return out

    def match(self, qn):
        kind = query_kind(qn)
        if kind:
            sids = self.term_sids(qn, kind)
        else:
            segs = segments(qn)
            words = [s for k, s in segs if k == 'word']
            if words:
                cand = set(self.postings.get(words[0], ()))
                for w in words[1:]:
                    cand &= set(self.postings.get(w, ()))
            else:
                cand = set(self.cjk_sids(segs[0][1]))
            sids = [sid for sid in cand if compound_in(segs, self.sj[sid])]
        return sorted(self.keys[p] for p in self.pids(sids))

    def passage_has(self, pid, qn, kind):
        return any(term_in(qn, kind, self.sj[sid]) for sid in self.sids[pid])

# --------------------------------------------------------------------------
# Drawing the class queries.


def stratified(pool, n, rng, cap):
    """n distinct terms from pool {term: count}: ~20% rare (count <= 2),
    ~30% frequent (top tenth of the rest), the rest in between; terms counted
    more than cap times are left out (too common to be informative)."""
    items = sorted((c, t) for t, c in pool.items() if c <= cap)
    rare = [t for c, t in items if c <= 2]
    rest = [t for c, t in items if c > 2]
    cut = len(rest) - max(1, len(rest) // 10)
    mid, freq = rest[:cut], rest[cut:]
    want = [(rare, round(n * 0.2)), (freq, round(n * 0.3))]
    want.append((mid, n - sum(k for _, k in want)))
    chosen = []
    for group, k in want:
        chosen += rng.sample(group, min(k, len(group)))
    left = sorted(set(t for _, t in items) - set(chosen))
    chosen += rng.sample(left, min(n - len(chosen), len(left)))
    rng.shuffle(chosen)
    return chosen


def class_pools(P):
    """{class: {candidate query: count}} from the passage strings."""
    big = P.big
    pools = {}
    runs_of = lambda rx: Counter(rx.findall(big))
    kata = runs_of(KATA_RE)
    pools['katakana'] = {t: c for t, c in kata.items()
                         if 2 <= len(t) <= 8 and t[0] != 'ー'}
    pools['kanji'] = {t: c for t, c in runs_of(KANJI_RE).items() if 2 <= len(t) <= 4}
    pools['kanji_katakana'] = {
        t: c for t, c in runs_of(KK_RE).items()
        if 3 <= len(t) <= 10 and t[0] != 'ー' and KANJI_RE.search(t) and KATA_RE.search(t)}
    pools['hiragana'] = {t: c for t, c in runs_of(HIRA_RE).items() if 2 <= len(t) <= 5}
    pools['single_cjk'] = dict(Counter(P.cjk_big.replace(SEP, '')))
    pools['english_word'] = {w: len(s) for w, s in P.postings.items()
                             if len(w) >= 3 and w.isascii() and w.isalpha()
                             and w not in STOP}
    raw = SEP.join(P.raw)
    # Acronyms as they appear, ALL-CAPS; leaving out words mostly written in
    # lower case (TITLE, COLOR): kept if the all-caps form makes at least a
    # quarter of the word's occurrences.
    upper = Counter(m.group() for m in bounded(ACRONYM_RE, raw))
    anycase = Counter(m.group().lower() for m in bounded(ASCII_WORD_RE, raw))
    pools['acronym'] = {t: c for t, c in upper.items()
                        if t.lower() not in STOP and c >= anycase[t.lower()] / 4}
    phrases = Counter(m.groups() for m in bounded(PHRASE_RE, big))
    pools['english_phrase'] = {'%s %s' % p: c for p, c in phrases.items()
                               if p[0] not in STOP and p[1] not in STOP}
    # A Latin word right before or after a run of kanji / katakana, as they
    # appear in the raw text (capitals kept); at most 8 CJK characters.
    mixed = Counter()
    for m in bounded(MIXED_WC_RE, raw, right=False):
        mixed[m.group(1) + m.group(2)[:8]] += 1
    for m in bounded(MIXED_CW_RE, raw, left=False):
        mixed[m.group(1)[-8:] + m.group(2)] += 1
    pools['mixed'] = dict(mixed)
    ascii_words = {w: c for w, c in pools['english_word'].items()}
    ascii_words.update(pools['acronym'])
    pools['fullwidth'] = ascii_words
    pools['halfwidth'] = {t: c for t, c in pools['katakana'].items()
                          if all(ch in HALF_KANA for ch in t)}
    return pools


def to_query(cls, term):
    if cls == 'fullwidth':
        return fullwidth(term)
    if cls == 'halfwidth':
        return ''.join(HALF_KANA[c] for c in term)
    return term


def class_queries(P, per_class, seed):
    pools = class_pools(P)
    n_pass = len(P.keys)
    caps = {'english_word': n_pass // 100, 'hiragana': n_pass // 50}
    out, seen = [], set()
    for cls in CLASSES:
        rng = random.Random('%s:%s' % (seed, cls))
        pool = {t: c for t, c in pools[cls].items() if to_query(cls, t) not in seen}
        terms = stratified(pool, per_class, rng, caps.get(cls, max(50, n_pass // 20)))
        for i, t in enumerate(terms, 1):
            q = to_query(cls, t)
            seen.add(q)
            out.append({'id': '%s-%02d' % (cls, i), 'class': cls, 'query': q})
    return out

# --------------------------------------------------------------------------
# Known items.


def ki_candidates(P, sid):
    """(term, kind, position, count) candidates from a passage's own text:
    its words of >= 3 characters (not numbers, not stop words), and CJK
    pieces that read as words: a kanji run of 2-4 characters (of a longer
    run, its first and last 2-4 characters), a katakana run of 2-8
    characters. count is a cheap rarity estimate: the number of distinct
    passage strings holding the word, the occurrences of the CJK piece."""
    text = P.sj[sid]
    cands = {}
    for m in WORD_RE.finditer(text):
        w = m.group()
        if len(w) >= 3 and not w.isdigit() and w not in STOP and w not in cands \
                and normalize(w) == w:
            cands[w] = ('word', m.start(), len(P.postings.get(w, ())))
    pieces = []
    for m in KANJI_RE.finditer(text):
        r, a = m.group(), m.start()
        if len(r) <= 4:
            pieces.append((r, a))
        else:
            pieces += [(r[:L], a) for L in (2, 3, 4)]
            pieces += [(r[-L:], m.end() - L) for L in (2, 3, 4)]
    for m in KATA_RE.finditer(text):
        r = m.group()
        if 2 <= len(r) <= 8 and r[0] != 'ー':
            pieces.append((r, m.start()))
    for s, pos in pieces[:80]:
        if len(s) >= 2 and s not in cands and normalize(s) == s:
            cands[s] = ('cjk', pos, P.cjk_big.count(s))
    return [(t, k, p, c) for t, (k, p, c) in cands.items()]


def known_items(P, n, seed):
    rng = random.Random('%s:known-items' % seed)
    eligible = [pid for pid, ids in enumerate(P.sids) if P.text_len[ids[0]] >= 40]
    rng.shuffle(eligible)
    out, used = [], set()
    for pid in eligible:
        if len(out) >= n:
            break
        cands = ki_candidates(P, P.sids[pid][0])
        if len(cands) < 2:
            continue
        cands.sort(key=lambda x: (x[3], rng.random()))
        for _ in range(5):
            k = rng.choice((2, 3, 4))
            pool = cands[:max(6, k + 2)]
            chosen = []
            for t in rng.sample(pool, len(pool)):
                span = range(t[2], t[2] + len(t[0]))
                if all(t[0] not in c[0] and c[0] not in t[0] and
                       (t[1] == 'word' or c[1] == 'word' or
                        not set(span) & set(range(c[2], c[2] + len(c[0]))))
                       for c in chosen):
                    chosen.append(t)
                if len(chosen) == k:
                    break
            if len(chosen) < 2:
                continue
            chosen.sort(key=lambda x: x[3])
            first = chosen[0]
            cand = P.pids(P.term_sids(first[0], first[1]))
            if len(cand) > 20000:
                continue
            hits = [p for p in cand
                    if all(P.passage_has(p, t, kind) for t, kind, _, _ in chosen[1:])]
            assert pid in hits, (P.keys[pid], chosen)
            if len(hits) <= 3:
                query = ' '.join(t for t, _, _, _ in sorted(chosen, key=lambda x: x[2]))
                if query in used:
                    continue
                used.add(query)
                out.append({'id': 'ki-%03d' % (len(out) + 1), 'query': query,
                            'target': list(P.keys[pid]), 'matching_passages': len(hits)})
                break
    return out

# --------------------------------------------------------------------------


def build(corpus_dir, dump_file, seed, per_class, n_known, log=None):
    log = log or (lambda msg: None)
    t0 = time.time()
    C = Corpus(corpus_dir)
    log('read %d files in %.1fs' % (len(C.paths), time.time() - t0))
    t = time.time()
    P = Passages(dump_file, corpus_dir)
    log('read %d passages (%d distinct strings) in %.1fs'
        % (len(P.keys), len(P.sj), time.time() - t))
    t = time.time()
    queries = class_queries(P, per_class, seed)
    log('drew %d queries in %.1fs' % (len(queries), time.time() - t))
    t = time.time()
    for q in queries:
        qn = normalize(q['query'])
        assert query_kind(qn) or segments(qn), q
        q['truth_files'] = C.match(qn)
        q['truth_passages'] = [list(k) for k in P.match(qn)]
    log('ground truth in %.1fs' % (time.time() - t))
    t = time.time()
    kis = known_items(P, n_known, seed)
    log('%d known items in %.1fs' % (len(kis), time.time() - t))
    return {'seed': seed, 'corpus_files': len(C.paths), 'passages': len(P.keys),
            'queries': queries, 'known_items': kis}


def summary(data):
    lines = ['%-15s %7s %12s %15s %9s' % ('class', 'queries', 'median files',
                                         'median passages', 'no hits')]
    for cls in CLASSES:
        qs = [q for q in data['queries'] if q['class'] == cls]
        if not qs:
            continue
        lines.append('%-15s %7d %12g %15g %9d' % (
            cls, len(qs), statistics.median(len(q['truth_files']) for q in qs),
            statistics.median(len(q['truth_passages']) for q in qs),
            sum(1 for q in qs if not q['truth_files'])))
    ki = data['known_items']
    if ki:
        lines.append('known items: %d (matching passages: %s)' % (
            len(ki), dict(sorted(Counter(k['matching_passages'] for k in ki).items()))))
    return '\n'.join(lines)

# --------------------------------------------------------------------------


def self_test():
    # The fast classes agree with the contract on every code point.
    for cp in range(0x110000):
        c = chr(cp)
        if 0xD800 <= cp <= 0xDFFF:
            continue
        assert bool(WORD_RE.fullmatch(c)) == is_word(c), hex(cp)
        assert bool(CJK_RE.fullmatch(c)) == is_cjk(c), hex(cp)
    samples = ['ML活用 and ml_x, html', '**推論**サーバー\n  > を起動', 'Straße ＡＭＬ',
               'パッケージ管理システム apt-get で', 'ｻｰﾊﾞｰ x\u0301y 2024年']
    for s in samples:
        sn = normalize(s)
        sj = join_cjk(sn)
        assert WORD_RE.findall(sj) == runs(sn, is_word), s
        assert CJK_RE.findall(sn) == runs(sn, is_cjk), s
        for q in runs(sn, is_word) + [r[i:i + 2] for r in runs(sn, is_cjk)
                                      for i in range(len(r) - 1)] + ['ml', 'サ', 'sse']:
            assert term_in(q, query_kind(q), sj) == occurs(q, query_kind(q), sn), (q, s)
    # Compound matcher.
    m = lambda q, s: compound_in(segments(normalize(q)), join_cjk(normalize(s)))
    assert m('package manager', 'a Package Manager.') and m('package manager', 'package-manager')
    assert m('package manager', 'package\n  manager') and m('package manager', 'package_manager')
    assert not m('package manager', 'package\n\nmanager')
    assert not m('package manager', 'packages manager') and not m('package manager', 'package managers')
    assert not m('package manager', 'package, the manager') and not m('package manager', 'package 管 manager')
    assert m('Debianパッケージ', 'debian パッケージ') and m('Debianパッケージ', '**Debian**パッケージを')
    assert m('debianパッケージ', 'Debianパッケージ管理') and not m('debianパッケージ', 'xdebianパッケージ')
    assert not m('debianパッケージ', 'Debianのパッケージ') and m('設定file', 'の設定 file')
    assert m('設定file', '設**定**file') and not m('設定file', '設定files')
    assert segments('debianパッケージ') == [('word', 'debian'), ('cjk', 'パッケージ')]
    assert segments('package manager') == [('word', 'package'), ('word', 'manager')]
    assert segments('c++') is None
    # Front matter, as indexer/markdown.c.
    fm = '---\ntitle: kestrel\n...\nbody\n'
    assert strip_front_matter(fm) == '   \n              \n   \nbody\n'
    assert strip_front_matter('---\n\ntext\n---\n') == '---\n\ntext\n---\n'
    assert strip_front_matter('--- \r\na: b\r\n---  \r\nx') == '    \r\n    \r\n     \r\nx'
    assert strip_front_matter('---\na: b\nno end\n') == '---\na: b\nno end\n'
    # End to end on a small tree, with a hand-written dump.
    with tempfile.TemporaryDirectory() as d:
        root = os.path.join(d, 'notes')
        os.makedirs(os.path.join(root, 'sub'))
        os.makedirs(os.path.join(root, '.git'))
        files = {
            'a.md': '# APT の使い方\n\nDebianパッケージは **パッケージ**管理\nシステムで扱う。\n\n'
                    '- the package manager\n  - ＡＰＴ is used\n',
            'sub/b.md': '---\ntitle: ｻｰﾊﾞｰ kestrel\n---\n設定ファイルを編集する。apt-get を使う\n',
            'sub/c.markdown': 'package managers and the Package\nmanager, サーバー\n',
            '.git/x.md': 'APT パッケージ\n',
            'skip.bin.md': 'AP\0T',
        }
        for name, text in files.items():
            with open(os.path.join(root, name), 'w', encoding='utf-8') as f:
                f.write(text)
        dump = [
            ('a.md', 1, 'heading', [], [], '# APT の使い方'),
            ('a.md', 3, 'paragraph', ['APT の使い方'], [],
             'Debianパッケージは **パッケージ**管理\nシステムで扱う。'),
            ('a.md', 6, 'paragraph', ['APT の使い方'], [], 'the package manager'),
            ('a.md', 7, 'paragraph', ['APT の使い方'], ['the package manager'], 'ＡＰＴ is used'),
            ('sub/b.md', 4, 'paragraph', [], [], '設定ファイルを編集する。apt-get を使う'),
            ('sub/c.markdown', 1, 'paragraph', [], [],
             'package managers and the Package\nmanager, サーバー'),
        ]
        dump_file = os.path.join(d, 'dump.jsonl')
        with open(dump_file, 'w', encoding='utf-8') as f:
            for rel, line, kind, heads, items, text in dump:
                f.write(json.dumps({'path': os.path.join(root, rel), 'line': line,
                                    'column': 1, 'end_line': line, 'kind': kind,
                                    'headings': heads, 'items': items, 'text': text},
                                   ensure_ascii=False) + '\n')
        C = Corpus(root)
        P = Passages(dump_file, root)
        assert C.paths == ['a.md', 'sub/b.md', 'sub/c.markdown'], C.paths
        assert C.match('apt') == ['a.md', 'sub/b.md']
        assert C.match(normalize('ｻｰﾊﾞｰ')) == ['sub/c.markdown']  # b.md: front matter
        assert C.match('kestrel') == []
        assert C.match('パッケージ管理システム') == ['a.md']
        assert C.match('package manager') == ['a.md', 'sub/c.markdown']
        assert C.match('debianパッケージ') == ['a.md']
        assert P.match('apt') == [('a.md', 1), ('a.md', 3), ('a.md', 6), ('a.md', 7),
                                  ('sub/b.md', 4)]
        assert P.match('package manager') == [('a.md', 6), ('a.md', 7), ('sub/c.markdown', 1)]
        assert P.match('パッケージ管理システム') == [('a.md', 3)]
        assert P.match('を') == [('sub/b.md', 4)]
        assert P.match('manager') == [('a.md', 6), ('a.md', 7), ('sub/c.markdown', 1)]
        data = build(root, dump_file, 1, 3, 2)
        for q in data['queries']:
            assert query_kind(normalize(q['query'])) or segments(normalize(q['query']))
        for k in data['known_items']:
            assert 1 <= k['matching_passages'] <= 3
        json.dumps(data)
    print('self-test ok')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--corpus')
    ap.add_argument('--passages', help='output of `mlsearch dump` for an index of --corpus')
    ap.add_argument('--out')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--per-class', type=int, default=30)
    ap.add_argument('--known-items', type=int, default=120)
    ap.add_argument('--self-test', action='store_true')
    args = ap.parse_args()
    if args.self_test:
        self_test()
        return 0
    if not (args.corpus and args.passages and args.out):
        ap.error('--corpus, --passages and --out are required')
    started = time.time()
    log = lambda msg: print('queries: ' + msg, file=sys.stderr, flush=True)
    data = build(args.corpus, args.passages, args.seed, args.per_class,
                 args.known_items, log)
    text = json.dumps(data, ensure_ascii=False, separators=(',', ':'))
    try:
        text.encode('utf-8')
    except UnicodeEncodeError:  # a file name that is not UTF-8: escape it
        text = json.dumps(data, separators=(',', ':'))
    with open(args.out, 'w', encoding='utf-8') as f:
        f.write(text)
    print(summary(data))
    log('%d files, %d passages, %d queries, %d known items in %.1fs' % (
        data['corpus_files'], data['passages'], len(data['queries']),
        len(data['known_items']), time.time() - started))
    return 0


if __name__ == '__main__':
    sys.exit(main())
