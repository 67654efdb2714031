"""Shared pieces of the index-model prototype: corpus, tokenizer, varints.

Run with /usr/bin/python3 (it has python3-xapian 1.4).
"""
import ctypes
import lzma
import json
import os
import time

import xapian

LIBTOK = os.environ.get("MLS_PROTO_LIBTOK", "/tmp/libmlstok.so")
PASSAGES = os.environ.get("MLS_PROTO_PASSAGES", "/tmp/proto-passages.jsonl")
OUT = os.environ.get("MLS_PROTO_OUT", "/tmp/proto-models")
GAP = 100  # positions between context strings / passages (MLS_CONTEXT_GAP)
# raw LZMA2 for the "xz" text variant: preset 9 compression with a 1 MiB
# dictionary (a note's texts are far smaller; preset 9's 64 MiB dictionary
# makes every call slow to set up)
XZ_FILTERS = [{"id": lzma.FILTER_LZMA2, "preset": 9, "dict_size": 1 << 20}]
KINDS = {"heading": 0, "paragraph": 1, "code": 2, "html": 3}


# ---------------------------------------------------------------- tokenizer
class Tokenizer:
    """mlsearch's tokenizer through tokshim.c (one ctypes call per text)."""

    def __init__(self):
        lib = ctypes.CDLL(LIBTOK)
        lib.mls_tok_flat.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int,
                                     ctypes.POINTER(ctypes.c_void_p),
                                     ctypes.POINTER(ctypes.c_size_t)]
        lib.mls_tok_flat.restype = ctypes.c_int
        lib.mls_tok_free.argtypes = [ctypes.c_void_p]
        try:  # tokshim.c's mls_tok_flat_pos (katakana bases with positions)
            lib.mls_tok_flat_pos.argtypes = [ctypes.c_char_p, ctypes.c_size_t,
                                             ctypes.POINTER(ctypes.c_void_p),
                                             ctypes.POINTER(ctypes.c_size_t)]
            lib.mls_tok_flat_pos.restype = ctypes.c_int
        except AttributeError:  # an older /tmp/libmlstok.so: rebuild it (README)
            pass
        self.kpos_miss = 0  # katakana bases whose word's position was not found
        self.lib = lib
        self.buf = ctypes.c_void_p()
        self.n = ctypes.c_size_t()
        self.stemmer = xapian.Stem("english")
        self.stems = {}
        self.seconds = 0.0

    def raw(self, text, bases=False):
        """[(kind byte, term bytes)] in position order; 'k' entries (katakana
        bases) come last and take no position."""
        if not text:
            return []
        if self.lib.mls_tok_flat(text, len(text), 1 if bases else 0,
                                 ctypes.byref(self.buf), ctypes.byref(self.n)):
            raise RuntimeError("tokenize failed")
        try:
            data = ctypes.string_at(self.buf.value, self.n.value) if self.n.value else b""
        finally:
            if self.buf.value:
                self.lib.mls_tok_free(self.buf)
        return data.split(b"\0")[:-1]

    def terms(self, text, z=False):
        """(positional terms, Z terms) of `text`: Z = English stems that
        differ from the word plus katakana bases (as mlsearch indexes)."""
        t0 = time.perf_counter()
        pieces = self.raw(text, bases=z)
        terms = [p[1:] for p in pieces if p[0] != 107]  # 'k'
        zs = []
        if z:
            stems = self.stems
            for p in pieces:
                k = p[0]
                if k == 119:  # 'w'
                    w = p[1:]
                    s = stems.get(w)
                    if s is None:
                        s = self.stemmer(w)
                        if len(s) > 160 or s == w:
                            s = b""
                        stems[w] = s
                    if s:
                        zs.append(b"Z" + s)
                elif k == 107 and len(p) - 1 <= 160:
                    zs.append(b"Z" + p[1:])
        self.seconds += time.perf_counter() - t0
        return terms, zs

    def terms_pos(self, text, drop_prefix_stems=False):
        """(positional terms, [(Z term, position)]): as terms(text, z=True),
        but each Z term with the position of the word it comes from (a
        katakana base: the position of the term its word starts with).
        drop_prefix_stems: no Z term for a word whose stem is a prefix of
        it (the searcher would find those words from the term list)."""
        t0 = time.perf_counter()
        pieces = []
        if text:
            if self.lib.mls_tok_flat_pos(text, len(text), ctypes.byref(self.buf),
                                         ctypes.byref(self.n)):
                raise RuntimeError("tokenize failed")
            try:
                data = ctypes.string_at(self.buf.value, self.n.value) if self.n.value else b""
            finally:
                if self.buf.value:
                    self.lib.mls_tok_free(self.buf)
            pieces = data.split(b"\0")[:-1]
        terms = []
        zs = []
        stems = self.stems
        for p in pieces:
            k = p[0]
            if k == 75:  # 'K': position ':' base
                c = p.index(b":")
                pos = int(p[1:c])
                if len(p) - c - 1 <= 160:
                    if pos == 4294967295:
                        self.kpos_miss += 1
                        pos = 0
                    zs.append((b"Z" + p[c + 1:], pos))
                continue
            w = p[1:]
            if k == 119:  # 'w'
                s = stems.get(w)
                if s is None:
                    s = self.stemmer(w)
                    if len(s) > 160 or s == w:
                        s = b""
                    stems[w] = s
                if s and not (drop_prefix_stems and w.startswith(s)):
                    zs.append((b"Z" + s, len(terms)))
            terms.append(w)
        self.seconds += time.perf_counter() - t0
        return terms, zs

    def stem(self, word):
        return self.stemmer(word)


