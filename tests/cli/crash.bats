#!/usr/bin/env bats
# A killed, interrupted or overlapping indexer never loses or breaks the
# index: it opens, it answers, and the next run finishes the job.

load helpers

NOTES=2000

setup() {
    enter_work_dir
    python3 "$REPO/tests/cli/make_notes.py" "$NOTES" notes
}

teardown() {
    leave_work_dir
}

now() {
    date +%s.%N
}

# Arithmetic on decimals: calc '1.5 * 0.3'.
calc() {
    awk "BEGIN { print $1 }"
}

# Seconds an index run of the tree takes into a scratch copy of the index.
time_run() {
    rm -rf "$WORK/timing"
    [ ! -d "$MLSEARCH_DB" ] || cp -r "$MLSEARCH_DB" "$WORK/timing"
    local t0
    t0="$(now)"
    "$MLS" index --db "$WORK/timing" notes 2>/dev/null
    calc "$(now) - $t0"
}

# The index of the tree as it is, built from scratch.
fresh_dump() {
    rm -rf "$WORK/fresh"
    "$MLS" index --db "$WORK/fresh" notes 2>/dev/null
    "$MLS" dump --db "$WORK/fresh"
}

# Starts an indexer, SIGKILLs it after $1 seconds, and checks that the
# index still opens and answers.  Counts in KILLED the kills that landed
# before the run ended (timing varies: the caller asks for most of them).
KILLED=0
kill_after() {
    "$MLS" index notes 2>/dev/null &
    local pid=$!
    sleep "$1"
    kill -KILL "$pid" 2>/dev/null || true
    local rc=0
    wait "$pid" || rc=$?
    [ "$rc" -eq 137 ] || [ "$rc" -eq 0 ]
    [ "$rc" -ne 137 ] || KILLED=$((KILLED + 1))
    if [ -e "$MLSEARCH_DB/index" ]; then
        run "$MLS" status
        [ "$status" -eq 0 ]
        run "$MLS" 推論
        [ "$status" -eq 0 ] || [ "$status" -eq 1 ]
    fi
}

@test "SIGKILL anywhere in a first build or an update; the next run finishes the job" {
    local t fraction want
    t="$(time_run)"
    want="$(fresh_dump)"
    for fraction in 0.1 0.3 0.5 0.7; do
        rm -rf "$MLSEARCH_DB"
        kill_after "$(calc "$t * $fraction")"
        "$MLS" index notes
        [ "$("$MLS" dump)" = "$want" ]
    done
    [ "$KILLED" -ge 3 ]
    # A night of edits: every note changed, some gone, some new, some moved.
    python3 "$REPO/tests/cli/make_notes.py" "$NOTES" notes 1
    rm notes/d01/*.md
    python3 "$REPO/tests/cli/make_notes.py" 2100 more 1
    mv more/d20 notes/d20
    mv notes/d02 notes/moved
    t="$(time_run)"
    want="$(fresh_dump)"
    KILLED=0
    for fraction in 0.1 0.2 0.3 0.4; do  # each kill leaves less to do
        kill_after "$(calc "$t * $fraction")"
    done
    [ "$KILLED" -ge 3 ]
    "$MLS" index notes
    [ "$("$MLS" dump)" = "$want" ]
    run -0 "$MLS" --color=never -n 1 note00250
    [ "$output" != "${output#notes/moved/n00250.md:3: }" ]
}

@test "SIGTERM commits the notes done and dies of it; the next run finishes the job" {
    "$MLS" index notes
    python3 "$REPO/tests/cli/make_notes.py" "$NOTES" notes 1
    local t pid rc=0
    t="$(time_run)"
    "$MLS" index notes 2>"$WORK/stderr" &
    pid=$!
    sleep "$(calc "$t / 2")"
    kill -TERM "$pid"
    wait "$pid" || rc=$?
    [ "$rc" -eq 143 ]
    [ "$(cat "$WORK/stderr")" = "mlsearch: index: interrupted; the notes read so far are committed" ]
    # Some notes are in their new version, some not yet.
    run -0 "$MLS" -n 100000 version1
    [ "${#lines[@]}" -gt 0 ]
    [ "${#lines[@]}" -lt $((NOTES * 6)) ]
    "$MLS" index notes
    [ "$("$MLS" dump)" = "$(fresh_dump)" ]
}

@test "a second indexer exits 75 naming the first, or waits with --wait; searches go on" {
    "$MLS" index notes
    python3 "$REPO/tests/cli/make_notes.py" "$NOTES" notes 1
    "$MLS" index -j 1 notes &
    local first=$! waited
    # The first has the lock once it has named itself in it.
    for _ in $(seq 100); do [ -s "$MLSEARCH_DB/lock" ] && break; sleep 0.05; done
    run -75 --separate-stderr "$MLS" index notes
    [[ "$stderr" =~ ^"mlsearch: index: the index is being updated by another process (pid $first since "[0-9-]+" "[0-9:]+")"$ ]]
    run -0 "$MLS" --color=never -n 1 note01999
    [ "$output" != "${output#notes/d19/n01999.md:}" ]
    # A waiting indexer stops waiting when told to, and dies of the signal.
    "$MLS" index --wait notes 2>/dev/null &
    waited=$!
    sleep 0.3
    kill -TERM "$waited"
    local rc=0
    wait "$waited" || rc=$?
    [ "$rc" -eq 143 ]
    kill -0 "$first"               # the first still runs
    "$MLS" index --wait notes &
    waited=$!
    wait "$first"
    wait "$waited"
    [ ! -s "$MLSEARCH_DB/lock" ]   # nobody is named once they are done
    [ "$("$MLS" dump)" = "$(fresh_dump)" ]
}

@test "on a terminal, a long run shows a progress bar, then clears it for the summary" {
    "$MLS" index notes
    python3 "$REPO/tests/cli/make_notes.py" "$NOTES" notes 1
    # script(1) gives the indexer a terminal; 2,000 changed notes make the
    # run last over the one second after which the bar appears.
    run -0 script -qec "'$MLS' index notes" /dev/null
    [[ "$output" =~ $'\r['#+' '*'] '[0-9,]+'/2,000 notes' ]]
    [[ "$output" == *$'\r[##############################] 2,000/2,000 notes\r\e[K2,000 files: 0 new, 2,000 changed, 0 removed, 0 errors in '* ]]
}
