"""Rebuilds every model, measures them and prints the table.

    /usr/bin/python3 run_all.py            build + query + check + table
    /usr/bin/python3 run_all.py --ctx      only the NOTE+text+ctx variants
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
# NOTE+text with each note's context strings indexed once (build.py CTX_MODELS)
CTX_MODELS = ["NOTE+text+ctx", "NOTE+text+ctx+Zpos", "NOTE+text+ctx+gap1",
              "NOTE+text+ctx+Zpos+gap1", "NOTE+text+ctx+value", "NOTE+text+ctx+xz",
              "NOTE+text+ctx+deflate9", "NOTE+text+ctx+fuller", "NOTE+text+ctx+multipass",
              "NOTE+text+ctx+b16k", "NOTE+text+ctx+b64k", "NOTE+text+ctx+refs",
              "NOTE+text+ctx+reuse", "NOTE+text+ctx+reuse+refs", "NOTE+text+ctx+dropZ",
              "NOTE+text+ctx+Zpos+reuse+refs", "NOTE+text+ctx+Zpos+dropZ+reuse+refs",
              "NOTE+text+ctx+Zpos+gap1+reuse+refs", "NOTE+text+ctx+gap1+reuse+b64k",
              "NOTE+text+ctx+gap1+reuse+dropZ+b64k", "NOTE+text+ctx+Zpos+gap1+reuse+b64k",
              "NOTE+text+ctx+Zpos+gap1+reuse+dropZ+b64k",
              "NOTE+text+ctx+Zpos+gap1+reuse+dropZ+b64k+xz", "NOTE+text+ctx+slim",
              "NOTE+text+ctx+gap1+reuse+slim+b64k", "NOTE+text+ctx+gap1+reuse+dropZ+slim+b64k",
              "NOTE+text+ctx+Zpos+gap1+reuse+dropZ+slim+b64k",
              "NOTE+text+ctx+ZposStems+gap1+reuse+dropZ+slim+b64k"]
# the ones whose query latency is measured (the others differ only in storage
# details that the same queries read the same way, or in compaction)
CTX_TIMED = ["NOTE+text+ctx", "NOTE+text+ctx+Zpos", "NOTE+text+ctx+gap1",
             "NOTE+text+ctx+gap1+reuse+b64k", "NOTE+text+ctx+gap1+reuse+dropZ+b64k",
             "NOTE+text+ctx+Zpos+gap1+reuse+dropZ+b64k",
             "NOTE+text+ctx+Zpos+gap1+reuse+dropZ+b64k+xz",
             "NOTE+text+ctx+gap1+reuse+slim+b64k", "NOTE+text+ctx+gap1+reuse+dropZ+slim+b64k",
             "NOTE+text+ctx+ZposStems+gap1+reuse+dropZ+slim+b64k"]
# exactness, with context, against CUR
CTX_CHECKED = ["NOTE-nodata-text", "NOTE+text+ctx", "NOTE+text+ctx+gap1",
               "NOTE+text+ctx+reuse+refs", "NOTE+text+ctx+gap1+reuse+dropZ+b64k",
               "NOTE+text+ctx+Zpos+gap1+reuse+dropZ+b64k+xz",
               "NOTE+text+ctx+gap1+reuse+slim+b64k",
               "NOTE+text+ctx+ZposStems+gap1+reuse+dropZ+slim+b64k"]
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
    for m in MODELS + CTX_MODELS:
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
    try:
        lines = ["", "Exactness with context (passage sets where each unit is in the text or "
                 "in a heading/item string, vs CUR's; and exact -l vs CUR's -l): "
                 "missing/extra summed over %d queries:" % len(
                     json.load(open(os.path.join(OUT, "check-ctx.json"))))]
        chk = json.load(open(os.path.join(OUT, "check-ctx.json")))
        for m in CTX_CHECKED:
            if m + " ctx" not in chk[0]:
                continue
            lines.append("  %-38s ctx -%d +%d; text -%d +%d; exact -l -%d +%d" % (
                m, sum(r[m + " ctx"]["ctx_missing"] for r in chk),
                sum(r[m + " ctx"]["ctx_extra"] for r in chk),
                sum(r[m]["n_missing"] for r in chk), sum(r[m]["n_extra"] for r in chk),
                sum(r[m + " -l exact"]["files_missing"] for r in chk),
                sum(r[m + " -l exact"]["files_extra"] for r in chk)))
        out += "\n".join(lines)
    except OSError:
        pass
    try:
        st = json.load(open(os.path.join(OUT, "stems-drop.json")))
        ms = sorted(r["ms"] for r in st)
        out += ("\n\nZ terms dropped where the stem is a prefix of the word (dropZ), stems "
                "expanded from the term list: expansion p50 %.2f ms max %.2f ms; notes missed "
                "vs Z terms: %d, extra: %d over %d words" % (
                    ms[len(ms) // 2], ms[-1], sum(r["missing"] for r in st),
                    sum(r["extra"] for r in st), len(st)))
    except OSError:
        pass
    with open(os.path.join(OUT, "table.md"), "w") as f:
        f.write(out + "\n")
    print(out)


def main():
    if sys.argv[1:] == ["--ctx"]:  # only the NOTE+text+ctx variants
        run("build.py", *CTX_MODELS)
        for m in CTX_TIMED:
            run("query.py", m)
        run("query.py", "--check-ctx", *CTX_CHECKED)
        run("query.py", "--stems-drop")
    elif sys.argv[1:] != ["--table"]:
        run("build.py", *MODELS)
        for m in MODELS:
            run("query.py", m)
        run("query.py", "--check")
        run("query.py", "--stems")
        run("query.py", "--overlap")
        run("build.py", *CTX_MODELS)
        for m in CTX_TIMED:
            run("query.py", m)
        run("query.py", "--check-ctx", *CTX_CHECKED)
        run("query.py", "--stems-drop")
    table()


if __name__ == "__main__":
    main()
