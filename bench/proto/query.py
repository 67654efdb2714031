"""Query latency and exactness of the built models.

    /usr/bin/python3 query.py [MODEL ...]     latency (writes OUT/MODEL.query.json)
    /usr/bin/python3 query.py --check         exactness: NOTE/SPLIT vs CUR

Queries are a simple syntax: words separated by spaces are ANDed, "..."
is a phrase; a CJK word is a phrase of its bigrams (as mlsearch's query
parser makes it: the open run's last unigram dropped).  No stems, no
katakana variants, no tags, no path filters, in any model (so the models
are compared on the same work).  Context (headings, enclosing items) is
used by the top-10 search of every model, as mlsearch does today: a unit
matches a passage in its own text, or (weighted 0.4) in its context.
"""
import bisect
import json
import lzma
import math
import os
import re
import statistics
import sys
import time

import xapian
import zlib

from common import OUT, XZ_FILTERS, Tokenizer, get_varint, unzigzag

QUERIES = [
    # English, rare
    "ncurses", "kerberos", "selinux", "xinetd", "futex", "quota",
    # English, common
    "the", "file", "system", "function", "debian", "error",
    # Japanese words (phrases of bigrams)
    "推論", "関数", "引数", "設定", "翻訳", "権限",
    "構造体", "カーネル", "文字列", "パッケージ", "ソケット", "スレッド",
    "インストール", "ライブラリ", "ディレクトリ", "設定ファイル", "セキュリティ", "環境変数",
    # two-word AND
    "apt install", "signal handler", "パッケージ 削除", "ファイル 権限", "kernel module",
    "mutex pthread", "socket エラー",
    # quoted phrases
    '"file descriptor"', '"system call"', '"mount point"', '"user space"',
    '"設定ファイル"', '"the kernel"',
]
CHECK_QUERIES = QUERIES[::2][:20]

K1, B = 1.2, 0.75
CONTEXT_WEIGHT = 0.4

_tok = None


def tok():
    global _tok
    if _tok is None:
        _tok = Tokenizer()
    return _tok


def parse(q):
    """The query's units: each a list of terms (one term, or a phrase)."""
    units = []
    for m in re.finditer(r'"([^"]*)"|(\S+)', q):
        piece = (m.group(1) if m.group(1) is not None else m.group(2)).encode()
        toks = [(p[0], p[1:]) for p in tok().raw(piece)]
        if len(toks) >= 2 and toks[-1][0] == 117 and toks[-2][0] == 98:  # 'u' after 'b'
            toks.pop()
        if toks:
            units.append([t for _, t in toks])
    return units


def unit_query(u, prefix=b""):
    if len(u) == 1:
        return xapian.Query(prefix + u[0])
    return xapian.Query(xapian.Query.OP_PHRASE, [xapian.Query(prefix + t) for t in u], len(u))


def and_query(qs):
    return qs[0] if len(qs) == 1 else xapian.Query(xapian.Query.OP_AND, qs)


def filtered(q, term):
    return xapian.Query(xapian.Query.OP_FILTER, q, xapian.Query(term))


def scaled(q, w):
    return xapian.Query(xapian.Query.OP_SCALE_WEIGHT, q, w)


def open_db(model):
    path = os.path.join(OUT, model)
    if model == "REAL":  # mlsearch's own index, as built by the binary
        import glob
        path = glob.glob("/tmp/proto-cur/gen-*")[0]
    return xapian.Database(path)


def family(model):
    if model in ("CUR", "REAL"):
        return "CUR"
    if model.startswith("SPLIT"):
        return "SPLIT"
    if model.startswith("NOTE+text+ctx"):
        return "NOTEC"
    return "NOTE"


# ------------------------------------------------------------------ CUR
def cur_query(units, context=True):
    qs = []
    for u in units:
        q = unit_query(u)
        if context:
            ctx = xapian.Query(xapian.Query.OP_OR, unit_query(u, b"XH"), unit_query(u, b"XC"))
            q = xapian.Query(xapian.Query.OP_OR, q, scaled(ctx, CONTEXT_WEIGHT))
        qs.append(q)
    return filtered(and_query(qs), b"XTpassage")


def cur_path(data):
    f = data.split(b"\0", 4)
    return f[1], int(f[2]), int(f[3])


