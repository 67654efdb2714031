#!/usr/bin/env bats
# Ignore files: .gitignore, .ignore and .mlsearchignore, read as git reads
# them; --no-ignore indexes what they exclude too.

load helpers

setup() { enter_work_dir; }
teardown() { leave_work_dir; }

# The notes an index holds, as paths below $1, sorted (the rest of the
# arguments go to dump).
indexed_below() {
    "$MLS" dump "${@:2}" | python3 -c '
import json, os, sys
print("\n".join(sorted({os.path.relpath(json.loads(l)["path"], sys.argv[1]) for l in sys.stdin})))' "$1"
}

@test "what is indexed is what git leaves unignored, rule for rule" {
    python3 "$REPO/tests/cli/make_ignored_tree.py" tree
    (cd tree && git init -q . &&
        git ls-files --others --exclude-standard | grep '\.md' | grep -v '^\.\|/\.' | sort) \
        > "$WORK/by-git"
    [ "$(wc -l < "$WORK/by-git")" -eq 15 ] # (of 46 notes, hidden ones aside)
    "$MLS" index tree 2>/dev/null
    [ "$(indexed_below "$WORK/tree")" = "$(cat "$WORK/by-git")" ]
    # Without the ignore files, every note (.gitignore's own is hidden).
    "$MLS" index --no-ignore tree 2>/dev/null
    [ "$(indexed_below "$WORK/tree" | wc -l)" -eq 46 ]
}

@test ".ignore overrides .gitignore, .mlsearchignore both; a note newly ignored leaves the index" {
    printf 'alpha\n' > notes/a.md
    printf 'bravo\n' > notes/b.md
    printf 'charlie\n' > notes/c.md
    settle notes/*.md
    "$MLS" index notes
    [ "$(indexed_below "$WORK/notes")" = "a.md
b.md
c.md" ]
    printf 'a.md\nb.md\n' > notes/.gitignore
    printf '!b.md\n' > notes/.ignore
    printf 'c.md\n' > notes/.mlsearchignore
    run -0 --separate-stderr "$MLS" index -v notes
    [ "$(without_time "$stderr")" = "1 files: 0 new, 0 changed, 2 removed, 0 errors in T s" ]
    [ "$(indexed_below "$WORK/notes")" = "b.md" ]
    run -1 "$MLS" alpha
}

@test "a symbolic link is walked under the rules where it lies; one to an ignored folder is not followed" {
    mkdir -p notes/build "$WORK/outside"
    printf 'built\n' > notes/build/out.md
    printf 'kept\n' > "$WORK/outside/kept.md"
    printf 'draft\n' > "$WORK/outside/x.draft.md"
    printf 'build/\n*.draft.md\n' > notes/.gitignore
    ln -s build notes/current
    ln -s ../outside notes/ext
    printf 'follow-symlinks all\n' > config/mlsearch/config
    run -0 --separate-stderr "$MLS" index -v notes
    [ "$(without_time "$stderr")" = "notes/current: symbolic link to what an ignore file excludes, not followed
1 files: 1 new, 0 changed, 0 removed, 0 errors in T s" ]
    [ "$(indexed_below "$WORK/notes")" = "ext/kept.md" ]
}

@test "ignore files above a root: .gitignore up to its repository's top, .ignore up to /, as ripgrep" {
    mkdir -p repo/docs/build repo/docs/a/drafts repo/docs/sub
    (cd repo && git init -q .)
    printf '*.tmp.md\n/docs/build/\ndocs/**/drafts/\nsecret.md\n!docs/sub/secret.md\n/top.md\n' \
        > repo/.gitignore
    for f in x.md y.tmp.md build/b.md a/drafts/d.md a/keep.md secret.md sub/secret.md top.md \
             a/mine.private.md; do
        echo "text $f" > "repo/docs/$f"
    done
    printf 'keep.md\n' > repo/docs/a/.gitignore
    printf '*.private.md\n' > .ignore     # above the repository: read, as ripgrep does
    printf 'x.md\n' > .gitignore          # above the repository: not git's, not read
    (cd repo && git ls-files --others --exclude-standard docs | grep '\.md$' | grep -v private |
        sort) > by-git
    [ "$(cat by-git)" = "docs/sub/secret.md
docs/top.md
docs/x.md" ]
    "$MLS" index repo/docs
    [ "$(indexed_below "$WORK/repo")" = "$(cat by-git)" ]
    # The same from inside the root, by another path to it.
    (cd repo/docs && "$MLS" index --db "$WORK/db2" .)
    [ "$("$MLS" dump --db "$WORK/db2" | grep -c '"text"')" -eq 3 ]
    # In no repository, a .gitignore above a root is not git's: not read.
    mkdir -p plain/notes
    printf '*\n' > plain/.gitignore
    echo text > plain/notes/p.md
    "$MLS" index --db "$WORK/db3" plain/notes
    [ "$("$MLS" dump --db "$WORK/db3" | grep -c '"text"')" -eq 1 ]
    # A link in one root into another is judged by the other's rules
    # above it, whichever root comes first.
    ln -s ../../repo/docs/build plain/notes/built
    "$MLS" index --db "$WORK/db4" plain/notes repo/docs 2>/dev/null
    [ "$(indexed_below "$WORK" --db "$WORK/db4")" = "plain/notes/p.md
repo/docs/sub/secret.md
repo/docs/top.md
repo/docs/x.md" ]
    # A root that is a repository's top reads nothing above it but .ignore.
    printf 'top.md\n' > repo/docs/.gitignore
    (cd repo/docs && git init -q .)
    "$MLS" index repo/docs
    [ "$(indexed_below "$WORK/repo")" = "docs/a/drafts/d.md
docs/build/b.md
docs/secret.md
docs/sub/secret.md
docs/x.md
docs/y.tmp.md" ]
    "$MLS" index --no-ignore repo/docs
    [ "$(indexed_below "$WORK/repo" | wc -l)" -eq 9 ]
    # ignore-files no in the configuration: every run, as --no-ignore.
    "$MLS" index repo/docs
    printf 'ignore-files no\n' > config/mlsearch/config
    "$MLS" index repo/docs
    [ "$(indexed_below "$WORK/repo" | wc -l)" -eq 9 ]
}
