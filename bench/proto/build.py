"""Builds one candidate index model from the benchmark corpus's passages.

    /usr/bin/python3 build.py MODEL      (MODEL: see MODELS below, or 'all')

Writes OUT/MODEL (compacted; OUT = $MLS_PROTO_OUT or /tmp/proto-models) and
OUT/MODEL.json (sizes by table, timings).  Single writer, default flush
threshold, commit at the end, then Database.compact() with default flags.
"""
import hashlib
import json
import lzma
import os
import shutil
import sys
import time

import xapian
import zlib

from common import (XZ_FILTERS, GAP, KINDS, OUT, Tokenizer, corpus_bytes, load_corpus, manifest_record,
                    manifest_varints, put_varint, zigzag)


class Build:
    def __init__(self, name, compact_flags=0, block_size=0):
        self.name = name
        self.compact_flags = compact_flags
        self.block_size = block_size
        self.tmp = os.path.join(OUT, name + ".tmp")
        self.path = os.path.join(OUT, name)
        for p in (self.tmp, self.path):
            shutil.rmtree(p, ignore_errors=True)
        os.makedirs(OUT, exist_ok=True)
        self.tok = Tokenizer()
        self.doc_s = 0.0   # building xapian.Document objects (python -> C++)
        self.xap_s = 0.0   # add_document + commit + compact
        self.docs = 0
        self.t_start = time.perf_counter()
        self.db = xapian.WritableDatabase(self.tmp, xapian.DB_CREATE_OR_OVERWRITE |
                                          xapian.DB_BACKEND_GLASS)

    def add(self, doc):
        t0 = time.perf_counter()
        did = self.db.add_document(doc)
        self.xap_s += time.perf_counter() - t0
        self.docs += 1
        return did

    def finish(self, notes, extra=None):
        t0 = time.perf_counter()
        self.db.commit()
        self.db.close()
        commit_s = time.perf_counter() - t0
        t1 = time.perf_counter()
        xapian.Database(self.tmp).compact(self.path, self.compact_flags, self.block_size)
        compact_s = time.perf_counter() - t1
        self.xap_s += commit_s + compact_s
        shutil.rmtree(self.tmp, ignore_errors=True)
        wall = time.perf_counter() - self.t_start
        tables = {}
        for f in os.listdir(self.path):
            if f.endswith(".glass"):
                tables[f[:-6]] = os.path.getsize(os.path.join(self.path, f))
        total = sum(os.path.getsize(os.path.join(self.path, f)) for f in os.listdir(self.path))
        cb = corpus_bytes(notes)
        res = {"model": self.name, "compact_flags": self.compact_flags,
               "block_size": self.block_size, "total": total, "tables": tables, "corpus": cb,
               "ratio": total / cb, "docs": self.docs, "tokenize_s": self.tok.seconds,
               "doc_s": self.doc_s, "xapian_s": self.xap_s, "commit_s": commit_s,
               "compact_s": compact_s, "wall_s": wall, "xapian_mb_s": cb / 1e6 / self.xap_s}
        if extra:
            res.update(extra)
        with open(self.path + ".json", "w") as f:
            json.dump(res, f, indent=1)
        return res


def text_hash(b):
    return hashlib.blake2b(b, digest_size=8).digest()


# ------------------------------------------------------------------ CUR
def build_cur(notes, name="CUR"):
    """Today's model (terms.h): one document per passage, XH/XC context
    copies, Z terms, P + XTpassage, text-hash value, full record; a
    manifest document per note."""
    b = Build(name)
    tok = b.tok
    for n in notes:
        path = n.path.encode()
        pterm = b"P" + path
        for p in n.passages:
            terms, zs = tok.terms(p["btext"], z=True)
            heads = [tok.terms(h.encode())[0] for h in p["headings"]]
            items = [tok.terms(h.encode())[0] for h in p["items"]]
            t0 = time.perf_counter()
            doc = xapian.Document()
            for i, t in enumerate(terms):
                doc.add_posting(t, i)
            for z in zs:
                doc.add_term(z)
            pos = 0
            for prefix, strings in ((b"XH", heads), (b"XC", items)):
                for ts in strings:
                    for i, t in enumerate(ts):
                        doc.add_posting(prefix + t, pos + i)
                    pos += len(ts) + GAP
            doc.add_boolean_term(pterm)
            doc.add_boolean_term(b"XTpassage")
            doc.add_value(0, text_hash(p["btext"]))
            rec = [b"mls1", path, str(p["line"]).encode(), str(p["column"]).encode(),
                   str(p["end_line"]).encode(), str(KINDS[p["kind"]]).encode(),
                   str(len(p["headings"])).encode()]
            rec += [h.encode() for h in p["headings"]]
            rec.append(str(len(p["items"])).encode())
            rec += [h.encode() for h in p["items"]]
            doc.set_data(b"\0".join(rec) + b"\0" + p["btext"])
            b.doc_s += time.perf_counter() - t0
            b.add(doc)
        t0 = time.perf_counter()
        doc = xapian.Document()
        doc.add_boolean_term(pterm)
        doc.add_boolean_term(b"XTfile")
        doc.set_data(manifest_record(n))
        b.doc_s += time.perf_counter() - t0
        b.add(doc)
    return b.finish(notes)


