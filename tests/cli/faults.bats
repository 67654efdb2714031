#!/usr/bin/env bats
# Faults around the index: a full disk, a read-only index, a damaged
# index, and the index's privacy.  Each asserts the exact message and that
# the notes are searchable afterwards.

load helpers

setup() {
    enter_work_dir
    python3 "$REPO/tests/cli/make_notes.py" 30 notes/first
    settle notes/first/*/*
}

teardown() {
    cd /
    if [ -n "${DISK:-}" ]; then
        umount "$DISK" 2>/dev/null || true
    fi
    leave_work_dir
}

# Mounts a small tmpfs of $1 for the index at $WORK/disk (root only).
mount_disk() {
    [ "$(id -u)" -eq 0 ] || skip "mounting a small file system needs root"
    DISK="$WORK/disk"
    mkdir -p "$DISK"
    mount -t tmpfs -o "size=$1" mlsearch-test "$DISK" || skip "cannot mount a tmpfs here"
    export MLSEARCH_DB="$DISK/db"
}

# For a sanitizer build: Xapian's own leak when a commit fails on a full
# disk is not mlsearch's (tests/lsan.supp).
allow_xapian_leaks() {
    export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$REPO/tests/lsan.supp:print_suppressions=0"
}

no_space="no space left on device; the index keeps its last commit: make room and run 'mlsearch index' again"

@test "a disk that fills up while indexing: a clear error, the last commit kept and searched" {
    # Room for the index of 30 notes (about 0.1 MB), not for the next
    # run's first batch of 500.
    mount_disk 1M
    allow_xapian_leaks
    run -0 "$MLS" index notes
    python3 "$REPO/tests/cli/make_notes.py" 3000 notes/more
    run -2 --separate-stderr "$MLS" index -j 1 notes
    [ "$stderr" = "mlsearch: $DISK/db: $no_space" ]
    # The index is the one of the last run: it opens, it answers.
    run -0 "$MLS" -c note00007
    [ "$output" = "notes/first/d00/n00007.md:6" ]
    run -0 "$MLS" status
    [ "$(sed -n 's/^notes: *//p' <<< "$output")" = 30 ]
    # Room made, the next run finishes the job.
    mount -o remount,size=64M "$DISK"
    run -0 "$MLS" index notes
    run -0 "$MLS" status
    [ "$(sed -n 's/^notes: *//p' <<< "$output")" = 3,030 ]
    run -0 "$MLS" -c note02999
    [ "$output" = "notes/more/d29/n02999.md:6" ]
}

@test "a disk that fills up during a first build leaves nothing half-built behind" {
    mount_disk 2M
    allow_xapian_leaks
    python3 "$REPO/tests/cli/make_notes.py" 3000 notes/more
    run -2 --separate-stderr "$MLS" index -j 2 notes
    [ "$stderr" = "mlsearch: $DISK/db: $no_space" ]
    [ "$(ls "$DISK/db")" = "lock" ]
    run -2 --separate-stderr "$MLS" note00007
    [ "$stderr" = "mlsearch: $DISK/db: no index here; run 'mlsearch index PATH' first" ]
    mount -o remount,size=64M "$DISK"
    run -0 "$MLS" index -j 2 notes
    run -0 "$MLS" -c note02999
    [ "$output" = "notes/more/d29/n02999.md:6" ]
}

@test "a read-only index: indexing says so, searching goes on" {
    run -0 "$MLS" index notes
    if [ "$(id -u)" -eq 0 ]; then
        mount_disk 8M
        run -0 "$MLS" index notes
        mount -o remount,ro "$DISK"
        why="Read-only file system"
    else
        chmod 500 "$MLSEARCH_DB"
        why="Permission denied"
    fi
    printf 'a new note\n' > notes/new.md
    run -2 --separate-stderr "$MLS" index notes
    [ "$stderr" = "mlsearch: $MLSEARCH_DB: cannot write to the index directory: $why" ]
    run -0 "$MLS" -c note00007
    [ "$output" = "notes/first/d00/n00007.md:6" ]
    run -1 "$MLS" new
}