# ---------------------------------------------------------------- varints
def put_varint(out, n):
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)


def zigzag(n):
    return (n << 1) ^ (n >> 63)


def unzigzag(n):
    return (n >> 1) ^ -(n & 1)


def get_varint(buf, i):
    n = 0
    shift = 0
    while True:
        b = buf[i]
        i += 1
        n |= (b & 0x7F) << shift
        if b < 0x80:
            return n, i
        shift += 7


# ---------------------------------------------------------------- corpus
class Note:
    __slots__ = ("path", "passages", "size", "st")


def load_corpus():
    """Notes in dump order; each passage a dict with the dump's fields plus
    'btext' (bytes), 'offset' (byte offset in the note file), 'hparent'
    (index of the nearest heading passage above it, or -1), 'iparent'
    (index of the passage that is its innermost enclosing item's text, or
    -1) and 'parent' (iparent if any else hparent)."""
    notes = []
    by_path = {}
    with open(PASSAGES, "rb") as f:
        for line in f:
            p = json.loads(line)
            n = by_path.get(p["path"])
            if n is None:
                n = Note()
                n.path = p["path"]
                n.passages = []
                by_path[p["path"]] = n
                notes.append(n)
            p["btext"] = p["text"].encode("utf-8")
            n.passages.append(p)
    stats = {"offset_miss": 0, "heading_miss": 0, "item_miss": 0, "passages": 0}
    for n in notes:
        with open(n.path, "rb") as f:
            src = f.read()
        n.size = len(src)
        n.st = os.stat(n.path)
        starts = [0]
        i = src.find(b"\n")
        while i >= 0:
            starts.append(i + 1)
            i = src.find(b"\n", i + 1)
        last_at_depth = {}
        for idx, p in enumerate(n.passages):
            stats["passages"] += 1
            off = starts[p["line"] - 1] + p["column"] - 1 if p["line"] - 1 < len(starts) else 0
            if src[off:off + len(p["btext"])] != p["btext"]:
                k = src.find(p["btext"], starts[p["line"] - 1] if p["line"] - 1 < len(starts) else 0)
                if k < 0:
                    stats["offset_miss"] += 1
                    k = off
                off = k
            p["offset"] = off
            d = len(p["headings"])
            hp = last_at_depth.get(d - 1, -1) if d else -1
            if d and hp < 0:
                stats["heading_miss"] += 1
            p["hparent"] = hp
            ip = -1
            if p["items"]:
                want = p["items"][-1].encode("utf-8")
                for j in range(idx - 1, max(-1, idx - 400), -1):
                    if n.passages[j]["btext"] == want:
                        ip = j
                        break
                if ip < 0:
                    stats["item_miss"] += 1
            p["iparent"] = ip
            p["parent"] = ip if ip >= 0 else hp
            if p["kind"] == "heading":
                last_at_depth[d] = idx
                for k in [k for k in last_at_depth if k > d]:
                    del last_at_depth[k]
    return notes, stats


def corpus_bytes(notes):
    return sum(n.size for n in notes)


def manifest_record(n):
    """An mlsf2-like record (what mlsearch stores per note today)."""
    st = n.st
    fields = [b"mlsf2", n.path.encode(), str(n.size).encode(), str(int(st.st_mtime)).encode(),
              str(st.st_mtime_ns % 10**9).encode(), str(st.st_ino).encode(),
              str(int(time.time())).encode(), str(len(n.passages)).encode(),
              str(hash(n.path) & (2**63 - 1)).encode(), str(int(st.st_ctime)).encode(),
              str(st.st_ctime_ns % 10**9).encode()]
    return b"\0".join(fields) + b"\0"


def manifest_varints(n, out):
    st = n.st
    for v in (n.size, int(st.st_mtime), st.st_mtime_ns % 10**9, st.st_ino, int(time.time()),
              len(n.passages), hash(n.path) & (2**63 - 1), int(st.st_ctime),
              st.st_ctime_ns % 10**9):
        put_varint(out, v)
