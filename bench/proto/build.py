"""Builds one candidate index model from the benchmark corpus's passages.

    /usr/bin/python3 build.py MODEL      (MODEL: see MODELS below, or 'all')

Writes OUT/MODEL (compacted; OUT = $MLS_PROTO_OUT or /tmp/proto-models) and
OUT/MODEL.json (sizes by table, timings).  Single writer, default flush
threshold, commit at the end, then Database.compact() with default flags.
"""
import hashlib
import json
import os
import shutil
import sys
import time

import xapian

from common import (GAP, KINDS, OUT, Tokenizer, corpus_bytes, load_corpus, manifest_record,
                    manifest_varints, put_varint, zigzag)


class Build:
    def __init__(self, name):
        self.name = name
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
        xapian.Database(self.tmp).compact(self.path)
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
        res = {"model": self.name, "total": total, "tables": tables, "corpus": cb,
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


MODELS = {
    "CUR": lambda notes: build_cur(notes),
    "NOTE-nodata-text": lambda notes: build_note(notes, "NOTE-nodata-text", False),
    "NOTE+text": lambda notes: build_note(notes, "NOTE+text", True),
    "NOTE-noZ": lambda notes: build_note(notes, "NOTE-noZ", False, with_z=False),
    "NOTE-gap1": lambda notes: build_note(notes, "NOTE-gap1", False, gap=1),
    "SPLIT": lambda notes: build_split(notes, "SPLIT", reuse=False),
    "SPLIT-reuse": lambda notes: build_split(notes, "SPLIT-reuse", reuse=True),
}


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