@test "a damaged index: search and index say so and name the cure, which works" {
    run -0 "$MLS" index notes
    table="$(ls -d "$MLSEARCH_DB"/gen-*)/postlist.glass"
    truncate -s 8192 "$table"
    damaged="mlsearch: $MLSEARCH_DB: the index is damaged (DatabaseError: EOF reading block "
    cure="); rebuild it with 'mlsearch index --rebuild [PATH...]'"
    for command in note00007 "index notes" status; do
        run -2 --separate-stderr "$MLS" $command
        [[ "$stderr" =~ ^"$damaged"[0-9]+"$cure"$ ]]
    done
    run -0 "$MLS" index --rebuild notes
    run -0 "$MLS" -c note00007
    [ "$output" = "notes/first/d00/n00007.md:6" ]
    [ "$(ls "$MLSEARCH_DB")" = "compacted
gen-4
index
lock" ]
    run -0 "$MLS" index notes
}

@test "an index whose stub or generation is gone is damaged too, and rebuilt" {
    run -0 "$MLS" index notes
    printf 'garbage\n' > "$MLSEARCH_DB/index"
    run -2 --separate-stderr "$MLS" note00007
    [ "$stderr" = "mlsearch: $MLSEARCH_DB: the index is damaged (DatabaseCorruptError: $MLSEARCH_DB/index names no database); rebuild it with 'mlsearch index --rebuild [PATH...]'" ]
    run -0 "$MLS" index --full --rebuild notes
    rm -rf "$MLSEARCH_DB"/gen-*
    run -2 --separate-stderr "$MLS" note00007
    [[ "$stderr" == "mlsearch: $MLSEARCH_DB: the index is damaged ("*"); rebuild it with 'mlsearch index --rebuild [PATH...]'" ]]
    run -0 "$MLS" index --rebuild notes
    run -0 "$MLS" -c note00007
    [ "$output" = "notes/first/d00/n00007.md:6" ]
}

@test "the index is the owner's alone, whatever the umask" {
    for mask in 000 022 077; do
        rm -rf "$MLSEARCH_DB"
        (umask "$mask" && "$MLS" index notes/first/d00/n00001.md)
        (umask "$mask" && "$MLS" index notes)  # a second run: files rewritten
        [ "$(stat -c %a "$MLSEARCH_DB")" = 700 ]
        [ "$(find "$MLSEARCH_DB" -type f ! -perm 600 | wc -l)" -eq 0 ]
        [ "$(find "$MLSEARCH_DB" -mindepth 1 -type d ! -perm 700 | wc -l)" -eq 0 ]
        [ "$(find "$MLSEARCH_DB" -type f | wc -l)" -gt 5 ]
    done
}

@test "a disk with no byte left: the promised message, even with nothing to do" {
    mount_disk 2M
    allow_xapian_leaks
    run -0 "$MLS" index notes
    dd if=/dev/zero of="$DISK/filler" bs=4k 2>/dev/null || true   # to the last byte
    run -2 --separate-stderr "$MLS" index notes
    [ "$stderr" = "mlsearch: $DISK/db: $no_space" ]
    printf 'a new note\n' > notes/new.md
    run -2 --separate-stderr "$MLS" index notes
    [ "$stderr" = "mlsearch: $DISK/db: $no_space" ]
    run -0 "$MLS" -c note00007
    [ "$output" = "notes/first/d00/n00007.md:6" ]
    rm "$DISK/filler"
    run -0 "$MLS" index notes
    run -0 "$MLS" -c new
    [ "$output" = "notes/new.md:1" ]
}

# mlsearch as the user nobody, on the index root made (no chown).
as_nobody() {
    cp "$MLS" "$WORK/mlsearch"
    setpriv --reuid=65534 --regid=65534 --clear-groups \
        env MLSEARCH_DB="$MLSEARCH_DB" XDG_CONFIG_HOME="$WORK/nobody" "$WORK/mlsearch" "$@"
}

@test "someone else's index is neither missing nor damaged: permission denied" {
    [ "$(id -u)" -eq 0 ] || skip "needs root, to be another user"
    run -0 "$MLS" index notes
    denied="mlsearch: $MLSEARCH_DB: cannot open the index: Permission denied"
    run -2 --separate-stderr as_nobody note00007            # the folder, 0700
    [ "$stderr" = "$denied" ]
    chmod 755 "$MLSEARCH_DB"                                # the stub, 0600
    run -2 --separate-stderr as_nobody note00007
    [ "$stderr" = "$denied" ]
    run -2 --separate-stderr as_nobody status
    [ "$stderr" = "$denied" ]
    chmod 644 "$MLSEARCH_DB/index"                          # the generation, 0700
    run -2 --separate-stderr as_nobody note00007
    [ "$stderr" = "$denied" ]
    run -0 "$MLS" -c note00007                              # the owner's, as it was
    [ "$output" = "notes/first/d00/n00007.md:6" ]
}

@test "a file given as the index is said not to be one" {
    printf 'hello world\n' > not-an-index
    run -2 --separate-stderr "$MLS" --db not-an-index note00007
    [ "$stderr" = "mlsearch: not-an-index: not an index directory, nor a Xapian stub file (not-an-index:1: Bad line)" ]
    run -2 --separate-stderr "$MLS" status --db not-an-index
    [ "$stderr" = "mlsearch: not-an-index: not an index directory, nor a Xapian stub file (not-an-index:1: Bad line)" ]
}
