#!/usr/bin/env python3
"""Build the mlsearch benchmark corpus: Japanese/English Markdown notes.

    python3 bench/corpus.py [--data bench/data] [--scale N] [--jobs 2]

Base tree (DATA/base/<package>/...): the HTML and man pages of Debian
documentation packages converted to GitHub-flavoured Markdown with pandoc.
The packages are unpacked by bench/install-packages into DATA/debs-root/
(file lists in DATA/debs-root/.lists/); a package installed with dpkg
instead is read from / through `dpkg -L`.

  * HTML: pandoc -f html -t gfm-raw_html --wrap=none plus a Lua filter that
    drops images, raw HTML, navigation headers/footers and attributes,
    flattens tables that pipe tables cannot hold, fences code blocks and
    points relative links at the .md files.
  * man pages (/usr/share/man/[<lang>/]man*/*.gz): pandoc -f man on the
    decompressed source; if pandoc fails, the text from
    groff -mandoc -Tutf8 -P-c -P-b -P-u becomes the body; pages that still
    fail are skipped and counted.  `.so` alias pages are skipped.
  * plain text (.txt, .txt.gz) only for a package with neither.
  * outputs under MIN_BYTES are dropped.

Each package is cached: DATA/stamps/base-<package>.json records a key over
the converter versions, this conversion's settings and every source file
(path, size, mtime); a package whose key matches is not converted again.

--scale N builds DATA/scaled-N/copy-01 .. copy-NN: N replicas of base, each
file of replica k ending in one extra line "<!-- replica k -->" (an HTML
comment: invisible when rendered, so replicas differ byte-wise but a query's
hits in scaled-N are N times its hits in base, except for "replica" and the
replica numbers themselves).  Cached the same way (DATA/stamps/scaled-N.json).

Python 3 standard library only.
"""

import argparse
import concurrent.futures
import gzip
import hashlib
import inspect
import json
import os
import re
import shutil
import subprocess
import sys
import time

PACKAGES = [
    "debian-reference-ja",
    "debian-reference-en",
    "maint-guide-ja",
    "developers-reference-ja",
    "debian-faq-ja",
    "debian-policy-ja",
    "manpages-ja",
    "gimp-help-ja",
    # Not in the first plan; added to reach tens of MB (the list above gives
    # about 15 MB): more Japanese, and English (manpages-dev).
    "manpages-ja-dev",
    "manpages-dev",
    "libreoffice-help-ja",
]

# Bump when the conversion changes in a way the key below cannot see.
FORMAT_VERSION = "1"
SCALE_VERSION = "1"
MIN_BYTES = 200
TIMEOUT = 300  # seconds per conversion

PANDOC_HTML = ["pandoc", "-f", "html", "-t", "gfm-raw_html", "--wrap=none"]
PANDOC_MAN = ["pandoc", "-f", "man", "-t", "gfm-raw_html", "--wrap=none"]
GROFF = ["groff", "-k", "-Kutf8", "-mandoc", "-Tutf8", "-P-c", "-P-b", "-P-u"]

# HTML files that are not content (Sphinx search/index pages) or duplicate
# other files (the single-page edition of the developers reference).
SKIP_HTML_NAMES = {"search.html", "genindex.html", "py-modindex.html",
                   "noscript.html"}
SKIP_HTML_DIRS = {"_static", "_sources", "_images"}
SKIP_FILES = {
    "developers-reference-ja": {"/usr/share/developers-reference/ja/developers-reference.html"},
}