def cur_top(db, units, k=10):
    enq = xapian.Enquire(db)
    enq.set_query(cur_query(units))
    enq.set_collapse_key(0)
    out = []
    for m in enq.get_mset(0, k):
        data = m.document.get_data()
        out.append((m.weight, cur_path(data), data[-60:]))
    return out, {}


def cur_files(db, units):
    enq = xapian.Enquire(db)
    enq.set_query(cur_query(units))
    enq.set_weighting_scheme(xapian.BoolWeight())
    seen = set()
    for m in enq.get_mset(0, db.get_doccount()):
        seen.add(cur_path(m.document.get_data())[0])
    return seen


def cur_exact(db, units, context=False):
    enq = xapian.Enquire(db)
    enq.set_query(cur_query(units, context=context))
    enq.set_weighting_scheme(xapian.BoolWeight())
    return {cur_path(m.document.get_data()) for m in enq.get_mset(0, db.get_doccount())}


# ------------------------------------------------------------------ NOTE
class Table:
    __slots__ = ("path", "kind", "parent", "line", "column", "offset", "length", "first",
                 "nterms", "text_at")


def decode_table(data, gap):
    t = Table()
    z = data.index(b"\0", 6)
    t.path = data[6:z]
    i = z + 1
    for _ in range(9):  # manifest fields
        _, i = get_varint(data, i)
    n, i = get_varint(data, i)
    kind, parent, line, column, offset, length, first, nterms = ([0] * n for _ in range(8))
    prev_line = prev_end = pos = 0
    for j in range(n):
        v, i = get_varint(data, i)
        kind[j] = v & 3
        parent[j] = j - (v >> 2) if v >> 2 else -1
        v, i = get_varint(data, i)
        line[j] = prev_line = prev_line + unzigzag(v)
        column[j], i = get_varint(data, i)
        _, i = get_varint(data, i)  # end_line - line
        v, i = get_varint(data, i)
        offset[j] = prev_end + unzigzag(v)
        length[j], i = get_varint(data, i)
        prev_end = offset[j] + length[j]
        nterms[j], i = get_varint(data, i)
        first[j] = pos
        pos += nterms[j] + gap
    t.kind, t.parent, t.line, t.column, t.offset, t.length, t.first, t.nterms = (
        kind, parent, line, column, offset, length, first, nterms)
    t.text_at = i  # passage texts (NOTE+text) follow the table
    return t


def unit_positions(db, did, u):
    first = list(db.positionlist(did, u[0]))
    if len(u) == 1:
        return first
    rest = [set(db.positionlist(did, t)) for t in u[1:]]
    return [p for p in first if all(p + i + 1 in s for i, s in enumerate(rest))]


def note_passages(db, did, units, t, idfs, avglen, context):
    """[(score, passage index)] of the note's passages that match."""
    nunits = len(units)
    own = {}
    tf = {}
    firsts = t.first
    for ui, u in enumerate(units):
        bit = 1 << ui
        for pos in unit_positions(db, did, u):
            pi = bisect.bisect_right(firsts, pos) - 1
            own[pi] = own.get(pi, 0) | bit
            tf[pi, ui] = tf.get((pi, ui), 0) + 1
    full = (1 << nunits) - 1
    out = []
    if not context:
        cands = [(pi, 0) for pi, m in own.items() if m == full]
    else:
        if not own:
            return out
        anc = [0] * len(firsts)
        parent = t.parent
        cands = []
        for i in range(min(own), len(firsts)):
            p = parent[i]
            if p >= 0:
                anc[i] = anc[p] | own.get(p, 0)
            if (own.get(i, 0) | anc[i]) == full:
                cands.append((i, anc[i] & ~own.get(i, 0)))
    for pi, ctx_only in cands:
        s = 0.0
        norm = K1 * (1 - B + B * t.nterms[pi] / avglen)
        for ui in range(nunits):
            f = tf.get((pi, ui))
            if f:
                s += idfs[ui] * f * (K1 + 1) / (f + norm)
            elif ctx_only >> ui & 1:
                s += CONTEXT_WEIGHT * idfs[ui]
        out.append((s, pi))
    return out


def note_idfs(db, units):
    n = db.get_doccount()
    return [min(math.log(1 + n / max(1, db.get_termfreq(x))) for x in u) for u in units]


def note_gap(db):
    return int(db.get_metadata(b"gap") or 100)


def note_avglen(db):
    return float(db.get_metadata(b"avg_passage_len") or 30)


