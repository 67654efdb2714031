"""Rebuilds every model, measures them and prints the table.

    /usr/bin/python3 run_all.py            build + query + check + table
    /usr/bin/python3 run_all.py --table    only print the table from OUT/*.json
"""
import json
import os
import subprocess
import sys

from common import OUT

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = ["CUR", "NOTE-nodata-text", "NOTE+text", "NOTE-noZ", "NOTE-gap1", "SPLIT",
          "SPLIT-reuse"]
PY = "/usr/bin/python3"


def run(*args):
    print("+", " ".join(args), file=sys.stderr)
    subprocess.run([PY] + list(args), cwd=HERE, check=True)


def mb(n):
    return "%.1f" % (n / 1e6)


def table():
    rows = []
    head = ("| model | total MB | x corpus | postlist | position | termlist | docdata | "
            "tokenize s | doc s | Xapian s | Xapian MB/s | top-10 p50/p95 ms | "
            "-l p50/p95 ms | exact -l p50/p95 ms | notes read p50/max | cold ms |")
    rows.append(head)
    rows.append("|" + "---|" * (head.count("|") - 1))
    for m in MODELS:
        try:
            b = json.load(open(os.path.join(OUT, m + ".json")))
        except OSError:
            continue
        try:
            q = json.load(open(os.path.join(OUT, m + ".query.json")))
        except OSError:
            q = {}
        t = b["tables"]
        fx = ("%.2f / %.2f" % (q["files_exact_p50"], q["files_exact_p95"])
              if "files_exact_p50" in q else "=")
        nr = ("%s / %s" % (q["notes_read_p50"], q["notes_read_max"])
              if "notes_read_p50" in q else "-")
        rows.append("| %s | %s | %.2f | %s | %s | %s | %s | %.1f | %.1f | %.1f | %.2f | %s | %s | %s | %s | %s |" % (
            m, mb(b["total"]), b["ratio"], mb(t.get("postlist", 0)), mb(t.get("position", 0)),
            mb(t.get("termlist", 0)), mb(t.get("docdata", 0)), b["tokenize_s"], b["doc_s"],
            b["xapian_s"], b["xapian_mb_s"],
            "%.2f / %.2f" % (q["top_p50"], q["top_p95"]) if q else "-",
            "%.2f / %.2f" % (q["files_p50"], q["files_p95"]) if q else "-", fx, nr,
            "%.1f" % q["cold_ms"] if q else "-"))
    out = "\n".join(rows)
    try:
        chk = json.load(open(os.path.join(OUT, "check.json")))
        lines = ["", "Exactness (text-only passage sets vs CUR; -l sets vs CUR's -l):"]
        for r in chk:
            parts = []
            for k, v in r.items():
                if isinstance(v, dict):
                    if "n" in v:
                        parts.append("%s: %d (-%d +%d) -l %d (+%d -%d)" % (
                            k, v["n"], v["n_missing"], v["n_extra"], v["files"],
                            v["files_extra"], v["files_missing"]))
                    else:
                        parts.append("%s: %d (+%d -%d)" % (k, v["files"], v["files_extra"],
                                                           v["files_missing"]))
            lines.append("  %-18s CUR %d, -l %d | %s" % (r["q"], r["CUR"], r["CUR_files"],
                                                         "; ".join(parts)))
        out += "\n".join(lines)
    except OSError:
        pass
    try:
        st = json.load(open(os.path.join(OUT, "stems.json")))
        ms = sorted(r["ms"] for r in st)
        out += "\n\nStems at query time (NOTE-noZ): expansion p50 %.2f ms max %.2f ms; " % (
            ms[len(ms) // 2], ms[-1])
        out += "notes missed vs Z terms: %d, extra: %d over %d words" % (
            sum(r["missing"] for r in st), sum(r["extra"] for r in st), len(st))
    except OSError:
        pass
    try:
        for r in json.load(open(os.path.join(OUT, "overlap.json"))):
            out += ("\nNOTE top-10 reading >= %d notes: %.0f%% of CUR's top 10 (paths+lines), "
                    "p50/p95 %.2f / %.2f ms" % (r["min_notes"], 100 * r["overlap_mean"],
                                                 r["top_p50"], r["top_p95"]))
    except OSError:
        pass
    with open(os.path.join(OUT, "table.md"), "w") as f:
        f.write(out + "\n")
    print(out)


def main():
    if sys.argv[1:] != ["--table"]:
        run("build.py", *MODELS)
        for m in MODELS:
            run("query.py", m)
        run("query.py", "--check")
        run("query.py", "--stems")
        run("query.py", "--overlap")
    table()


if __name__ == "__main__":
    main()