LUA_FILTER = r"""
-- mlsearch bench: turn documentation HTML / man pages into plain notes.
local drop = {navheader=true, navfooter=true, sphinxsidebar=true,
  related=true, footer=true, headerlink=true, debug=true}
local function dropped(el)
  for _, c in ipairs(el.classes) do if drop[c] then return true end end
  -- LibreOffice help: of the hidden per-system variants that its script
  -- switches between, keep the default one
  if el.attributes and el.attributes["hidden"] and
     not el.identifier:match("^default") then return true end
  return false
end
-- LibreOffice help: keep the page body, not the menus around it.
-- (Filters run bottom-up and Pandoc last: Div keeps this one div, unwrapping
-- all others, so it ends up among the top-level blocks.)
function Pandoc(doc)
  for _, b in ipairs(doc.blocks) do
    if b.t == "Div" and b.identifier == "DisplayArea" then
      doc.blocks = b.content
      return doc
    end
  end
end
local function blank(inlines)
  for _, x in ipairs(inlines) do
    if x.t == "Str" then
      if not x.text:match("^[%s\194\160]*$") then return false end
    elseif x.t ~= "Space" and x.t ~= "SoftBreak" and x.t ~= "LineBreak" then
      return false
    end
  end
  return true
end
function Div(el)
  if dropped(el) then return {} end
  if el.identifier == "DisplayArea" then el.attr = pandoc.Attr("DisplayArea") return el end
  return el.content
end
function Span(el) if dropped(el) then return {} end return el.content end
function Image(el) return {} end
function RawBlock(el) return {} end
function RawInline(el) return {} end
function Link(el)
  if dropped(el) or #el.content == 0 then return {} end
  el.attr = pandoc.Attr()
  el.title = ""
  -- relative links to other pages point at the converted notes
  if not el.target:match("^%a[%w+.-]*:") then
    local page, frag = el.target:match("^(.-)%.html?(#.*)$")
    if not page then page = el.target:match("^(.-)%.html?$"); frag = "" end
    if page then el.target = page .. ".md" .. frag end
  end
  return el
end
function Code(el) el.attr = pandoc.Attr() return el end
function CodeBlock(el)
  -- a class makes the gfm writer use a ``` fence, as notes usually do
  el.attr = pandoc.Attr("", {"text"})
  return el
end
function Header(el) el.attr = pandoc.Attr() return el end
function Para(el) if blank(el.content) then return {} end end
function Plain(el) if blank(el.content) then return {} end end

-- Tables that GFM pipe tables cannot hold (multi-block cells, row/column
-- spans: DocBook admonitions, layout tables) become their cells' blocks.
local function rows_of(el)
  local rows = {}
  local function add(list)
    for _, r in ipairs(list or {}) do rows[#rows+1] = r end
  end
  add(el.head and el.head.rows)
  for _, b in ipairs(el.bodies or {}) do add(b.head); add(b.body) end
  add(el.foot and el.foot.rows)
  return rows
end
local function complex(rows)
  for _, r in ipairs(rows) do
    for _, c in ipairs(r.cells) do
      if (c.row_span or 1) > 1 or (c.col_span or 1) > 1 then return true end
      if #c.contents > 1 then return true end
      local b = c.contents[1]
      if b and b.t ~= "Plain" and b.t ~= "Para" then return true end
    end
  end
  return false
end
function Table(el)
  local rows = rows_of(el)
  if not complex(rows) then
    -- a pipe-table cell holds one line
    return pandoc.walk_block(el, {LineBreak = function() return pandoc.Space() end})
  end
  local out = {}
  for _, r in ipairs(rows) do
    for _, c in ipairs(r.cells) do
      for _, b in ipairs(c.contents) do
        if b.t == "Plain" then b = pandoc.Para(b.content) end
        out[#out+1] = b
      end
    end
  end
  return out
end
"""

MAN_RE = re.compile(r"^/usr/share/man/(?:[^/]+/)?man[^/]+/[^/]+\.gz$")
SO_RE = re.compile(rb"\A(?:\s*(?:\.\\\"|'\\\")[^\n]*\n)*\s*\.so\s+\S+\s*\Z")


def log(msg):
    print(msg, flush=True)


def tool_version(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, check=False).stdout
    except OSError:
        return None
    return out.splitlines()[0].strip() if out else None


# ---------------------------------------------------------------- sources

def package_files(pkg, root):
    """(root, [absolute paths inside the package]) for an unpacked or
    installed package."""
    lst = os.path.join(root, ".lists", pkg + ".list")
    if os.path.isfile(lst):
        with open(lst, encoding="utf-8") as f:
            return root, [l.rstrip("\n") for l in f if l.strip()]
    r = subprocess.run(["dpkg", "-L", pkg], capture_output=True, text=True)
    if r.returncode == 0:
        return "/", [l for l in r.stdout.splitlines() if l.startswith("/")]
    sys.exit(f"corpus.py: {pkg} is neither unpacked in {root} nor installed; "
             "run bench/install-packages first")