def note_top(db, units, k=10, with_text=False, min_notes=0):
    gap, avglen = note_gap(db), note_avglen(db)
    idfs = note_idfs(db, units)
    enq = xapian.Enquire(db)
    enq.set_query(and_query([unit_query(u) for u in units]))
    got = []
    read = 0
    start = 0
    tables = {}
    while len(got) < k or read < min_notes:
        mset = enq.get_mset(start, 10)
        if mset.empty():
            break
        for m in mset:
            data = m.document.get_data()
            t = decode_table(data, gap)
            read += 1
            tables[m.docid] = (t, data)
            for s, pi in note_passages(db, m.docid, units, t, idfs, avglen, True):
                got.append((s, m.docid, pi))
            if len(got) >= k and read >= min_notes:
                break
        start += 10
    got.sort(reverse=True)
    out = []
    for s, did, pi in got[:k]:
        t, data = tables[did]
        if with_text:  # the texts follow the table, one after another
            at = t.text_at + sum(t.length[:pi])
            text = data[at:at + t.length[pi]]
        else:
            with open(t.path, "rb") as f:
                f.seek(t.offset[pi])
                text = f.read(t.length[pi])
        out.append((s, (t.path, t.line[pi], t.column[pi]), text[-60:]))
    return out, {"notes_read": read}


def note_files(db, units):
    enq = xapian.Enquire(db)
    enq.set_query(and_query([unit_query(u) for u in units]))
    enq.set_weighting_scheme(xapian.BoolWeight())
    return {m.document.get_value(1) for m in enq.get_mset(0, db.get_doccount())}


def note_files_exact(db, units):
    """-l with today's answer: a note is listed only if one of its passages
    matches (all units in its text or context); one unit: no positions."""
    if len(units) == 1:
        return note_files(db, units)
    gap = note_gap(db)
    enq = xapian.Enquire(db)
    enq.set_query(and_query([unit_query(u) for u in units]))
    enq.set_weighting_scheme(xapian.BoolWeight())
    out = set()
    idfs = [1.0] * len(units)
    for m in enq.get_mset(0, db.get_doccount()):
        data = m.document.get_data()
        t = decode_table(data, gap)
        if note_passages(db, m.docid, units, t, idfs, 30.0, True):
            out.add(t.path)
    return out


def note_exact(db, units, context=False):
    gap = note_gap(db)
    enq = xapian.Enquire(db)
    enq.set_query(and_query([unit_query(u) for u in units]))
    enq.set_weighting_scheme(xapian.BoolWeight())
    out = set()
    idfs = [1.0] * len(units)
    for m in enq.get_mset(0, db.get_doccount()):
        t = decode_table(m.document.get_data(), gap)
        for _, pi in note_passages(db, m.docid, units, t, idfs, 30.0, context):
            out.add((t.path, t.line[pi], t.column[pi]))
    return out


# ------------------------------------------------------------------ NOTE+text+ctx
class CtxRecord:
    __slots__ = ("path", "cfirst", "cend", "ckind", "pfirst", "pend", "nterms", "line",
                 "column", "ctx", "text_at", "text_len", "data", "end")


