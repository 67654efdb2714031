#!/usr/bin/env bats
# Indexing: bad input, re-runs, changes, the index directory.

load helpers

setup() {
    enter_work_dir
}

teardown() {
    leave_work_dir
}

# The passages in the index, as sorted JSON lines.
dump() {
    "$MLS" dump
}

@test "bad notes are each reported once as path: reason, and the rest is indexed" {
    printf '# Good\n\nalpha bravo\n' > notes/good.md
    printf 'caf\xe9 delta\n' > notes/invalid.md
    : > notes/empty.md
    printf '\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR echo\n' > notes/binary.md
    settle notes/*
    run -0 --separate-stderr "$MLS" index notes
    [ "$output" = "" ]
    [ "$stderr" = "notes/binary.md: binary file, skipped
notes/invalid.md: invalid UTF-8: 1 byte replaced with U+FFFD" ]
    run -0 "$MLS" --color=never alpha
    [ "$output" = "notes/good.md:3: Good › alpha bravo" ]
    run -0 "$MLS" --color=never delta
    [ "$output" = "notes/invalid.md:1: caf� delta" ]
    run -1 "$MLS" echo
    # A second run reads nothing that has not changed, so reports nothing.
    run -0 --separate-stderr "$MLS" index notes
    [ "$stderr" = "" ]
    # An empty note is nothing wrong: said only when asked.
    run -0 --separate-stderr "$MLS" index -v --full notes
    [ "$(without_time "$stderr")" = "notes/binary.md: binary file, skipped
notes/empty.md: empty file, nothing to index
notes/invalid.md: invalid UTF-8: 1 byte replaced with U+FFFD
4 files: 0 new, 4 changed, 0 removed, 0 errors in T s" ]
}

@test "an unreadable note is an error (exit 2) that does not stop the others" {
    printf 'alpha\n' > notes/good.md
    printf 'secret\n' > notes/locked.md
    chmod 000 notes/locked.md
    run -2 --separate-stderr mls_unprivileged index notes
    [ "$stderr" = "notes/locked.md: cannot read: Permission denied" ]
    run -0 "$MLS" --color=never alpha
    [ "$output" = "notes/good.md:1: alpha" ]
}

@test "re-indexing an unchanged tree changes nothing and duplicates nothing" {
    cp -r "$REPO/corpus" corpus
    settle $(find corpus -type f)
    "$MLS" index corpus 2>/dev/null
    first="$(dump)"
    [ "$(printf '%s\n' "$first" | wc -l)" -gt 300 ]
    run -0 --separate-stderr "$MLS" index corpus
    [ "$stderr" = "" ]
    [ "$(dump)" = "$first" ]
    run -0 "$MLS" index --db "$WORK/fresh" corpus
    run -0 env MLSEARCH_DB="$WORK/fresh" "$MLS" dump
    [ "$output" = "$first" ]
}

@test "a changed note is re-read, a deleted one forgotten" {
    printf 'alpha\n' > notes/a.md
    printf 'bravo\n' > notes/b.md
    "$MLS" index notes
    printf 'charlie\n' > notes/a.md
    touch -d '2001-01-01' notes/a.md   # an old mtime, but a new size
    rm notes/b.md
    run -0 "$MLS" index notes
    run -1 "$MLS" alpha
    run -1 "$MLS" bravo
    run -0 "$MLS" --color=never charlie
    [ "$output" = "notes/a.md:1: charlie" ]
}

@test "a note rewritten in the second it was indexed is read again" {
    printf 'alpha\n' > notes/a.md
    touch -d '@4000000000' notes/a.md  # mtime after the run: not trusted
    "$MLS" index notes
    printf 'bravo\n' > notes/a.md
    touch -d '@4000000000' notes/a.md  # same size, same mtime
    "$MLS" index notes
    run -0 "$MLS" --color=never bravo
    run -1 "$MLS" alpha
}

@test "only notes are indexed: .md .markdown .txt, no hidden folders" {
    mkdir -p notes/.git notes/sub
    printf 'alpha\n' > notes/a.md
    printf 'alpha\n' > notes/sub/b.MARKDOWN
    printf 'alpha\n' > notes/c.txt
    printf 'alpha\n' > notes/d.html
    printf 'alpha\n' > notes/.git/e.md
    "$MLS" index notes
    run -0 "$MLS" -c alpha
    [ "$(sort <<< "$output")" = "notes/a.md:1
notes/c.txt:1
notes/sub/b.MARKDOWN:1" ]
}

@test "a note named on the command line is indexed whatever its name" {
    printf 'alpha\n' > notes/README
    "$MLS" index notes/README
    run -0 "$MLS" --color=never alpha
    [ "$output" = "notes/README:1: alpha" ]
}

@test "the index directory is created owner-only (0700) under any umask" {
    printf 'alpha\n' > notes/a.md
    (umask 000 && "$MLS" index --db "$WORK/deep/er/db" notes)
    [ "$(stat -c %a "$WORK/deep/er/db")" = 700 ]
}

@test "indexing a missing path is an error naming it; nothing else is lost" {
    printf 'alpha\n' > notes/a.md
    "$MLS" index notes
    run -2 --separate-stderr "$MLS" index notes missing
    [ "$stderr" = "missing: cannot read this root: No such file or directory; what was indexed under it is kept" ]
    run -0 "$MLS" alpha
}

@test "index without a path says how to use it" {
    run -2 --separate-stderr "$MLS" index
    [ "$stderr" = "mlsearch: index: no path given, no root in the configuration, and none indexed before (usage: mlsearch index PATH...)" ]
}

@test "a symbolic link loop does not hang the crawl; broken links are skipped" {
    printf 'alpha\n' > notes/a.md
    ln -s .. notes/up
    ln -s loop.md notes/loop.md
    ln -s nowhere.md notes/dangling.md
    run -0 --separate-stderr "$MLS" index notes
    [ "$stderr" = "notes/dangling.md: broken symbolic link, skipped: No such file or directory
notes/loop.md: broken symbolic link, skipped: Too many levels of symbolic links" ]
    run -0 "$MLS" --color=never alpha
    [ "$output" = "notes/a.md:1: alpha" ]
}

@test "a folder that cannot be read keeps its notes in the index" {
    mkdir notes/sub
    printf 'treasure\n' > notes/sub/a.md
    printf 'alpha\n' > notes/b.md
    mls_unprivileged index notes
    chmod 000 notes/sub
    run -2 --separate-stderr mls_unprivileged index notes
    [ "$stderr" = "notes/sub: cannot open directory: Permission denied" ]
    chmod 755 notes/sub
    run -0 "$MLS" --color=never treasure
    [ "$output" = "notes/sub/a.md:1: treasure" ]
}

@test "a note over the size cap is skipped with a warning, without being read" {
    printf 'alpha\n' > notes/a.md
    head -c 17000000 /dev/zero | tr '\0' 'x' > notes/big.md
    run -0 --separate-stderr "$MLS" index notes
    [ "$stderr" = "notes/big.md: larger than 16777216 bytes, skipped" ]
    run -0 "$MLS" alpha
}

@test "a first build is compacted into a new generation; later runs keep it" {
    printf 'alpha\n' > notes/a.md
    settle notes/a.md
    "$MLS" index notes
    [ "$(cat db/index)" = "glass gen-2" ]
    [ "$(ls db)" = "compacted
gen-2
index
lock" ]
    printf 'bravo\n' > notes/b.md
    "$MLS" index notes
    [ "$(ls db)" = "compacted
gen-2
index
lock" ]
    run -0 "$MLS" --color=never bravo
    [ "$output" = "notes/b.md:1: bravo" ]
}

@test "what a killed compaction left is removed by the next run" {
    printf 'alpha\n' > notes/a.md
    "$MLS" index notes
    mkdir db/gen-3 && printf 'half written' > db/gen-3/postlist.glass
    mkdir db/gen-3.shard-1 && printf 'half written' > db/gen-3.shard-1/postlist.glass
    run -0 "$MLS" --color=never alpha
    [ "$output" = "notes/a.md:1: alpha" ]
    "$MLS" index notes
    [ "$(ls db)" = "compacted
gen-2
index
lock" ]
}

# Writes $1 notes of mixed Japanese and English under notes/, in folders
# of 50, with headings, lists and code; plus an empty and a binary note,
# so that warnings come from the threads too.
make_tree() {
    local i dir
    for ((i = 0; i < $1; i++)); do
        dir=notes/d$((i / 50))
        mkdir -p "$dir"
        printf '# 会議 %04d\n\nnote-%04d 推論サーバー の 設計 %s\n\n- 項目 alpha %d\n  - 子 bravo\n\n```\ncode %d\n```\n' \
            "$i" "$i" "$(printf 'word%d ' $(seq $((i % 7)) $((i % 7 + 20))))" "$i" "$i" > "$dir/n$i.md"
    done
    : > notes/d0/empty.md
    printf 'x\0y' > notes/d1/binary.md
    settle notes/*/*
}