def select_sources(pkg, root):
    """Return (root, [(kind, abs path)]) of the files to convert."""
    base, paths = package_files(pkg, root)
    html, man, text = [], [], []
    skip = SKIP_FILES.get(pkg, set())
    for p in sorted(set(paths)):
        full = os.path.join(base, p.lstrip("/"))
        if p in skip or os.path.islink(full) or not os.path.isfile(full):
            continue
        name = os.path.basename(p)
        low = name.lower()
        if low.endswith((".html", ".htm")):
            if name in SKIP_HTML_NAMES or SKIP_HTML_DIRS & set(p.split("/")):
                continue
            html.append(("html", p))
        elif MAN_RE.match(p):
            man.append(("man", p))
        elif low.endswith((".txt", ".txt.gz")) and \
                not p.startswith(f"/usr/share/doc/{pkg}/") and \
                not SKIP_HTML_DIRS & set(p.split("/")):
            text.append(("text", p))
    sources = html + man
    if not sources:
        sources = text
    return base, sources


def out_rel(kind, path, prefix):
    rel = os.path.relpath(path, prefix)
    if rel.endswith(".gz"):
        rel = rel[:-3]
    if kind == "html":
        rel = re.sub(r"\.html?$", "", rel, flags=re.I)
    elif kind == "text":
        rel = re.sub(r"\.txt$", "", rel)
    return rel + ".md"


def read_source(full):
    if full.endswith(".gz"):
        with gzip.open(full, "rb") as f:
            return f.read()
    with open(full, "rb") as f:
        return f.read()


# ------------------------------------------------------------- conversion

def run(cmd, data):
    r = subprocess.run(cmd, input=data, capture_output=True, timeout=TIMEOUT)
    if r.returncode != 0:
        raise RuntimeError(r.stderr.decode("utf-8", "replace").strip()[:300])
    return r.stdout


def man_title(path):
    # ls.1.gz -> ls(1)
    name = os.path.basename(path)[:-3]
    stem, _, sect = name.rpartition(".")
    return f"{stem}({sect})" if stem else name


def tidy(md):
    md = md.replace("\r\n", "\n")
    md = re.sub(r"(?m)^(\s*`{3,}) text$", r"\1text", md)  # "``` text" -> "```text"
    md = re.sub(r"[ \t\u00a0]+\n", "\n", md)
    md = re.sub(r"\n{3,}", "\n\n", md)
    return md.strip() + "\n"


def convert(job):
    """Convert one file; returns (status, out_rel, text or error)."""
    kind, full, rel, filt = job
    status = "ok"
    try:
        src = read_source(full)
        if kind == "html":
            md = run(PANDOC_HTML + ["--lua-filter", filt], src).decode("utf-8", "replace")
        elif kind == "man":
            if SO_RE.match(src):
                return ("alias", rel, None)
            head = f"# {man_title(full)}\n\n"
            try:
                md = head + run(PANDOC_MAN + ["--lua-filter", filt], src).decode("utf-8", "replace")
            except (RuntimeError, subprocess.TimeoutExpired):
                txt = run(GROFF, src).decode("utf-8", "replace")
                md = head + "```text\n" + txt.strip("\n") + "\n```\n"
                status = "fallback"
        else:
            md = src.decode("utf-8", "replace")
        md = tidy(md)
        if len(md.encode("utf-8")) < MIN_BYTES:
            return ("small", rel, None)
        return (status, rel, md)
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as e:
        return ("failed", rel, f"{full}: {e}")


def package_key(pkg, base, sources, tools):
    h = hashlib.sha256()
    # The conversion code itself is part of the key: editing it rebuilds.
    code = [inspect.getsource(f) for f in
            (select_sources, out_rel, read_source, man_title, tidy, convert)]
    h.update(json.dumps([FORMAT_VERSION, MIN_BYTES, PANDOC_HTML, PANDOC_MAN,
                         GROFF, LUA_FILTER, sorted(SKIP_HTML_NAMES),
                         sorted(SKIP_HTML_DIRS), sorted(SKIP_FILES.get(pkg, ())),
                         MAN_RE.pattern, code, tools, pkg]).encode())
    for kind, p in sources:
        st = os.stat(os.path.join(base, p.lstrip("/")))
        h.update(f"{kind}\0{p}\0{st.st_size}\0{int(st.st_mtime)}\n".encode())
    return h.hexdigest()