def decode_ctx(data, refs=False, value=False, slim=False):
    """build_note_ctx's record: contexts then passages (note_record.c's
    layout after magic, path and manifest varints).  Passage texts are
    located (text_at, text_len) in the data, or (value: texts elsewhere, the
    record holds their lengths) in the NUL-separated texts (value slot 2,
    or the compressed blob that follows the record at r.end)."""
    r = CtxRecord()
    r.data = data
    z = data.index(b"\0", 6)
    r.path = data[6:z]
    i = z + 1
    for _ in range(9):
        _, i = get_varint(data, i)
    nc, i = get_varint(data, i)
    cfirst, cend, ckind = [0] * nc, [0] * nc, [0] * nc
    end = 0
    tpos = 0  # value: where the next text starts in the texts
    for j in range(nc):
        ckind[j], i = get_varint(data, i)
        d, i = get_varint(data, i)
        cfirst[j] = end + d
        n, i = get_varint(data, i)
        cend[j] = end = cfirst[j] + n
        ln, i = get_varint(data, i)
        if refs:
            if ln == 0:  # passage, start, length
                for _ in range(3):
                    _, i = get_varint(data, i)
            else:
                i += ln  # ln - 1 bytes and the NUL
        elif not value:
            i += ln + 1
        else:
            tpos += ln + 1
    np_, i = get_varint(data, i)
    pfirst, pend, line, column, ctx = [0] * np_, [0] * np_, [0] * np_, [0] * np_, [None] * np_
    text_at, text_len = [0] * np_, [0] * np_
    end = 0
    prev_end_line = 0
    c = []
    for j in range(np_):
        v, i = get_varint(data, i)  # kind (| same contexts << 2)
        same = slim and v >> 2
        if slim:
            d, i = get_varint(data, i)
            line[j] = prev_end_line + unzigzag(d)
        else:
            line[j], i = get_varint(data, i)
        column[j], i = get_varint(data, i)
        d, i = get_varint(data, i)  # end_line - line
        prev_end_line = line[j] + d
        d, i = get_varint(data, i)
        pfirst[j] = end + d
        n, i = get_varint(data, i)
        pend[j] = end = pfirst[j] + n
        if not same:
            c = []
            for _ in range(2):
                k, i = get_varint(data, i)
                for _ in range(k):
                    v, i = get_varint(data, i)
                    c.append(v)
        ctx[j] = c
        text_len[j], i = get_varint(data, i)
        if not value:
            text_at[j] = i
            i += text_len[j] + 1
        else:
            text_at[j] = tpos
            tpos += text_len[j] + 1
    r.end = i
    r.cfirst, r.cend, r.ckind, r.pfirst, r.pend = cfirst, cend, ckind, pfirst, pend
    r.nterms = [e - f for f, e in zip(pfirst, pend)]
    r.line, r.column, r.ctx, r.text_at, r.text_len = line, column, ctx, text_at, text_len
    return r


class CtxDb:
    """How a NOTE+text+ctx database's records read."""

    def __init__(self, db):
        rec = db.get_metadata(b"record")
        self.refs = rec.startswith(b"ctx-refs")
        self.slim = rec.endswith(b"-slim")
        self.text_in = db.get_metadata(b"text_in").decode() or "data"
        self.value = self.text_in != "data"
        self.avglen = note_avglen(db)


def notec_passages(db, did, units, r, idfs, avglen, context):
    """[(score, passage index)] of the note's passages that match: each
    unit in the passage's own positions, or (context) in the positions of
    one of its context strings."""
    nunits = len(units)
    own = {}
    tf = {}
    cm = {}
    pfirst, pend, cfirst, cend = r.pfirst, r.pend, r.cfirst, r.cend
    for ui, u in enumerate(units):
        bit = 1 << ui
        for pos in unit_positions(db, did, u):
            pi = bisect.bisect_right(pfirst, pos) - 1
            if pi >= 0 and pos < pend[pi]:
                own[pi] = own.get(pi, 0) | bit
                tf[pi, ui] = tf.get((pi, ui), 0) + 1
            if context and cfirst:
                ci = bisect.bisect_right(cfirst, pos) - 1
                if ci >= 0 and pos < cend[ci]:
                    cm[ci] = cm.get(ci, 0) | bit
    full = (1 << nunits) - 1
    out = []
    if not cm:
        cands = [(pi, 0) for pi, m in own.items() if m == full]
    else:
        cands = []
        for i, cs in enumerate(r.ctx):
            m = own.get(i, 0)
            c = 0
            for x in cs:
                c |= cm.get(x, 0)
            if (m | c) == full:
                cands.append((i, c & ~m))
    for pi, ctx_only in cands:
        s = 0.0
        norm = K1 * (1 - B + B * r.nterms[pi] / avglen)
        for ui in range(nunits):
            f = tf.get((pi, ui))
            if f:
                s += idfs[ui] * f * (K1 + 1) / (f + norm)
            elif ctx_only >> ui & 1:
                s += CONTEXT_WEIGHT * idfs[ui]
        out.append((s, pi))
    return out