@test "a first build with several threads makes exactly the index one thread makes" {
    make_tree 300
    run -0 --separate-stderr "$MLS" index -j 1 --db one notes
    local serial="$stderr"
    [ "$serial" = "notes/d1/binary.md: binary file, skipped" ]
    run -0 --separate-stderr "$MLS" index --jobs=3 --db three notes
    [ "$(printf '%s\n' "$stderr" | sort)" = "$serial" ]
    [ "$(ls three)" = "compacted
gen-2
index
lock" ]
    [ "$("$MLS" dump --db one | wc -l)" -eq 1500 ]
    diff <("$MLS" dump --db one) <("$MLS" dump --db three)
    for q in 推論サーバー word3 "alpha 子" 設 note-0299; do
        diff <("$MLS" --db one --color=never -n 400 "$q") <("$MLS" --db three --color=never -n 400 "$q")
    done
    run -0 "$MLS" --db three --color=never note-0299
    [ "$output" = "notes/d5/n299.md:3: 会議 0299 › note-0299 推論サーバー の 設計 word5 word6 word7 word8 word9 word10 word11 word12 word13 word14…" ]
}

@test "the number of index threads must be a whole number of at least 1" {
    run -2 --separate-stderr "$MLS" index -j 0 notes
    [ "$stderr" = "mlsearch: -j: needs a whole number of at least 1" ]
    [ ! -e db ]
}