# ------------------------------------------------------------------ NOTE
def passage_table(n, nterms, out):
    """The note's passage table, appended to `out` (bytearray): count, then
    per passage: kind | (distance to parent << 2) (0: none), line delta
    (zigzag), column, end_line - line, byte offset delta from the previous
    passage's end (zigzag), byte length, term count.  First positions follow
    from the term counts: passage i starts GAP positions after passage
    i-1's last term slot (first_i = first_{i-1} + count_{i-1} + GAP)."""
    put_varint(out, len(n.passages))
    prev_line = 0
    prev_end = 0
    for i, p in enumerate(n.passages):
        par = p["parent"]
        put_varint(out, KINDS[p["kind"]] | ((i - par if par >= 0 else 0) << 2))
        put_varint(out, zigzag(p["line"] - prev_line))
        put_varint(out, p["column"])
        put_varint(out, p["end_line"] - p["line"])
        put_varint(out, zigzag(p["offset"] - prev_end))
        put_varint(out, len(p["btext"]))
        put_varint(out, nterms[i])
        prev_line = p["line"]
        prev_end = p["offset"] + len(p["btext"])


def build_note(notes, name, with_text, with_z=True, gap=GAP):
    """One document per note: every passage's text terms, positions running
    on through the note with `gap` between passages; Z terms per note
    (unless not with_z); P, XTfile; value 1 = path (for -l); data = magic,
    path, manifest fields, passage table, and with_text the passages' texts
    one after another."""
    b = Build(name)
    b.nterms_all = []
    tok = b.tok
    for n in notes:
        path = n.path.encode()
        toks = [tok.terms(p["btext"], z=with_z) for p in n.passages]
        t0 = time.perf_counter()
        doc = xapian.Document()
        pos = 0
        nterms = []
        for terms, zs in toks:
            for i, t in enumerate(terms):
                doc.add_posting(t, pos + i)
            for z in zs:
                doc.add_term(z)
            nterms.append(len(terms))
            pos += len(terms) + gap
        b.nterms_all.extend(nterms)
        doc.add_boolean_term(b"P" + path)
        doc.add_boolean_term(b"XTfile")
        doc.add_value(1, path)
        data = bytearray(b"mlsn1\0" + path + b"\0")
        manifest_varints(n, data)
        passage_table(n, nterms, data)
        if with_text:
            data += b"".join(p["btext"] for p in n.passages)
        doc.set_data(bytes(data))
        b.doc_s += time.perf_counter() - t0
        b.add(doc)
    total_terms = sum(n for n in b.nterms_all)
    b.db.set_metadata("gap", str(gap))
    b.db.set_metadata("avg_passage_len", "%.3f" % (total_terms / max(1, len(b.nterms_all))))
    return b.finish(notes, {"gap": gap, "with_text": with_text, "with_z": with_z})


# ------------------------------------------------------------------ SPLIT
def ancestors(n, i):
    out = []
    j = n.passages[i]["parent"]
    while j >= 0:
        out.append(j)
        j = n.passages[j]["parent"]
    return out


