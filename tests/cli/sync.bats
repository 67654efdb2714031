#!/usr/bin/env bats
# Cron-grade indexing: every kind of change leaves the index equal to a
# fresh one of the same tree; configuration; locking; signals; status.

load helpers

setup() {
    enter_work_dir
    printf '# Alpha\n\nalpha one\n\n- item two\n' > notes/a.md
    printf 'bravo 推論サーバー\n' > notes/b.md
    mkdir notes/sub
    printf '# Charlie\n\ncharlie three\n' > notes/sub/c.md
    settle notes/*.md notes/sub/*.md
    "$MLS" index notes
}

teardown() {
    leave_work_dir
}

# Fails unless the index holds exactly what a fresh index of the same tree,
# with the same options, holds.
same_as_fresh() {
    rm -rf "$WORK/fresh"
    "$MLS" index --db "$WORK/fresh" "$@" notes 2>/dev/null || true
    diff <("$MLS" dump) <("$MLS" dump --db "$WORK/fresh")
}

@test "a new note is added; nothing else is read" {
    printf 'delta four\n' > notes/sub/d.md
    settle notes/sub/d.md
    run -0 --separate-stderr "$MLS" index -v notes
    [ "$(without_time "$stderr")" = "4 files: 1 new, 0 changed, 0 removed, 0 errors in T s" ]
    run -0 "$MLS" --color=never delta
    [ "$output" = "notes/sub/d.md:1: delta four" ]
    same_as_fresh
}

@test "a changed note has its passages replaced" {
    printf 'bravo 推論エンジン\n' > notes/b.md
    settle notes/b.md
    run -0 --separate-stderr "$MLS" index -v notes
    [ "$(without_time "$stderr")" = "3 files: 0 new, 1 changed, 0 removed, 0 errors in T s" ]
    run -1 "$MLS" 推論サーバー
    run -0 "$MLS" --color=never 推論エンジン
    [ "$output" = "notes/b.md:1: bravo 推論エンジン" ]
    same_as_fresh
}

@test "a deleted note loses its passages" {
    rm notes/sub/c.md
    run -0 --separate-stderr "$MLS" index -v notes
    [ "$(without_time "$stderr")" = "2 files: 0 new, 0 changed, 1 removed, 0 errors in T s" ]
    run -1 "$MLS" charlie
    same_as_fresh
}

@test "a moved and renamed note is re-pointed, not read again" {
    mkdir notes/archive
    mv notes/sub/c.md notes/archive/charlie.md
    run -0 --separate-stderr "$MLS" index -v notes
    [ "$(without_time "$stderr")" = "3 files: 0 new, 0 changed, 1 moved, 0 removed, 0 errors in T s" ]
    run -0 "$MLS" --color=never charlie
    [ "$output" = "notes/archive/charlie.md:3: Charlie › charlie three
notes/archive/charlie.md:1: Charlie" ]
    same_as_fresh
    # Its new place is known: the next run has nothing to do.
    run -0 --separate-stderr "$MLS" index -v notes
    [ "$(without_time "$stderr")" = "3 files: 0 new, 0 changed, 0 removed, 0 errors in T s" ]
}

# A note of 600 short paragraphs (about 20 KiB of text): its texts are
# kept in two chunks, documents of their own after the note's.
long_note() {
    python3 -c 'for i in range(600): print("paragraph %d says word%d once.\n" % (i, i))' > "$1"
}

@test "a long note's texts are read from its chunks, after a move and a change too" {
    long_note notes/long.md
    settle notes/long.md
    "$MLS" index notes
    run -0 "$MLS" --color=never word599
    [ "$output" = "notes/long.md:1199: paragraph 599 says word599 once." ]
    run -0 "$MLS" --color=never word3
    [ "$output" = "notes/long.md:7: paragraph 3 says word3 once." ]
    run -0 "$MLS" -c says
    [ "$output" = "notes/long.md:600" ]
    same_as_fresh
    mv notes/long.md notes/sub/moved.md
    run -0 --separate-stderr "$MLS" index -v notes
    [ "$(without_time "$stderr")" = "4 files: 0 new, 0 changed, 1 moved, 0 removed, 0 errors in T s" ]
    run -0 "$MLS" --color=never word599
    [ "$output" = "notes/sub/moved.md:1199: paragraph 599 says word599 once." ]
    same_as_fresh
    sed -i 's/word599 once/changed599 twice/' notes/sub/moved.md
    settle notes/sub/moved.md
    "$MLS" index notes
    run -1 "$MLS" word599
    run -0 "$MLS" --color=never changed599
    [ "$output" = "notes/sub/moved.md:1199: paragraph 599 says changed599 twice." ]
    same_as_fresh
}

@test "--full parses a moved note again instead of re-pointing it" {
    mv notes/sub/c.md notes/c.md
    run -0 --separate-stderr "$MLS" index -v --full notes
    [ "$(without_time "$stderr")" = "3 files: 1 new, 2 changed, 1 removed, 0 errors in T s" ]
    same_as_fresh
}

@test "a link that cannot be followed (not broken: unreadable) keeps what the index has through it" {
    mkdir -p "$WORK/outside/team"
    printf 'golf seven\n' > "$WORK/outside/team/g.md"
    ln -s ../outside/team notes/team
    printf 'follow-symlinks all\n' > config/mlsearch/config
    run -0 mls_unprivileged index notes
    run -0 "$MLS" --color=never golf
    [ "$output" = "notes/team/g.md:1: golf seven" ]
    chmod 000 "$WORK/outside"
    run -2 --separate-stderr mls_unprivileged index notes
    [ "$stderr" = "notes/team: cannot follow symbolic link: Permission denied" ]
    run -0 "$MLS" --color=never golf
    [ "$output" = "notes/team/g.md:1: golf seven" ]
}

@test "a copy of a note is a new note, not a move" {
    cp notes/b.md notes/b-copy.md
    settle notes/b-copy.md
    run -0 --separate-stderr "$MLS" index -v notes
    [ "$(without_time "$stderr")" = "4 files: 1 new, 0 changed, 0 removed, 0 errors in T s" ]
    run -0 "$MLS" -c bravo
    [ "$(sort <<< "$output")" = "notes/b-copy.md:1
notes/b.md:1" ]
    same_as_fresh
}

@test "notes now excluded lose their passages; included again, they come back" {
    run -0 --separate-stderr "$MLS" index -v --exclude sub notes
    [ "$(without_time "$stderr")" = "2 files: 0 new, 0 changed, 0 removed, 0 errors in T s" ] ||
    [ "$(without_time "$stderr")" = "2 files: 0 new, 0 changed, 1 removed, 0 errors in T s" ]
    run -1 "$MLS" charlie
    same_as_fresh --exclude sub
    run -0 "$MLS" index notes
    run -0 "$MLS" charlie
    same_as_fresh
}

@test "include and exclude globs: names, and paths below the root" {
    printf 'echo five\n' > notes/e.rst
    printf 'foxtrot six\n' > notes/sub/old-f.md
    run -0 "$MLS" index --include '*.rst' --include '*.MD' --exclude 'sub/old-*' notes
    run -0 "$MLS" --color=never echo
    [ "$output" = "notes/e.rst:1: echo five" ]
    run -1 "$MLS" foxtrot
    run -0 "$MLS" --color=never charlie
    same_as_fresh --include '*.rst' --include '*.MD' --exclude 'sub/old-*'
}

@test "symbolic links: loops end, a note reached twice is indexed once, links out of the roots are not followed" {
    ln -s .. notes/sub/up
    ln -s sub notes/sub-again
    ln -s ../notes/b.md notes/b-link.md
    mkdir "$WORK/outside"
    printf 'golf seven\n' > "$WORK/outside/g.md"
    ln -s ../outside notes/out
    run -0 --separate-stderr "$MLS" index -v notes
    [ "$(without_time "$stderr")" = "notes/out: symbolic link out of the indexed folders, not followed
notes/b-link.md: already found by another path
notes/sub/up: already found by another path
notes/sub-again: already found by another path
3 files: 0 new, 0 changed, 0 removed, 0 errors in T s" ]
    run -0 "$MLS" --color=never bravo
    [ "$output" = "notes/b.md:1: bravo 推論サーバー" ]
    run -1 "$MLS" golf
    same_as_fresh
    # Configured to, it follows them out of the roots (loops still end).
    printf 'follow-symlinks all\n' > config/mlsearch/config
    run -0 "$MLS" index notes
    run -0 "$MLS" --color=never golf
    [ "$output" = "notes/out/g.md:1: golf seven" ]
    same_as_fresh
}

@test "a note that cannot be read keeps its passages until it can" {
    chmod 000 notes/b.md
    run -2 --separate-stderr mls_unprivileged index notes
    [ "$stderr" = "notes/b.md: cannot read: Permission denied" ]
    run -0 "$MLS" --color=never bravo
    [ "$output" = "notes/b.md:1: bravo 推論サーバー" ]
    chmod 644 notes/b.md
    run -0 mls_unprivileged index notes
    same_as_fresh
}

@test "a note that grows over the size cap loses its passages, with a warning" {
    printf 'bravo %02000d\n' 0 > notes/b.md
    settle notes/b.md
    run -0 --separate-stderr "$MLS" index --max-size 1K notes
    [ "$stderr" = "notes/b.md: larger than 1024 bytes, skipped" ]
    run -1 "$MLS" bravo
    same_as_fresh --max-size 1K
    # A cap lowered in the configuration drops notes already indexed.
    printf 'max-size 20\n' > config/mlsearch/config
    run -0 --separate-stderr "$MLS" index notes
    [ "$stderr" = "notes/a.md: larger than 20 bytes, skipped
notes/sub/c.md: larger than 20 bytes, skipped" ]
    run -1 "$MLS" alpha
    same_as_fresh
    # Raised again, the notes skipped for size are read.
    rm config/mlsearch/config
    run -0 --separate-stderr "$MLS" index -v notes
    [ "$(without_time "$stderr")" = "3 files: 0 new, 3 changed, 0 removed, 0 errors in T s" ]
    run -0 "$MLS" alpha
    same_as_fresh
}

@test "a note rewritten in the second it was indexed is read again next time" {
    printf 'hotel eight\n' > notes/h.md
    "$MLS" index notes          # written and indexed within one second
    printf 'india nine!\n' > notes/h.md
    touch -d "@$(stat -c %Y notes/h.md)" notes/h.md  # same size, same second
    sleep 1.1
    run -0 "$MLS" index notes
    run -1 "$MLS" hotel
    run -0 "$MLS" india
    same_as_fresh
}

@test "--full reads every note again, and changes nothing that had not changed" {
    before="$("$MLS" dump)"
    run -0 --separate-stderr "$MLS" index -v --full notes
    [ "$(without_time "$stderr")" = "3 files: 0 new, 3 changed, 0 removed, 0 errors in T s" ]
    [ "$("$MLS" dump)" = "$before" ]
}

@test "the roots, globs and size cap can come from the configuration" {
    mkdir other
    printf 'juliett ten\n' > other/j.md
    printf 'kilo eleven\n' > other/skip.md
    cat > config/mlsearch/config <<CONF
# nightly: mlsearch index
root $WORK/notes
root ~/$(basename "$WORK")/other

exclude skip.md
CONF
    HOME=/tmp run -0 "$MLS" index
    run -0 "$MLS" --color=never juliett
    [ "$output" = "other/j.md:1: juliett ten" ]
    run -1 "$MLS" kilo
    run -0 "$MLS" alpha
}

@test "a wrong configuration is an error naming the file and line" {
    printf 'root ~/notes\nfollow-symlinks sometimes\n' > config/mlsearch/config
    run -2 --separate-stderr "$MLS" index
    [ "$stderr" = "mlsearch: config: $WORK/config/mlsearch/config:2: follow-symlinks must be inside or all, not sometimes" ]
    printf 'colour red\n' > config/mlsearch/config
    run -2 --separate-stderr "$MLS" index notes
    [ "$stderr" = "mlsearch: config: $WORK/config/mlsearch/config:1: unknown setting colour" ]
    printf 'max-size lots\n' > config/mlsearch/config
    run -2 --separate-stderr "$MLS" index notes
    [ "$stderr" = "mlsearch: config: $WORK/config/mlsearch/config:1: max-size must be a size such as 16M, not lots" ]
}

@test "index options are refused by search, and bad values are named" {
    run -2 --separate-stderr "$MLS" --full alpha
    [ "$stderr" = "mlsearch: --full: not an option of 'mlsearch search'" ]
    run -2 --separate-stderr "$MLS" index --wait=soon notes
    [ "$stderr" = "mlsearch: --wait=soon: needs a number of seconds" ]
    run -2 --separate-stderr "$MLS" index --max-size 0 notes
    [ "$stderr" = "mlsearch: --max-size: needs a size such as 16M (bytes, or with K, M or G)" ]
}

@test "status says what the index holds" {
    run -0 "$MLS" status
    [ "${lines[0]}" != "${lines[0]#index:     $WORK/db (}" ]
    [ "${lines[1]}" = "roots:     $WORK/notes" ]
    [ "${lines[2]}" = "notes:     3" ]
    [ "${lines[3]}" = "passages:  6" ]
    [[ "$(without_time "${lines[4]}")" =~ ^"last run:  "[0-9-]+" "[0-9:]+": 3 files: 3 new, 0 changed, 0 removed, 0 errors in T s"$ ]]
    run -2 --separate-stderr "$MLS" status --db "$WORK/none"
    [ "$stderr" = "mlsearch: $WORK/none: no index here; run 'mlsearch index PATH' first" ]
}
