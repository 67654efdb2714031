#!/usr/bin/env bats
# A killed, interrupted or overlapping indexer never loses or breaks the
# index: it opens (or there is honestly none yet), it answers, and the next
# run finishes the job.  The indexer is stopped at every step by which it
# changes a file (tests/cli/fault_step.c numbers them), not at a moment a
# sleep guesses, so each test is the same every time.

load helpers

setup() {
    [ -n "${MLS_STEP_LIB:-}" ] || skip "MLS_STEP_LIB not set (make cli sets it)"
    enter_work_dir
    STEPPED=(env LD_PRELOAD="$MLS_STEP_LIB"
             ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0")
    python3 "$REPO/tests/cli/make_notes.py" 8 notes
    settle notes/*/*
}

teardown() {
    leave_work_dir
}

# mlsearch under the step library, with the given MLS_STEP_* settings
# before the arguments: stepped MLS_STEP_AT=3 index notes.  In the
# background, "${STEPPED[@]}" ... & instead, so that $! is mlsearch's pid.
stepped() {
    "${STEPPED[@]}" "$@"
}

# The number of steps `mlsearch ARGS` takes from the index in $1 (a copy
# is used; "" for no index).
count_steps() {
    local from="$1"
    shift
    restore "$from"
    stepped MLS_STEP_COUNT="$WORK/steps" "$MLS" "$@" 2>/dev/null
    cat "$WORK/steps"
}

# The index directory as it was in $1 ("" for none).
restore() {
    rm -rf "$MLSEARCH_DB"
    [ -z "$1" ] || cp -a "$1" "$MLSEARCH_DB"
}

# The dump of a fresh index of the tree as it is.
fresh_dump() {
    rm -rf "$WORK/fresh"
    "$MLS" index --db "$WORK/fresh" -j 1 notes 2>/dev/null
    "$MLS" dump --db "$WORK/fresh"
}

# Every Nth step, N being MLS_CRASH_STRIDE (1: all of them; the sanitizer
# run, slower, takes fewer): 1, 1+N, ..., and always the last.
each_step() {
    local total="$1" stride="${MLS_CRASH_STRIDE:-1}" k
    for ((k = 1; k <= total; k += stride)); do echo "$k"; done
    ((total % stride == 1 || stride == 1)) || echo "$total"
}

# After a kill: the index is the one before ($1, a dump; "" if there was
# none) or the one after ($2), whole, with its roots and last run (with
# "partial" as $4, as after SIGTERM: any that opens); then the next plain
# run makes the index a fresh build makes.
check_after_kill() {
    local before="$1" after="$2" step="$3" partial="${4:-}"
    if [ ! -e "$MLSEARCH_DB/index" ]; then
        [ -z "$before" ] || { echo "step $step: the index is gone"; return 1; }
        run -2 --separate-stderr "$MLS" status
        [ "$stderr" = "mlsearch: $MLSEARCH_DB: no index here; run 'mlsearch index PATH' first" ]
    else
        run -0 --separate-stderr "$MLS" dump
        [ -z "$stderr" ] || { echo "step $step: $stderr"; return 1; }
        [ -n "$partial" ] || [ "$output" = "$before" ] || [ "$output" = "$after" ] ||
            { echo "step $step: the index is neither the one before nor the one after"; return 1; }
        run -0 --separate-stderr "$MLS" status
        [ -z "$stderr" ]
        [[ "$output" == *"roots:     $WORK/notes"* ]] || { echo "step $step: no roots"; return 1; }
        [[ "$output" != *"last run:  unknown"* ]] || { echo "step $step: no last run"; return 1; }
    fi
    run -0 "$MLS" index notes
    [ "$("$MLS" dump)" = "$after" ] || { echo "step $step: the next run did not finish the job"; return 1; }
}

# Kills `mlsearch ARGS` at every step, from the index in $1 ("" for none),
# and checks each time what check_after_kill says.
kill_at_every_step() {
    local from="$1" before="" after total step rc kills=0
    shift
    [ -z "$from" ] || before="$("$MLS" dump --db "$from")"
    after="$(fresh_dump)"
    total="$(count_steps "$from" "$@")"
    [ "$total" -gt 5 ]
    for step in $(each_step "$total"); do
        restore "$from"
        rc=0
        stepped MLS_STEP_AT="$step" "$MLS" "$@" 2>/dev/null || rc=$?
        [ "$rc" -eq 137 ] || { echo "step $step of $total: exit $rc, not killed"; return 1; }
        check_after_kill "$before" "$after" "$step"
        kills=$((kills + 1))
    done
    echo "# $*: killed at $kills of its $total steps" >&3
}

# A night of edits: every note changed, one gone, two new, one moved.
edit_notes() {
    python3 "$REPO/tests/cli/make_notes.py" 8 notes 1
    rm notes/d00/n00003.md
    mv notes/d00/n00005.md notes/moved.md
    printf '# 新しい\n\nnew note one\n' > notes/new1.md
    printf 'new note two\n' > notes/new2.md
    settle notes/*.md notes/*/*
}

@test "SIGKILL at every step of a first build: no index, or the whole one" {
    kill_at_every_step "" index -j 1 notes
}

@test "SIGKILL at every step of a first build on two threads" {
    python3 "$REPO/tests/cli/make_notes.py" 130 notes
    settle notes/*/*
    MLS_CRASH_STRIDE=$((${MLS_CRASH_STRIDE:-1} * 2)) kill_at_every_step "" index -j 2 notes
}

@test "SIGKILL at every step of an update: the index before, or the one after" {
    "$MLS" index notes
    cp -a "$MLSEARCH_DB" "$WORK/base"
    edit_notes
    kill_at_every_step "$WORK/base" index notes
}

@test "SIGKILL at every step of a run with nothing to do" {
    "$MLS" index notes
    cp -a "$MLSEARCH_DB" "$WORK/base"
    kill_at_every_step "$WORK/base" index notes
}

@test "SIGKILL at every step of a rebuild: the old index, or the new one" {
    "$MLS" index notes
    cp -a "$MLSEARCH_DB" "$WORK/base"
    edit_notes
    kill_at_every_step "$WORK/base" index --rebuild notes
}

@test "SIGTERM at chosen steps: what is done is committed, the run dies of it" {
    "$MLS" index notes
    cp -a "$MLSEARCH_DB" "$WORK/base"
    local before after total step rc said
    before="$("$MLS" dump)"
    edit_notes
    after="$(fresh_dump)"
    total="$(count_steps "$WORK/base" index notes)"
    for step in 1 2 3 $((total / 4)) $((total / 2)) $((total * 3 / 4)) "$total"; do
        restore "$WORK/base"
        rc=0
        stepped MLS_STEP_AT="$step" MLS_STEP_ACTION=term "$MLS" index notes 2>"$WORK/stderr" ||
            rc=$?
        [ "$rc" -eq 143 ] || { echo "step $step: exit $rc"; return 1; }
        # (Before the indexer's handler is set, the signal kills at once,
        # and bash says "Terminated".)
        said="$(grep -v '^Terminated$' "$WORK/stderr" || true)"
        [ -z "$said" ] ||
            [ "$said" = "mlsearch: index: interrupted; the notes read so far are committed" ] ||
            { echo "step $step: $said"; return 1; }
        check_after_kill "$before" "$after" "$step" partial
    done
}

@test "SIGTERM ends a run stuck in a call that never returns, and the next run takes over" {
    "$MLS" index notes
    cp -a "$MLSEARCH_DB" "$WORK/base"
    edit_notes
    local after total pid rc
    after="$(fresh_dump)"
    total="$(count_steps "$WORK/base" index notes)"
    mkfifo "$WORK/ready"
    # One signal: the grace period, then death by it.  A second, of
    # either kind, once the first has been taken: death by the second, at
    # once (the grace period would end in death by the first: 130 for INT).
    for signals in TERM "TERM TERM" "INT TERM"; do
        restore "$WORK/base"
        "${STEPPED[@]}" MLS_STEP_AT=$((total / 2)) MLS_STEP_ACTION=hang \
            MLS_STEP_READY="$WORK/ready" "$MLS" index notes 2>/dev/null &
        pid=$!
        read -r _ < "$WORK/ready"     # stuck, holding the lock
        run -75 "$MLS" index notes
        for sig in $signals; do
            kill "-$sig" "$pid"
            until taken "$pid" "$sig"; do sleep 0.05; done
        done
        rc=0
        wait "$pid" || rc=$?
        [ "$rc" -eq 143 ] || { echo "$signals: exit $rc"; return 1; }
        run -0 "$MLS" index notes
        [ "$("$MLS" dump)" = "$after" ]
    done
}

# Whether process $1 has taken signal $2 (its handler ran and, taken once,
# let it go: SigCgt no longer has it), or is gone.
taken() {
    local number mask
    number="$(kill -l "$2")"
    mask="$(sed -n 's/^SigCgt:[[:space:]]*//p' "/proc/$1/status" 2>/dev/null)" || return 0
    [ -n "$mask" ] || return 0
    (( (0x$mask >> (number - 1) & 1) == 0 ))
}

@test "a second indexer exits 75 naming the first, or waits with --wait; searches go on" {
    "$MLS" index notes
    edit_notes
    mkfifo "$WORK/ready" "$WORK/go"
    "${STEPPED[@]}" MLS_LOCK=hold MLS_STEP_READY="$WORK/ready" MLS_LOCK_GO="$WORK/go" \
        "$MLS" index notes &
    local first=$! waited rc
    read -r _ < "$WORK/ready"          # the first holds the lock
    run -75 --separate-stderr "$MLS" index notes
    [[ "$stderr" =~ ^"mlsearch: index: the index is being updated by another process (pid $first since "[0-9-]+" "[0-9:]+")"$ ]]
    run -0 --separate-stderr "$MLS" --color=never -n 1 note00003
    [ "$output" = "notes/d00/n00003.md:3: 会議メモ 00003 › note00003 学習 index の shard について。 version0 word0 queue xxx" ]
    # A waiting indexer stops waiting when told to, and dies of the signal.
    "${STEPPED[@]}" MLS_LOCK=busy MLS_STEP_READY="$WORK/ready" "$MLS" index --wait notes \
        2>/dev/null &
    waited=$!
    read -r _ < "$WORK/ready"          # it found the lock taken
    kill -TERM "$waited"
    rc=0
    wait "$waited" || rc=$?
    [ "$rc" -eq 143 ]
    kill -0 "$first"                   # the first still runs
    "${STEPPED[@]}" MLS_LOCK=busy MLS_STEP_READY="$WORK/ready" "$MLS" index --wait notes &
    waited=$!
    read -r _ < "$WORK/ready"          # it waits
    echo go > "$WORK/go"               # the first goes on, then the waiter
    wait "$first"
    wait "$waited"
    [ ! -s "$MLSEARCH_DB/lock" ]       # nobody is named once they are done
    [ "$("$MLS" dump)" = "$(fresh_dump)" ]
}

@test "on a terminal, a run past MLSEARCH_PROGRESS_DELAY shows a progress bar, then clears it" {
    python3 "$REPO/tests/cli/make_notes.py" 2000 notes
    "$MLS" index notes
    python3 "$REPO/tests/cli/make_notes.py" 2000 notes 1
    # script(1) gives the indexer a terminal; with no delay, the bar shows
    # however fast the run is.
    run -0 script -qec "MLSEARCH_PROGRESS_DELAY=0 '$MLS' index notes" /dev/null
    [[ "$output" =~ $'\r['#+' '*'] '[0-9,]+'/2,000 notes' ]]
    [[ "$output" == *$'\r[##############################] 2,000/2,000 notes\r\e[K2,000 files: 0 new, 2,000 changed, 0 removed, 0 errors in '* ]]
}

@test "a first build stopped by SIGTERM says so, is no older index, and the next run reads only the rest" {
    python3 "$REPO/tests/cli/make_notes.py" 2000 big
    settle big/*/*
    local jobs total rc done grouped
    for jobs in 1 2; do
        total="$(count_steps "" index -j "$jobs" big)"
        restore ""
        rc=0
        stepped MLS_STEP_AT=$((total / 2)) MLS_STEP_ACTION=term "$MLS" index -j "$jobs" big \
            2>"$WORK/stderr" || rc=$?
        [ "$rc" -eq 143 ]
        # (bash says "Terminated" of the process the signal ended)
        [ "$(grep -v '^Terminated$' "$WORK/stderr")" = "mlsearch: index: interrupted; the notes read so far are committed" ]
        run -0 "$MLS" status
        [[ "${lines[4]}" =~ ^last\ run:\ \ [0-9-]+\ [0-9:]+:\ interrupted\ after\ ([0-9,]+)\ of\ 2,000\ notes:\ ([0-9,]+)\ new,\ 0\ changed,\ 0\ removed,\ 0\ errors\ in\ [0-9.]+\ s$ ]]
        grouped="${BASH_REMATCH[1]}"
        done="${grouped//,/}"
        [ "$done" = "${BASH_REMATCH[2]//,/}" ]
        [ "$done" -gt 0 ] && [ "$done" -lt 2000 ]
        [ "${lines[2]}" = "notes:     $grouped" ]
        # What it committed is searched without a word of an older index.
        run -0 --separate-stderr "$MLS" -n 1 会議
        [ "$stderr" = "" ]
        # The next run reads the notes it did not, and only those.
        run -0 --separate-stderr "$MLS" index -v big
        [ "$(without_time "$stderr")" = "2,000 files: $(python3 -c "print(f'{2000 - $done:,}')") new, 0 changed, 0 removed, 0 errors in T s" ]
        diff <("$MLS" dump) <(rm -rf "$WORK/fresh"; "$MLS" index --db "$WORK/fresh" -j 1 big 2>/dev/null; "$MLS" dump --db "$WORK/fresh")
    done
}