def build_package(pkg, data, root, tools, filt, jobs):
    stamp_path = os.path.join(data, "stamps", f"base-{pkg}.json")
    out_dir = os.path.join(data, "base", pkg)
    base, sources = select_sources(pkg, root)
    if not sources:
        sys.exit(f"corpus.py: no HTML, man or text files found for {pkg}")
    key = package_key(pkg, base, sources, tools)
    if os.path.isdir(out_dir) and os.path.isfile(stamp_path):
        with open(stamp_path) as f:
            st = json.load(f)
        if st.get("key") == key:
            st["cached"] = True
            return st

    t0 = time.time()
    prefix = os.path.commonpath([os.path.dirname(p) for _, p in sources])
    tmp = os.path.join(data, "tmp", "base-" + pkg)
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    work = [(kind, os.path.join(base, p.lstrip("/")), out_rel(kind, p, prefix), filt)
            for kind, p in sources]
    # Largest first so that one big file does not finish last alone.
    work.sort(key=lambda w: -os.path.getsize(w[1]))
    counts = {"ok": 0, "fallback": 0, "small": 0, "alias": 0, "failed": 0}
    errors = []
    notes = {}
    nbytes = 0
    seen = set()
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as ex:
        for status, rel, text in ex.map(convert, work):
            counts[status] += 1
            if status in ("fallback", "small", "alias"):
                notes.setdefault(status, []).append(rel)
            if status == "failed":
                errors.append(text)
                continue
            if text is None:
                continue
            if rel in seen:  # two sources mapping to one name: keep the first
                continue
            seen.add(rel)
            dst = os.path.join(tmp, rel)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            data_bytes = text.encode("utf-8")
            with open(dst, "wb") as f:
                f.write(data_bytes)
            nbytes += len(data_bytes)
    shutil.rmtree(out_dir, ignore_errors=True)
    os.makedirs(os.path.dirname(out_dir), exist_ok=True)
    os.rename(tmp, out_dir)
    st = {
        "key": key, "package": pkg, "sources": len(sources),
        "files": len(seen), "bytes": nbytes, "converted": counts["ok"],
        "groff_fallback": counts["fallback"], "too_small": counts["small"],
        "so_alias": counts["alias"], "failed": counts["failed"],
        "errors": errors[:50], "groff_fallback_files": notes.get("fallback", []),
        "too_small_files": notes.get("small", []), "so_alias_files": notes.get("alias", []),
        "seconds": round(time.time() - t0, 1),
    }
    os.makedirs(os.path.dirname(stamp_path), exist_ok=True)
    with open(stamp_path + ".tmp", "w") as f:
        json.dump(st, f, indent=1, ensure_ascii=False)
    os.replace(stamp_path + ".tmp", stamp_path)
    st["cached"] = False
    return st


def build_base(data, jobs):
    root = os.path.join(data, "debs-root")
    tools = [tool_version(["pandoc", "--version"]), tool_version(["groff", "--version"])]
    if not tools[0]:
        sys.exit("corpus.py: pandoc not found; run bench/install-packages first")
    os.makedirs(os.path.join(data, "stamps"), exist_ok=True)
    filt = os.path.join(data, "stamps", "md-filter.lua")
    with open(filt + ".tmp", "w") as f:
        f.write(LUA_FILTER)
    os.replace(filt + ".tmp", filt)
    # packages no longer in the list
    base_dir = os.path.join(data, "base")
    if os.path.isdir(base_dir):
        for d in os.listdir(base_dir):
            if d not in PACKAGES:
                shutil.rmtree(os.path.join(base_dir, d))

    t0 = time.time()
    stats = []
    for pkg in PACKAGES:
        st = build_package(pkg, data, root, tools, filt, jobs)
        stats.append(st)
        log(f"  {pkg:<24} {st['files']:6d} files {st['bytes'] / 1e6:8.2f} MB"
            f"  failed {st['failed']}, groff fallback {st['groff_fallback']},"
            f" <{MIN_BYTES}B {st['too_small']}, .so {st['so_alias']}"
            f"  {'cached' if st['cached'] else str(st['seconds']) + ' s'}")
        for e in st["errors"][:5]:
            log(f"      failed: {e}")
    files = sum(s["files"] for s in stats)
    mb = sum(s["bytes"] for s in stats) / 1e6
    failed = sum(s["failed"] for s in stats)
    spent = time.time() - t0
    log(f"  {'total':<24} {files:6d} files {mb:8.2f} MB  failed {failed}"
        f"  ({spent:.1f} s this run; {sum(s['seconds'] for s in stats):.1f} s"
        f" conversion when built)")
    key = hashlib.sha256("".join(s["key"] for s in stats).encode()).hexdigest()
    return key, files, mb


