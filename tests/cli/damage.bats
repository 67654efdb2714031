#!/usr/bin/env bats
# A damaged index, damaged the same way every time: one bit of one table
# flipped in an index of the same 200 notes (their positions table is the
# same byte for byte wherever the notes lie).  Damage that makes Xapian
# spin or crash is met once; the run after names it, and
# --rebuild-if-damaged mends it.

load helpers

setup() {
    enter_work_dir
    python3 "$REPO/tests/cli/make_notes.py" 200 notes
    settle notes/*/*
    "$MLS" index -j 1 notes
}

teardown() {
    [ -z "${SPINNING:-}" ] || kill -KILL "$SPINNING" 2>/dev/null || true
    leave_work_dir
}

# flip TABLE OFFSET XOR: flips bits of one byte of a table of the index.
flip() {
    python3 - "$(ls -d "$MLSEARCH_DB"/gen-*)/$1.glass" "$2" "$3" <<'PY'
import sys
path, offset, xor = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path, 'r+b') as f:
    f.seek(offset)
    b = f.read(1)[0]
    f.seek(offset)
    f.write(bytes([b ^ xor]))
PY
}

# Changes the notes listed (numbers) to their next version.
change_notes() {
    python3 "$REPO/tests/cli/make_notes.py" 200 "$WORK/v1" 1
    for i in "$@"; do
        local name
        name="$(printf 'd%02d/n%05d.md' $((i / 100)) "$i")"
        cp "$WORK/v1/$name" "notes/$name"
    done
    touch -d '2020-01-02 00:00:00' notes/*/*
}

# The CPU time a process has used, in clock ticks.
cpu_ticks() {
    awk '{ print $14 + $15 }' "/proc/$1/stat"
}

the_cure="rebuild it with 'mlsearch index --rebuild [PATH...]'"

# Mends the index from the notes, saying why, and checks it is whole.
rebuild_if_damaged() {
    local damage="$1"
    run -0 --separate-stderr timeout 300 "$MLS" index --rebuild-if-damaged notes
    [ "$stderr" = "mlsearch: $MLSEARCH_DB: the index is damaged (DatabaseCorruptError: $damage); rebuilding it from the notes" ]
    "$MLS" index --db "$WORK/fresh" -j 1 notes
    [ "$("$MLS" dump)" = "$("$MLS" dump --db "$WORK/fresh")" ]
    run -0 --separate-stderr "$MLS" index notes
    [ -z "$stderr" ]
}

@test "damage that makes Xapian spin: SIGTERM ends the run, the next names the damage" {
    flip position 413 2
    change_notes 110
    "$MLS" index notes 2>/dev/null &
    SPINNING=$!
    # A one-note update takes milliseconds of CPU; two seconds of it is
    # Xapian going round in circles, long past every place the indexer
    # looks at the signal.  (The sanitizer build stops at Xapian's first
    # read out of the block instead, and exits.)
    local rc=0 ticks
    for _ in $(seq 3000); do
        ticks="$(cpu_ticks "$SPINNING" 2>/dev/null)" || break
        [ "$ticks" -lt 200 ] || break
        sleep 0.1
    done
    if [ -e "/proc/$SPINNING/stat" ]; then
        [ "$(cpu_ticks "$SPINNING")" -ge 200 ]
        run -75 "$MLS" index notes
        kill -TERM "$SPINNING"
        wait "$SPINNING" || rc=$?
        [ "$rc" -eq 143 ]              # after the grace period
    else
        wait "$SPINNING" || rc=$?
        [ "$rc" -ne 0 ]
    fi
    SPINNING=
    damage="Block 0 item 201: item ends outside block"
    for _ in 1 2; do                   # said until it is mended
        run -2 --separate-stderr timeout 300 "$MLS" index notes
        [ "$stderr" = "mlsearch: $MLSEARCH_DB: the index is damaged (DatabaseCorruptError: $damage); $the_cure" ]
    done
    rebuild_if_damaged "$damage"
}

@test "damage that crashes Xapian: the run after names it, and the night mends it" {
    flip position 65903 1
    change_notes $(seq 0 199)
    run timeout 300 "$MLS" index notes # glibc aborts: corrupted size vs. prev_size
    [ "$status" -ne 0 ]
    damage="Block 8 item 178: item ends outside block"
    run -2 --separate-stderr timeout 300 "$MLS" index notes
    [ "$stderr" = "mlsearch: $MLSEARCH_DB: the index is damaged (DatabaseCorruptError: $damage); $the_cure" ]
    rebuild_if_damaged "$damage"
}

@test "damage that Xapian's check counts but does not throw is found too" {
    # The last run's record holds that run's milliseconds, as many digits
    # as it took; it lies in the postlist table's first block, and the
    # posting lists of the words every note holds lie in later blocks,
    # which the digits do not move.  Bit 0 of any byte of word5's posting
    # list (this one is in its middle) makes one count wrong.
    flip postlist 35404 1
    printf 'pid 1 since 2026-11-30 03:17:01\n' > "$MLSEARCH_DB/lock"   # a run died
    run -2 --separate-stderr timeout 300 "$MLS" index notes
    [ "$stderr" = "mlsearch: $MLSEARCH_DB: the index is damaged (DatabaseCorruptError: postlist table errors found: 1); $the_cure" ]
    [ -s "$MLSEARCH_DB/lock" ]         # and the next run looks again
    rebuild_if_damaged "postlist table errors found: 1"
}

@test "damage a search meets is said to be damaged, whatever Xapian calls it" {
    flip position 40963 64             # the revision of the block of word1's positions
    run -2 --separate-stderr "$MLS" -n 50 '"version0 word1"'
    [ "$stderr" = "mlsearch: $MLSEARCH_DB: the index is damaged (DatabaseCorruptError: The revision being read has been discarded - you should call Xapian::Database::reopen() and retry the operation); $the_cure" ]
    flip position 40963 64             # back as it was
    flip position 44860 128            # "compressed", says the item of word1's positions in note 0
    run -2 --separate-stderr "$MLS" -n 50 '"version0 word1"'
    [ "$stderr" = "mlsearch: $MLSEARCH_DB: the index is damaged (DatabaseCorruptError: Too few chunks of compressed data); $the_cure" ]
}

@test "check says a whole index is whole, and names the damage of a damaged one" {
    run -0 --separate-stderr "$MLS" check
    [ "$output" = "whole: 200 notes, 2,000 passages" ]
    [ "$stderr" = "" ]
    flip position 65903 1
    run -2 --separate-stderr "$MLS" check
    [ "$output" = "" ]
    [ "$stderr" = "$MLSEARCH_DB: DatabaseCorruptError: Block 8 item 178: item ends outside block
mlsearch: $MLSEARCH_DB: 1 problem found; $the_cure" ]
    # The cure it names cures it.
    run -0 "$MLS" index --rebuild notes
    run -0 "$MLS" check
    [ "$output" = "whole: 200 notes, 2,000 passages" ]
}
