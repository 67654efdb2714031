#!/usr/bin/env bats
# Upkeep: an index that updates have grown is compacted, by the nightly
# run when it passes 1.5 times its compacted size, or on demand; a
# compacted index answers as before.

load helpers

setup() {
    enter_work_dir
    python3 "$REPO/tests/cli/make_notes.py" 300 notes
    settle notes/*/*
    "$MLS" index notes
}

teardown() { leave_work_dir; }

# The bytes of the index's current generation.
index_bytes() {
    du -sb "$(ls -d "$MLSEARCH_DB"/gen-*)" | cut -f1
}

@test "a run that grows the index past 1.5 times its compacted size compacts it; -v says so" {
    compacted="$(cat "$MLSEARCH_DB/compacted")"
    generation="$(ls -d "$MLSEARCH_DB"/gen-*)"
    before="$("$MLS" dump)"
    # Every note read again: each replaced in place, the tables grow.
    run -0 --separate-stderr "$MLS" index -v --full notes
    [ "$(without_time "${stderr_lines[0]}")" = "300 files: 0 new, 300 changed, 0 removed, 0 errors in T s" ]
    [[ "${stderr_lines[1]}" =~ ^compacted:\ [0-9.]+\ MB\ -\>\ [0-9.]+\ MB$ ]]
    # A new generation, back near the size a first build makes.
    [ "$(ls -d "$MLSEARCH_DB"/gen-*)" != "$generation" ]
    now="$(cat "$MLSEARCH_DB/compacted")"
    [ "$now" -le $((compacted * 11 / 10)) ] && [ "$now" -ge $((compacted * 9 / 10)) ]
    [ "$("$MLS" dump)" = "$before" ]
    # A run that changes little does not compact.
    ls -d "$MLSEARCH_DB"/gen-* > "$WORK/gen-before"
    run -0 --separate-stderr "$MLS" index -v notes
    [ "$(without_time "$stderr")" = "300 files: 0 new, 0 changed, 0 removed, 0 errors in T s" ]
    [ "$(ls -d "$MLSEARCH_DB"/gen-*)" = "$(cat "$WORK/gen-before")" ]
}

@test "compact on demand: the same index, in a new generation, no bigger" {
    python3 "$REPO/tests/cli/make_notes.py" 300 notes 1   # every note changed
    settle notes/*/*
    "$MLS" index notes
    grown="$(index_bytes)"
    before="$("$MLS" dump)"
    run -0 --separate-stderr "$MLS" compact
    [[ "$output" =~ ^compacted:\ [0-9.]+\ MB\ -\>\ [0-9.]+\ MB$ ]]
    [ "$stderr" = "" ]
    [ "$(index_bytes)" -le "$grown" ]
    [ "$("$MLS" dump)" = "$before" ]
    run -0 "$MLS" check
    [ "$output" = "whole: 300 notes, 3,000 passages" ]
    run -2 --separate-stderr "$MLS" compact extra
    [ "$stderr" = "mlsearch: compact: takes no arguments" ]
}

@test "compact and check of no index say so" {
    run -2 --separate-stderr "$MLS" check --db "$WORK/none"
    [ "$stderr" = "mlsearch: $WORK/none: no index here; run 'mlsearch index PATH' first" ]
}