def build_split(notes, name="SPLIT", reuse=False):
    """Passage documents without copies.  Per note: a note document (P,
    XTfile, value 1 = path, data = manifest fields + the passages' texts),
    then per passage a passage document (own text terms + positions, Z, P,
    XTpassage, value 0 text hash, small data: kind, line, column, end_line
    delta, offset and length in the note doc's text, docid distance to the
    note doc) carrying one term XS<docid> (wdf 1, no position) per context
    document above it (its headings and enclosing items, all the way up).
    Context documents: reuse=False: one per heading and per list item
    (XTcontext, P, the heading/item text's terms with positions);
    reuse=True: the heading's or item's own passage document is the
    context document (flagged XTcontext too), no extra documents."""
    b = Build(name)
    tok = b.tok
    for n in notes:
        path = n.path.encode()
        pterm = b"P" + path
        is_ctx = set()
        for i, p in enumerate(n.passages):
            if p["kind"] == "heading":
                is_ctx.add(i)
            if p["iparent"] >= 0:
                is_ctx.add(p["iparent"])
        toks = [tok.terms(p["btext"], z=True) for p in n.passages]
        t0 = time.perf_counter()
        doc = xapian.Document()
        doc.add_boolean_term(pterm)
        doc.add_boolean_term(b"XTfile")
        doc.add_value(1, path)
        data = bytearray(b"mlsn1\0" + path + b"\0")
        manifest_varints(n, data)
        data += b"".join(p["btext"] for p in n.passages)
        doc.set_data(bytes(data))
        b.doc_s += time.perf_counter() - t0
        note_id = b.add(doc)
        ctx_id = {}
        text_off = 0
        for i, p in enumerate(n.passages):
            terms, zs = toks[i]
            if i in is_ctx and not reuse:
                t0 = time.perf_counter()
                doc = xapian.Document()
                for k, t in enumerate(terms):
                    doc.add_posting(t, k)
                doc.add_boolean_term(pterm)
                doc.add_boolean_term(b"XTcontext")
                b.doc_s += time.perf_counter() - t0
                ctx_id[i] = b.add(doc)
            t0 = time.perf_counter()
            doc = xapian.Document()
            for k, t in enumerate(terms):
                doc.add_posting(t, k)
            for z in zs:
                doc.add_term(z)
            for a in ancestors(n, i):
                doc.add_term(b"XS%d" % ctx_id[a])
            doc.add_boolean_term(pterm)
            doc.add_boolean_term(b"XTpassage")
            if i in is_ctx and reuse:
                doc.add_boolean_term(b"XTcontext")
            doc.add_value(0, text_hash(p["btext"]))
            d = bytearray()
            put_varint(d, KINDS[p["kind"]])
            put_varint(d, p["line"])
            put_varint(d, p["column"])
            put_varint(d, p["end_line"] - p["line"])
            put_varint(d, text_off)
            put_varint(d, len(p["btext"]))
            text_off += len(p["btext"])
            pid = b.docs + 1  # docids are given in order from 1
            put_varint(d, pid - note_id)
            doc.set_data(bytes(d))
            b.doc_s += time.perf_counter() - t0
            got = b.add(doc)
            assert got == pid, (got, pid)
            if reuse and i in is_ctx:
                ctx_id[i] = pid
    return b.finish(notes, {"reuse": reuse})


# ------------------------------------------------------------------ NOTE+ctx
def put_text(out, b):
    """note_record.c's put_text: length, bytes, NUL."""
    put_varint(out, len(b))
    out += b
    out.append(0)


def note_contexts(n):
    """The note's distinct context strings, [(kind, text bytes)] in first
    seen order (kind 0 heading, 1 item), and per passage the indexes of its
    headings and of its items (outermost first)."""
    ids = {}
    ctxs = []
    refs = []
    for p in n.passages:
        r = []
        for kind, strings in ((0, p["headings"]), (1, p["items"])):
            lst = []
            for st in strings:
                key = (kind, st)
                i = ids.get(key)
                if i is None:
                    i = ids[key] = len(ctxs)
                    ctxs.append((kind, st.encode("utf-8")))
                lst.append(i)
            r.append(lst)
        refs.append(r)
    return ctxs, refs