def notec_top(db, units, k=10):
    cd = CtxDb(db)
    idfs = note_idfs(db, units)
    enq = xapian.Enquire(db)
    enq.set_query(and_query([unit_query(u) for u in units]))
    got = []
    read = 0
    start = 0
    recs = {}
    while len(got) < k:
        mset = enq.get_mset(start, 10)
        if mset.empty():
            break
        for m in mset:
            doc = m.document
            r = decode_ctx(doc.get_data(), cd.refs, cd.value, cd.slim)
            read += 1
            recs[m.docid] = (r, doc)
            for s, pi in notec_passages(db, m.docid, units, r, idfs, cd.avglen, True):
                got.append((s, m.docid, pi))
            if len(got) >= k:
                break
        start += 10
    got.sort(reverse=True)
    out = []
    for s, did, pi in got[:k]:
        r, doc = recs[did]
        if cd.value:  # texts one after another, NUL-terminated, elsewhere
            v = texts_of(cd, r, doc)
            text = v[r.text_at[pi]:r.text_at[pi] + r.text_len[pi]]
        else:
            text = r.data[r.text_at[pi]:r.text_at[pi] + r.text_len[pi]]
        out.append((s, (r.path, r.line[pi], r.column[pi]), text[-60:]))
    return out, {"notes_read": read}


def texts_of(cd, r, doc):
    if cd.text_in == "value":
        return doc.get_value(2)
    if cd.text_in == "xz":
        return lzma.decompress(r.data[r.end:], format=lzma.FORMAT_RAW,
                               filters=XZ_FILTERS)
    return zlib.decompress(r.data[r.end:], -15)


def notec_files_exact(db, units):
    if len(units) == 1:
        return note_files(db, units)
    cd = CtxDb(db)
    enq = xapian.Enquire(db)
    enq.set_query(and_query([unit_query(u) for u in units]))
    enq.set_weighting_scheme(xapian.BoolWeight())
    out = set()
    idfs = [1.0] * len(units)
    for m in enq.get_mset(0, db.get_doccount()):
        r = decode_ctx(m.document.get_data(), cd.refs, cd.value, cd.slim)
        if notec_passages(db, m.docid, units, r, idfs, 30.0, True):
            out.add(r.path)
    return out


def notec_exact(db, units, context=False):
    cd = CtxDb(db)
    enq = xapian.Enquire(db)
    enq.set_query(and_query([unit_query(u) for u in units]))
    enq.set_weighting_scheme(xapian.BoolWeight())
    out = set()
    idfs = [1.0] * len(units)
    for m in enq.get_mset(0, db.get_doccount()):
        r = decode_ctx(m.document.get_data(), cd.refs, cd.value, cd.slim)
        for _, pi in notec_passages(db, m.docid, units, r, idfs, 30.0, context):
            out.add((r.path, r.line[pi], r.column[pi]))
    return out


# ------------------------------------------------------------------ SPLIT
def split_query(db, units, context=True):
    qs = []
    for u in units:
        q = unit_query(u)
        if context:
            enq = xapian.Enquire(db)
            enq.set_query(filtered(q, b"XTcontext"))
            enq.set_weighting_scheme(xapian.BoolWeight())
            ids = [m.docid for m in enq.get_mset(0, db.get_doccount())]
            if ids:
                ctx = xapian.Query(xapian.Query.OP_OR, [xapian.Query(b"XS%d" % i) for i in ids])
                q = xapian.Query(xapian.Query.OP_OR, q, scaled(ctx, CONTEXT_WEIGHT))
        qs.append(q)
    return filtered(and_query(qs), b"XTpassage")


def split_decode(data):
    vals = []
    i = 0
    for _ in range(7):
        v, i = get_varint(data, i)
        vals.append(v)
    return vals  # kind, line, column, end_line delta, text offset, length, note delta


def split_top(db, units, k=10):
    enq = xapian.Enquire(db)
    enq.set_query(split_query(db, units))
    enq.set_collapse_key(0)
    out = []
    for m in enq.get_mset(0, k):
        kind, line, col, _, off, ln, nd = split_decode(m.document.get_data())
        note = db.get_document(m.docid - nd)
        data = note.get_data()
        path = note.get_value(1)
        # the note doc's data: magic, path, manifest varints, then texts
        i = data.index(b"\0", 6) + 1
        for _ in range(9):
            _, i = get_varint(data, i)
        out.append((m.weight, (path, line, col), data[i + off:i + off + ln][-60:]))
    return out, {}


def split_files(db, units):
    enq = xapian.Enquire(db)
    enq.set_query(split_query(db, units))
    enq.set_weighting_scheme(xapian.BoolWeight())
    notes = set()
    for m in enq.get_mset(0, db.get_doccount()):
        notes.add(m.docid - split_decode(m.document.get_data())[6])
    return {db.get_document(d).get_value(1) for d in notes}


