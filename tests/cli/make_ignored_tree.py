"""make_ignored_tree.py TREE: notes under .gitignore files whose patterns
use each of git's rules (gitignore(5)): comments, blank lines, escapes, a
trailing escaped space, negation, folders only, anchoring by a leading or
middle slash, `**` at the start, middle and end, character classes, and
deeper files that override higher ones.  The tests compare what mlsearch
indexes with what git itself leaves unignored."""
import os
import sys

root = sys.argv[1]
files = ["a.md", "keep.md", "x.tmp.md", "top-only.md", "sub/top-only.md", "build/out.md",
         "src/build/gen.md", "node_modules/pkg/README.md", "a/b/deep.md", "a/deep.md", "a/b/c/deep.md",
         "logs/x.md", "a/logs/y.md", "doc/guide.md", "doc/sub/guide.md", "#hash.md", "spaced.md ",
         "sub/keep.md", "sub/x.tmp.md", "sub/sub2/notes.md", "cache/keep.md", "cache/other.md",
         "Data/one.md", "data/two.md", "a[1].md", "q?.md", "sub/.ignoreme.md", "deep/er/est/f.md",
         "only-dir/file.md", "only-dir.md", "n1/n2/n3.md", "n1/x.md", "dir-no-slash/in.md"]
for f in files:
    p = os.path.join(root, f)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    open(p, "w").write("text %s\n" % f)
def w(path, lines):
    open(os.path.join(root, path), "w").write("\n".join(lines) + "\n")
w(".gitignore", ["# comment", "", "*.tmp.md", "build/", "/top-only.md", "node_modules",
                 "a/**/deep.md", "**/logs", "doc/*.md", "\\#hash.md", "spaced.md\\ ",
                 "cache/*", "!cache/keep.md", "[Dd]ata/", "a\\[1\\].md", "only-dir/",
                 "deep/**", "n1/**/n3.md", "dir-no-slash"])
w("sub/.gitignore", ["!x.tmp.md", "keep.md", "sub2"])
w("n1/.gitignore", ["!n2/"])
for f in ["m/anchored.md", "m/sub/anchored.md", "m/a.md", "m/b.keep.md", "m/sub/c.keep.md",
          "m/z/q.keep.md", "m/y/z/w/r.keep.md", "m/deeper/d.keep.md"]:
    os.makedirs(os.path.dirname(os.path.join(root, f)), exist_ok=True)
    open(os.path.join(root, f), "w").write("text %s\n" % f)
# Git's finer points: a byte order mark, `***` and `**/**` read as `**`, an
# unclosed `[` that matches nothing, an escaped backslash before spaces.
for f in ["g/bom-first.md", "g/open[bracket.md", "g/t/u/s.md", "g/s.md", "g/v/twice.md",
          "g/bs\\/n.md", "g/plain.md"]:
    os.makedirs(os.path.dirname(os.path.join(root, f)), exist_ok=True)
    open(os.path.join(root, f), "w").write("text %s\n" % f)
open(os.path.join(root, "g/.gitignore"), "w", encoding="utf-8-sig").write(
    "bom-first.md\nopen[bracket.md\n/t/***/s.md\n**/**/twice.md\nbs\\\\  \n")
w("m/.gitignore", ["/anchored.md", "*", "!*/", "!*.keep.md", "**/z/**"])