def build_note_ctx(notes, name, gap=GAP, zpos=False, reuse=False, text_refs=False,
                   text_in="data", drop_prefix_stems=False, compact_flags=0, block_size=0,
                   slim=False):
    """NOTE+text with the note's context strings indexed once.  One document
    per note: every passage's text terms (positions running on, `gap`
    between passages), then each distinct (kind, string) context string of
    the note's passages (headings, enclosing list items) once, unprefixed,
    with positions (`gap` between strings and after the last passage); Z
    terms of the passages' words (zpos: each with its word's position; zpos="stems": only
    the English stems, not the katakana bases);
    P, XTfile, value 1 = path.  Data: magic, path, manifest varints, then
    note_record.c's body: contexts (kind, first position delta, term
    count, text), passages (kind, line, column, end_line - line, first
    position delta, term count, heading indexes, item indexes, text).

    reuse: a context string whose terms are exactly those of one of the
      note's passages takes that passage's positions instead of its own
      (nothing indexed twice; a position then counts for the passage's
      own text and for the context).  Exact: matching sees only terms.
    text_refs: a context string that is a substring of a passage's text
      (a heading's text in "## text", an item's text) is stored as
      (passage, start, length) instead of its bytes.  Exact: checked.
    text_in: "data" (texts in the record), "value" (the record without
      texts; texts, NUL-terminated one after another, in value slot 2),
      "xz" / "deflate9" (the same texts compressed with raw LZMA2 (common.XZ_FILTERS) /
      raw deflate level 9, after the record; glass then stores the tag
      as it is, since zlib cannot shrink it).
    drop_prefix_stems: no Z term for a word whose stem is a prefix of it
      (the searcher must then expand a stem from the term list).
    slim: a slimmer passage entry than note_record.c's: kind | (1 << 2 if
      its contexts are the previous passage's, then not repeated), line as
      the distance from the previous passage's end_line (zigzag).
    """
    b = Build(name, compact_flags, block_size)
    tok = b.tok
    nterms_all = []
    stats = {"contexts": 0, "context_terms": 0, "contexts_reused": 0, "text_refs": 0,
             "text_ref_bytes": 0, "z_postings": 0}
    for n in notes:
        path = n.path.encode()
        if zpos or drop_prefix_stems:
            toks = [tok.terms_pos(p["btext"], drop_prefix_stems) for p in n.passages]
        else:
            toks = [tok.terms(p["btext"], z=True) for p in n.passages]
        ctxs, refs = note_contexts(n)
        ctoks = [tok.terms(c[1])[0] for c in ctxs]
        t0 = time.perf_counter()
        doc = xapian.Document()
        pos = 0
        pfirst = []
        for terms, zs in toks:
            pfirst.append(pos)
            for i, t in enumerate(terms):
                doc.add_posting(t, pos + i)
            if zpos == "stems":  # positions for stems only, not katakana bases
                for z, zp in zs:
                    if z[1] == 0xE3 and z[2] in (0x82, 0x83):
                        doc.add_term(z)
                    else:
                        doc.add_posting(z, pos + zp)
            elif zpos:
                for z, zp in zs:
                    doc.add_posting(z, pos + zp)
            elif drop_prefix_stems:
                for z, _ in zs:
                    doc.add_term(z)
            else:
                for z in zs:
                    doc.add_term(z)
            stats["z_postings"] += len(zs)
            nterms_all.append(len(terms))
            pos += len(terms) + gap
        # context strings: reused passage ranges, else their own positions
        cfirst = [None] * len(ctxs)
        if reuse:
            by_terms = {}
            for i, (terms, _) in enumerate(toks):
                if terms:
                    by_terms.setdefault(tuple(terms), i)
            claimed = set()
            for ci, ct in enumerate(ctoks):
                pi = by_terms.get(tuple(ct)) if ct else None
                if pi is not None and pi not in claimed:
                    claimed.add(pi)
                    cfirst[ci] = pfirst[pi]
                    stats["contexts_reused"] += 1
        for ci, ct in enumerate(ctoks):
            if cfirst[ci] is None:
                cfirst[ci] = pos
                for i, t in enumerate(ct):
                    doc.add_posting(t, pos + i)
                pos += len(ct) + gap
                stats["context_terms"] += len(ct)
        stats["contexts"] += len(ctxs)
        # record order: contexts by position (their indexes follow)
        order = sorted(range(len(ctxs)), key=lambda ci: cfirst[ci])
        newid = {ci: k for k, ci in enumerate(order)}
        doc.add_boolean_term(b"P" + path)
        doc.add_boolean_term(b"XTfile")
        doc.add_value(1, path)
        data = bytearray(b"mlsn1\0" + path + b"\0")
        manifest_varints(n, data)
        texts = bytearray()

        def text_field(bt):
            if text_in == "data":
                put_text(data, bt)
            else:
                put_varint(data, len(bt))
                texts.extend(bt)
                texts.append(0)

        put_varint(data, len(ctxs))
        end = 0
        by_text = {}
        if text_refs:
            for pi, p in enumerate(n.passages):
                by_text.setdefault(p["btext"], pi)
        for ci in order:
            kind, ct = ctxs[ci]
            put_varint(data, kind)
            put_varint(data, cfirst[ci] - end)
            put_varint(data, len(ctoks[ci]))
            end = cfirst[ci] + len(ctoks[ci])
            ref = None
            if text_refs and ct:
                pi = by_text.get(ct)
                if pi is not None:
                    ref = (pi, 0)
                elif kind == 0:
                    hp = [i for i, r in enumerate(refs) if n.passages[i]["kind"] == "heading"
                          and n.passages[i]["btext"].find(ct) >= 0]
                    if hp:
                        ref = (hp[0], n.passages[hp[0]]["btext"].find(ct))
            if ref is not None:
                put_varint(data, 0)  # a reference: passage, start (length: 0 -> own)
                put_varint(data, ref[0])
                put_varint(data, ref[1])
                put_varint(data, len(ct))
                stats["text_refs"] += 1
                stats["text_ref_bytes"] += len(ct)
            elif text_refs:
                put_varint(data, len(ct) + 1)
                data += ct
                data.append(0)
            else:
                text_field(ct)
        put_varint(data, len(n.passages))
        end = 0
        prev_end_line = 0
        prev_refs = None
        for i, p in enumerate(n.passages):
            if slim:  # kind | same contexts as the previous passage << 2
                same = refs[i] == prev_refs
                put_varint(data, KINDS[p["kind"]] | (same << 2))
                put_varint(data, zigzag(p["line"] - prev_end_line))
                prev_end_line = p["end_line"]
            else:
                same = False
                put_varint(data, KINDS[p["kind"]])
                put_varint(data, p["line"])
            put_varint(data, p["column"])
            put_varint(data, p["end_line"] - p["line"])
            put_varint(data, pfirst[i] - end)
            nt = len(toks[i][0])
            put_varint(data, nt)
            end = pfirst[i] + nt
            if not same:
                for lst in refs[i]:
                    put_varint(data, len(lst))
                    for ci in lst:
                        put_varint(data, newid[ci])
            prev_refs = refs[i]
            text_field(p["btext"])
        if text_in == "value":
            doc.add_value(2, bytes(texts))
        elif text_in == "xz":
            data += lzma.compress(bytes(texts), format=lzma.FORMAT_RAW,
                                  filters=XZ_FILTERS)
        elif text_in == "deflate9":
            c = zlib.compressobj(9, zlib.DEFLATED, -15)
            data += c.compress(bytes(texts)) + c.flush()
        doc.set_data(bytes(data))
        b.doc_s += time.perf_counter() - t0
        b.add(doc)
    total_terms = sum(nterms_all)
    b.db.set_metadata("gap", str(gap))
    b.db.set_metadata("record", ("ctx-refs" if text_refs else "ctx") + ("-slim" if slim else ""))
    b.db.set_metadata("text_in", text_in)
    b.db.set_metadata("avg_passage_len", "%.3f" % (total_terms / max(1, len(nterms_all))))
    stats["kpos_miss"] = tok.kpos_miss
    return b.finish(notes, {"gap": gap, "with_text": True, "zpos": zpos, "reuse": reuse,
                            "text_refs": text_refs, "text_in": text_in,
                            "drop_prefix_stems": drop_prefix_stems, "slim": slim,
                            "stats": stats})