def split_exact(db, units):
    enq = xapian.Enquire(db)
    enq.set_query(split_query(db, units, context=False))
    enq.set_weighting_scheme(xapian.BoolWeight())
    out = set()
    for m in enq.get_mset(0, db.get_doccount()):
        kind, line, col, _, off, ln, nd = split_decode(m.document.get_data())
        out.add((db.get_document(m.docid - nd).get_value(1), line, col))
    return out


# ------------------------------------------------------------------ driver
def top_fn(model):
    f = family(model)
    if f == "CUR":
        return cur_top
    if f == "SPLIT":
        return split_top
    if f == "NOTEC":
        return notec_top
    return lambda db, units: note_top(db, units, with_text=model == "NOTE+text")


def files_fn(model):
    return {"CUR": cur_files, "SPLIT": split_files, "NOTE": note_files,
            "NOTEC": note_files}[family(model)]


def overlap(min_notes_list=(0, 3, 10)):
    """Top-10 agreement of NOTE's passage ranking with CUR's, and its cost,
    when NOTE reads at least N notes before it stops."""
    cur, note = open_db("CUR"), open_db("NOTE-nodata-text")
    rows = []
    for mn in min_notes_list:
        ov, ms = [], []
        for q in QUERIES:
            u = parse(q)
            a = {x[1] for x in cur_top(cur, u)[0]}
            note_top(note, u, min_notes=mn)
            t0 = time.perf_counter()
            b = {x[1] for x in note_top(note, u, min_notes=mn)[0]}
            ms.append((time.perf_counter() - t0) * 1000)
            ov.append(len(a & b) / max(1, min(10, len(a))))
        rows.append({"min_notes": mn, "overlap_mean": statistics.mean(ov),
                     "top_p50": pct(ms, 50), "top_p95": pct(ms, 95)})
        print(json.dumps(rows[-1]), file=sys.stderr)
    with open(os.path.join(OUT, "overlap.json"), "w") as f:
        json.dump(rows, f, indent=1)
    return rows


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def latency(model, reps=3):
    db = open_db(model)
    parsed = [(q, parse(q)) for q in QUERIES]
    top, files = top_fn(model), files_fn(model)
    for _, u in parsed:  # warm up
        top(db, u)
        files(db, u)
    per_top, per_files, per_fx, notes_read, nfiles = [], [], [], [], []
    for q, u in parsed:
        tt, tf, tx = [], [], []
        for _ in range(reps):
            if family(model) in ("NOTE", "NOTEC"):
                t0 = time.perf_counter()
                (notec_files_exact if family(model) == "NOTEC" else note_files_exact)(db, u)
                tx.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            res, info = top(db, u)
            tt.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            fs = files(db, u)
            tf.append(time.perf_counter() - t0)
        per_top.append(statistics.median(tt) * 1000)
        per_files.append(statistics.median(tf) * 1000)
        per_fx.append(statistics.median(tx) * 1000 if tx else 0.0)
        notes_read.append(info.get("notes_read", 0))
        nfiles.append(len(fs))
    t0 = time.perf_counter()
    cold_db = open_db(model)
    top(cold_db, parse("パッケージ"))
    cold = (time.perf_counter() - t0) * 1000
    r = {"model": model, "top_p50": pct(per_top, 50), "top_p95": pct(per_top, 95),
         "files_p50": pct(per_files, 50), "files_p95": pct(per_files, 95), "cold_ms": cold,
         "per_query": [{"q": q, "top_ms": a, "files_ms": b_, "notes_read": n, "files": nf}
                       for (q, _), a, b_, n, nf in zip(parsed, per_top, per_files, notes_read,
                                                       nfiles)]}
    if family(model) in ("NOTE", "NOTEC"):
        r["files_exact_p50"] = pct(per_fx, 50)
        r["files_exact_p95"] = pct(per_fx, 95)
        r["notes_read_p50"] = pct(notes_read, 50)
        r["notes_read_max"] = max(notes_read)
    with open(os.path.join(OUT, model + ".query.json"), "w") as f:
        json.dump(r, f, indent=1, ensure_ascii=False)
    return r


CHECK_MODELS = ("NOTE-nodata-text", "SPLIT", "SPLIT-reuse", "NOTE-gap1", "REAL")


