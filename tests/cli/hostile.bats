#!/usr/bin/env bats
# Hostile notes (tests/cli/make_hostile.py): huge, deep, binary, badly
# encoded or badly named notes, FIFOs and devices, notes that change under
# the indexer.  For each: no crash, no hang, a `path: reason` where it is
# skipped, and every other note indexed and found.

load helpers

setup() {
    enter_work_dir
    python3 "$REPO/tests/cli/make_hostile.py" notes
    mkfifo notes/pipe.md
}

teardown() {
    leave_work_dir
}

# Runs the command with a time limit, and prints its peak memory in MB
# on fd 3 (as "peak_mb N").
bounded() {
    python3 - "$@" 3>&1 <<'EOF'
import os, resource, subprocess, sys
r = subprocess.run(sys.argv[1:], timeout=300)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
os.write(3, b'peak_mb %d\n' % peak)
sys.exit(r.returncode)
EOF
}

@test "hostile notes: each one skipped says why, and everything else is found" {
    if [ "$(id -u)" -eq 0 ]; then
        mknod notes/dev.md c 1 5  # /dev/null's numbers: endless if read
    else
        ln -s /dev/zero notes/dev.md  # out of the root: not followed
    fi
    run --separate-stderr timeout 120 "$MLS" index -v notes
    [ "$status" -eq 0 ]
    if [ "$(id -u)" -eq 0 ]; then
        dev_line='notes/dev.md: not a regular file, skipped'
    else
        dev_line='notes/dev.md: symbolic link out of the indexed folders, not followed'
    fi
    [ "$(without_time "$stderr" | sort)" = "$(sort <<EOF
$dev_line
notes/pipe.md: not a regular file, skipped
notes/badutf8.md: invalid UTF-8: 8 bytes replaced with U+FFFD
notes/bigline.md: larger than 16777216 bytes, skipped
notes/image.md: binary file, skipped
notes/nul.md: binary file, skipped
14 files: 14 new, 0 changed, 0 removed, 0 errors in T s
EOF
)" ]

    run -0 "$MLS" --color=never survivor
    [ "$output" = "notes/ok.md:3: Survivor › survivor note
notes/ok.md:1: Survivor" ]
    run -0 "$MLS" --color=never deepitem
    [ "$output" = "notes/deeplist.md:1: deepitem" ]
    run -0 "$MLS" --color=never deepquote
    [ "$output" = "notes/deepquote.md:1: deepquote" ]
    run -0 "$MLS" --color=never deepmixed
    [ "$output" = "notes/deepmixed.md:1: deepmixed" ]
    run -0 "$MLS" --color=never item200000
    [ "$output" = "notes/manyitems.md:200000: item200000" ]
    run -0 "$MLS" --color=never utf8survivor
    [ "$output" = "notes/badutf8.md:1: lone ��� and overlong �� ��� utf8survivor" ]
    # The name's newline, colon and bad byte, escaped: one hit, one line.
    run -0 "$MLS" --color=never --vimgrep weirdname
    [ "$output" = 'notes/we\x0Aird:name\xFF.md:1:1:weirdname note' ]
    run -0 "$MLS" --color=never controlword
    [ "$output" = 'notes/control.md:1: \x1B[31mred\x1B[0m controlword \u{202E} desrever' ]
    # A megabyte-long word and two megabytes of Japanese without a space:
    # cut into passages, both ends found.
    run -0 "$MLS" --color=never --vimgrep longwordend
    [ "$output" = "notes/longword.md:1:1000016:…$(printf 'a%.0s' $(seq 88)) longwordend" ]
    run -0 "$MLS" -l 長文開始
    [ "$output" = "notes/longcjk.md" ]
    run -0 "$MLS" -l 長文終了
    [ "$output" = "notes/longcjk.md" ]
    # Skipped notes are not in the index.
    run -1 "$MLS" nulword
    run -1 "$MLS" bigstart
}

@test "a 50 MB note of one line is indexed in bounded time and memory" {
    run bounded "$MLS" index --max-size 64M notes/bigline.md
    [ "$status" -eq 0 ]
    peak=$(sed -n 's/^peak_mb //p' <<< "$output")
    echo "peak memory: $peak MB"
    [ "$peak" -lt 1024 ]
    # Cut into passages of at most 64 KiB, each with its own column.
    run -0 "$MLS" --vimgrep bigend
    # "bigstart " and 1,747,626 times the 30 bytes of "alpha 推論サーバー beta ".
    # The snippet starts at a space, not in the middle of "alpha".
    [ "$output" = "notes/bigline.md:1:52428790:…$(printf '推論サーバー beta alpha %.0s' 1 2 3)推論サーバー beta bigend" ]
    run -0 "$MLS" --vimgrep bigstart
    [[ "$output" == "notes/bigline.md:1:1:bigstart alpha 推論サーバー beta "* ]]
    run -0 "$MLS" -c 推論サーバー
    [ "$output" = "notes/bigline.md:801" ]
}

@test "a note deleted just before it is read is left out, quietly" {
    [ -n "$MLS_FAULT_LIB" ] || skip "MLS_FAULT_LIB not set (make cli sets it)"
    printf 'gone note\n' > notes/gone.md
    run --separate-stderr env LD_PRELOAD="$MLS_FAULT_LIB" MLS_FAULT=unlink \
        MLS_FAULT_PATH=/notes/gone.md ASAN_OPTIONS="$ASAN_OPTIONS:verify_asan_link_order=0" \
        "$MLS" index -v notes/ok.md notes/gone.md
    [ "$status" -eq 0 ]
    [ "$(sed -n 1p <<< "$stderr")" = "notes/gone.md: vanished while indexing" ]
    [ ! -e notes/gone.md ]
    run -1 "$MLS" gone
    run -0 "$MLS" --color=never survivor
}

@test "a note cut short while it is read: what was read is indexed, the rest next run" {
    [ -n "$MLS_FAULT_LIB" ] || skip "MLS_FAULT_LIB not set (make cli sets it)"
    # 10 bytes, then 200 KB: the indexer reads 64 KiB, then the file is cut
    # to its first 10 bytes.
    { printf 'aftercut\n\n'; printf 'cutstart\n\n'; head -c 200000 /dev/zero | tr '\0' 'x';
      printf '\n\ncutend\n'; } > notes/cut.md
    settle notes/cut.md
    run --separate-stderr env LD_PRELOAD="$MLS_FAULT_LIB" MLS_FAULT=truncate \
        MLS_FAULT_PATH=/notes/cut.md ASAN_OPTIONS="$ASAN_OPTIONS:verify_asan_link_order=0" \
        "$MLS" index -v notes/cut.md
    [ "$status" -eq 0 ]
    [ "$(sed -n 1p <<< "$stderr")" = "notes/cut.md: changed while it was read; read again next run" ]
    [ "$(stat -c %s notes/cut.md)" -eq 10 ]
    run -0 "$MLS" cutstart
    run -1 "$MLS" cutend
    # The next run sees the note as it is now.
    run -0 "$MLS" index notes/cut.md
    run -1 "$MLS" cutstart
    run -0 "$MLS" --color=never aftercut
    [ "$output" = "notes/cut.md:1: aftercut" ]
}

@test "long passages that compress well are read back (Xapian 1.4.22's 8 KiB bug)" {
    # Passages just over a multiple of 8 KiB, of one repeated letter: some
    # of these sizes came back as "Too few chunks of compressed data".
    rm -f notes/*
    for n in $(seq 8100 8300); do
        head -c "$n" /dev/zero | tr '\0' 'a' > "notes/a$n.md"
    done
    run -0 "$MLS" index notes
    [ "$("$MLS" dump | wc -l)" -eq 201 ]
    run -0 "$MLS" -c "$(head -c 8200 /dev/zero | tr '\0' 'a')"
    [ "$output" = "notes/a8200.md:1" ]
}