# ------------------------------------------------------------------ scale

def build_scaled(data, n, base_key):
    out_dir = os.path.join(data, f"scaled-{n}")
    stamp_path = os.path.join(data, "stamps", f"scaled-{n}.json")
    key = hashlib.sha256(f"{base_key}\0{n}\0{SCALE_VERSION}".encode()).hexdigest()
    if os.path.isdir(out_dir) and os.path.isfile(stamp_path):
        with open(stamp_path) as f:
            st = json.load(f)
        if st.get("key") == key:
            log(f"scaled-{n}: {st['files']} files, {st['bytes'] / 1e6:.2f} MB (cached)")
            return
    t0 = time.time()
    base_dir = os.path.join(data, "base")
    tmp = os.path.join(data, "tmp", f"scaled-{n}")
    shutil.rmtree(tmp, ignore_errors=True)
    width = max(2, len(str(n)))
    copies = [f"copy-{k:0{width}d}" for k in range(1, n + 1)]
    suffixes = [f"<!-- replica {k} -->\n".encode() for k in range(1, n + 1)]
    files = 0
    nbytes = 0
    made = set()
    for dirpath, dirnames, filenames in os.walk(base_dir):
        dirnames.sort()
        rel_dir = os.path.relpath(dirpath, base_dir)
        for name in sorted(filenames):
            with open(os.path.join(dirpath, name), "rb") as f:
                body = f.read()
            if not body.endswith(b"\n"):
                body += b"\n"
            for copy, suffix in zip(copies, suffixes):
                d = os.path.normpath(os.path.join(tmp, copy, rel_dir))
                if d not in made:
                    os.makedirs(d, exist_ok=True)
                    made.add(d)
                with open(os.path.join(d, name), "wb") as f:
                    f.write(body)
                    f.write(suffix)
                files += 1
                nbytes += len(body) + len(suffix)
    shutil.rmtree(out_dir, ignore_errors=True)
    os.rename(tmp, out_dir)
    st = {"key": key, "n": n, "files": files, "bytes": nbytes,
          "seconds": round(time.time() - t0, 1)}
    with open(stamp_path + ".tmp", "w") as f:
        json.dump(st, f, indent=1)
    os.replace(stamp_path + ".tmp", stamp_path)
    log(f"scaled-{n}: {files} files, {nbytes / 1e6:.2f} MB ({st['seconds']} s)")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=os.path.join(here, "data"),
                    help="data directory (default: bench/data)")
    ap.add_argument("--scale", type=int, default=0, metavar="N",
                    help="also build DATA/scaled-N with N replicas of base")
    ap.add_argument("--jobs", type=int, default=2,
                    help="concurrent conversions (default 2)")
    args = ap.parse_args()
    if args.scale < 0 or args.jobs < 1:
        ap.error("--scale must be >= 1 and --jobs >= 1")
    data = os.path.abspath(args.data)
    log(f"base corpus in {os.path.join(data, 'base')}:")
    base_key, _, _ = build_base(data, args.jobs)
    if args.scale:
        build_scaled(data, args.scale, base_key)
    shutil.rmtree(os.path.join(data, "tmp"), ignore_errors=True)


if __name__ == "__main__":
    main()