def check(models=CHECK_MODELS, out_name="check.json"):
    """Text-only passage sets, and -l file sets, against CUR.  NOTE and
    NOTEC models also: passage sets with context (a unit in the text or in
    a heading/item) against CUR's ("ctx")."""
    cur = open_db("CUR")
    others = {}
    for m in models:
        try:
            others[m] = open_db(m)
        except Exception as e:  # not built
            print("skip %s: %s" % (m, e), file=sys.stderr)
    report = []
    for q in CHECK_QUERIES:
        u = parse(q)
        ref = cur_exact(cur, u)
        ref = {(p.decode() if isinstance(p, bytes) else p, l, c) for p, l, c in ref}
        ref_files = {p.decode() for p in cur_files(cur, u)}
        ref_ctx = {(p.decode(), l, c) for p, l, c in cur_exact(cur, u, context=True)}
        row = {"q": q, "CUR": len(ref), "CUR_files": len(ref_files), "CUR_ctx": len(ref_ctx)}
        for m, db in others.items():
            fam = family(m)
            if fam in ("NOTE", "NOTEC"):
                ex, fex = ((notec_exact, notec_files_exact) if fam == "NOTEC" else
                           (note_exact, note_files_exact))
                got = ex(db, u)
                files = note_files(db, u)
                fx = {p.decode() for p in fex(db, u)}
                row[m + " -l exact"] = {"files": len(fx), "files_extra": len(fx - ref_files),
                                        "files_missing": len(ref_files - fx)}
                gc = {(p.decode(), l, c) for p, l, c in ex(db, u, context=True)}
                row[m + " ctx"] = {"ctx": len(gc), "ctx_missing": len(ref_ctx - gc),
                                   "ctx_extra": len(gc - ref_ctx)}
            elif fam == "SPLIT":
                got = split_exact(db, u)
                files = split_files(db, u)
            else:
                got = cur_exact(db, u)
                files = cur_files(db, u)
            got = {(p.decode() if isinstance(p, bytes) else p, l, c) for p, l, c in got}
            files = {p.decode() for p in files}
            row[m] = {"n": len(got), "missing": sorted(ref - got)[:5],
                      "extra": sorted(got - ref)[:5], "n_missing": len(ref - got),
                      "n_extra": len(got - ref), "files": len(files),
                      "files_extra": len(files - ref_files),
                      "files_missing": len(ref_files - files)}
        report.append(row)
        print(json.dumps(row, ensure_ascii=False), file=sys.stderr)
    with open(os.path.join(OUT, out_name), "w") as f:
        json.dump(report, f, indent=1, ensure_ascii=False)
    return report


def main():
    args = sys.argv[1:]
    if args == ["--check"]:
        check()
        return
    if args[:1] == ["--check-ctx"]:  # NOTE+text+ctx variants (and NOTE) vs CUR
        check(tuple(args[1:]) or ("NOTE-nodata-text", "NOTE+text+ctx"), "check-ctx.json")
        return
    if args == ["--check-zpos"]:
        check_zpos()
        return
    if args == ["--stems-drop"]:
        stems_drop()
        return
    if args == ["--overlap"]:
        overlap()
        return
    if args == ["--stems"]:
        stems()
        return
    for m in args:
        r = latency(m)
        print("%-18s top10 p50 %.2f p95 %.2f ms; -l p50 %.2f p95 %.2f ms; cold %.1f ms %s" %
              (m, r["top_p50"], r["top_p95"], r["files_p50"], r["files_p95"], r["cold_ms"],
               "notes read p50 %s max %s" % (r.get("notes_read_p50"), r.get("notes_read_max"))
               if "notes_read_p50" in r else ""), file=sys.stderr)



# ------------------------------------------------------------------ stems without Z terms
STEM_WORDS = ["install", "configure", "running", "packages", "files", "errors", "signals",
              "mounted", "security", "libraries", "directories", "kernels", "threads",
              "translation", "descriptors", "happy", "using", "system", "quotas", "debian"]


def stem_expand(db, word, stemmer):
    """The words of the index with the same Porter2 stem as `word`, found
    from the term list (no Z terms): the words under the stem's prefix (less
    a final i/e/y, which Porter2 rewrites), stemmed and compared."""
    s = stemmer(word)
    head = s[:-1] if len(s) > 1 and s[-1:] in (b"i", b"e", b"y") else s
    out = []
    for t in db.allterms(head):
        w = t.term
        if w[:1] >= b"A" and w[:1] <= b"Z":
            continue
        if stemmer(w) == s:
            out.append(w)
    return out