MODELS = {
    "CUR": lambda notes: build_cur(notes),
    "NOTE-nodata-text": lambda notes: build_note(notes, "NOTE-nodata-text", False),
    "NOTE+text": lambda notes: build_note(notes, "NOTE+text", True),
    "NOTE-noZ": lambda notes: build_note(notes, "NOTE-noZ", False, with_z=False),
    "NOTE-gap1": lambda notes: build_note(notes, "NOTE-gap1", False, gap=1),
    "SPLIT": lambda notes: build_split(notes, "SPLIT", reuse=False),
    "SPLIT-reuse": lambda notes: build_split(notes, "SPLIT-reuse", reuse=True),
}
# NOTE+text with context strings once per note (and variants; see build_note_ctx)
CTX_MODELS = {
    "NOTE+text+ctx": {},
    "NOTE+text+ctx+Zpos": {"zpos": True},
    "NOTE+text+ctx+gap1": {"gap": 1},
    "NOTE+text+ctx+Zpos+gap1": {"zpos": True, "gap": 1},
    "NOTE+text+ctx+value": {"text_in": "value"},
    "NOTE+text+ctx+xz": {"text_in": "xz"},
    "NOTE+text+ctx+deflate9": {"text_in": "deflate9"},
    "NOTE+text+ctx+fuller": {"compact_flags": xapian.Compactor.FULLER},
    "NOTE+text+ctx+multipass": {"compact_flags": xapian.DBCOMPACT_MULTIPASS},
    "NOTE+text+ctx+b16k": {"block_size": 16384},
    "NOTE+text+ctx+b64k": {"block_size": 65536},
    "NOTE+text+ctx+refs": {"text_refs": True},
    "NOTE+text+ctx+reuse": {"reuse": True},
    "NOTE+text+ctx+reuse+refs": {"reuse": True, "text_refs": True},
    "NOTE+text+ctx+dropZ": {"drop_prefix_stems": True},
    "NOTE+text+ctx+Zpos+reuse+refs": {"zpos": True, "reuse": True, "text_refs": True},
    "NOTE+text+ctx+Zpos+dropZ+reuse+refs": {"zpos": True, "drop_prefix_stems": True,
                                            "reuse": True, "text_refs": True},
    "NOTE+text+ctx+Zpos+gap1+reuse+refs": {"zpos": True, "gap": 1, "reuse": True,
                                           "text_refs": True},
    "NOTE+text+ctx+slim": {"slim": True},
    # combinations of what saves space exactly (see README)
    "NOTE+text+ctx+gap1+reuse+b64k": {"gap": 1, "reuse": True, "block_size": 65536},
    "NOTE+text+ctx+gap1+reuse+dropZ+b64k": {"gap": 1, "reuse": True, "block_size": 65536,
                                            "drop_prefix_stems": True},
    "NOTE+text+ctx+Zpos+gap1+reuse+b64k": {"zpos": True, "gap": 1, "reuse": True,
                                           "block_size": 65536},
    "NOTE+text+ctx+Zpos+gap1+reuse+dropZ+b64k": {"zpos": True, "gap": 1, "reuse": True,
                                                 "block_size": 65536,
                                                 "drop_prefix_stems": True},
    "NOTE+text+ctx+gap1+reuse+slim+b64k": {"gap": 1, "reuse": True, "slim": True,
                                           "block_size": 65536},
    "NOTE+text+ctx+gap1+reuse+dropZ+slim+b64k": {"gap": 1, "reuse": True, "slim": True,
                                                 "block_size": 65536,
                                                 "drop_prefix_stems": True},
    "NOTE+text+ctx+Zpos+gap1+reuse+dropZ+slim+b64k": {"zpos": True, "gap": 1, "reuse": True,
                                                      "slim": True, "block_size": 65536,
                                                      "drop_prefix_stems": True},
    "NOTE+text+ctx+ZposStems+gap1+reuse+dropZ+slim+b64k": {
        "zpos": "stems", "gap": 1, "reuse": True, "slim": True, "block_size": 65536,
        "drop_prefix_stems": True},
    "NOTE+text+ctx+Zpos+gap1+reuse+dropZ+b64k+xz": {"zpos": True, "gap": 1, "reuse": True,
                                                    "block_size": 65536,
                                                    "drop_prefix_stems": True,
                                                    "text_in": "xz"},
}
for _name, _kw in CTX_MODELS.items():
    MODELS[_name] = (lambda name, kw: lambda notes: build_note_ctx(notes, name, **kw))(_name, _kw)


def main():
    names = sys.argv[1:] or ["all"]
    if names == ["all"]:
        names = list(MODELS)
    t0 = time.perf_counter()
    notes, stats = load_corpus()
    print("corpus: %d notes, %d passages, %d bytes, loaded in %.1fs; %s" %
          (len(notes), stats["passages"], corpus_bytes(notes), time.perf_counter() - t0, stats),
          file=sys.stderr)
    for name in names:
        r = MODELS[name](notes)
        print("%-18s %7.1f MB  x%.2f  tok %.1fs doc %.1fs xapian %.1fs (%.2f MB/s)" %
              (name, r["total"] / 1e6, r["ratio"], r["tokenize_s"], r["doc_s"], r["xapian_s"],
               r["xapian_mb_s"]), file=sys.stderr)


if __name__ == "__main__":
    main()