def stems(model_noz="NOTE-noZ", model_z="NOTE-nodata-text"):
    """Cost and exactness of expanding stems at query time instead of Z."""
    db = open_db(model_noz)
    dbz = open_db(model_z)
    st = xapian.Stem("english")
    rows = []
    for w in STEM_WORDS:
        wb = w.encode()
        t0 = time.perf_counter()
        words = stem_expand(db, wb, st)
        ms = (time.perf_counter() - t0) * 1000
        s = st(wb)
        # notes with Z<stem> (or the stem itself) vs notes with any expanded word
        enq = xapian.Enquire(dbz)
        enq.set_query(xapian.Query(xapian.Query.OP_OR, xapian.Query(b"Z" + s), xapian.Query(s)))
        zset = {m.docid for m in enq.get_mset(0, dbz.get_doccount())}
        enq = xapian.Enquire(db)
        enq.set_query(xapian.Query(xapian.Query.OP_OR, [xapian.Query(x) for x in words + [s]]))
        eset = {m.docid for m in enq.get_mset(0, db.get_doccount())}
        rows.append({"word": w, "stem": s.decode(), "expanded": len(words), "ms": ms,
                     "z_notes": len(zset), "exp_notes": len(eset),
                     "missing": len(zset - eset), "extra": len(eset - zset)})
        print(json.dumps(rows[-1]), file=sys.stderr)
    with open(os.path.join(OUT, "stems.json"), "w") as f:
        json.dump(rows, f, indent=1)
    return rows


def stems_drop(model_drop="NOTE+text+ctx+dropZ", model_z="NOTE+text+ctx"):
    """Dropping Z terms of words whose stem is a prefix of the word: the
    searcher finds those words under the stem's prefix in the term list
    (stemming each), and ORs them with Z<stem> and the stem.  Same notes as
    Z<stem> OR stem in the full model?  And the cost."""
    db, dbz = open_db(model_drop), open_db(model_z)
    st = xapian.Stem("english")
    rows = []
    for w in STEM_WORDS:
        s = st(w.encode())
        t0 = time.perf_counter()
        words = [t.term for t in db.allterms(s) if t.term != s and st(t.term) == s]
        ms = (time.perf_counter() - t0) * 1000
        enq = xapian.Enquire(dbz)
        enq.set_query(xapian.Query(xapian.Query.OP_OR, xapian.Query(b"Z" + s), xapian.Query(s)))
        zset = {m.docid for m in enq.get_mset(0, dbz.get_doccount())}
        enq = xapian.Enquire(db)
        enq.set_query(xapian.Query(xapian.Query.OP_OR, [xapian.Query(x) for x in
                                                         words + [s, b"Z" + s]]))
        eset = {m.docid for m in enq.get_mset(0, db.get_doccount())}
        rows.append({"word": w, "stem": s.decode(), "expanded": len(words), "ms": ms,
                     "z_notes": len(zset), "exp_notes": len(eset),
                     "missing": len(zset - eset), "extra": len(eset - zset)})
        print(json.dumps(rows[-1]), file=sys.stderr)
    with open(os.path.join(OUT, "stems-drop.json"), "w") as f:
        json.dump(rows, f, indent=1)
    return rows


def check_zpos():
    """Every Z term's position (Zpos variants) is that of a word with that
    stem, or of the term its katakana word starts with."""
    from common import load_corpus
    notes, _ = load_corpus()
    st = xapian.Stem("english")
    ok_stem = ok_kata = bad = 0
    for n in notes:
        for p in n.passages:
            terms, zs = tok().terms_pos(p["btext"])
            for z, pos in zs:
                b = z[1:].decode()
                t = terms[pos].decode() if pos < len(terms) else ""
                if t and st(terms[pos]) == z[1:]:
                    ok_stem += 1
                elif t and (b[:2] == t or (len(t) == 1 and b[:1] == t)):
                    ok_kata += 1
                else:
                    bad += 1
    r = {"stem_ok": ok_stem, "katakana_ok": ok_kata, "bad": bad,
         "katakana_unmapped": tok().kpos_miss}
    print(json.dumps(r), file=sys.stderr)
    with open(os.path.join(OUT, "check-zpos.json"), "w") as f:
        json.dump(r, f)
    return r


if __name__ == "__main__":
    main()
