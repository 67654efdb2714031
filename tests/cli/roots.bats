#!/usr/bin/env bats
# Roots that mean something: a run without paths indexes the
# configuration's roots, else those the index remembers; a root no longer
# in the configuration is let go of, with its notes; a root missing on disk
# keeps its notes; `mlsearch forget` lets go of one on purpose.

load helpers

setup() {
    enter_work_dir
    mkdir other
    printf 'alpha one\n' > notes/a.md
    printf 'beta two\n' > notes/b.md
    printf 'gamma three\n' > other/c.md
    settle notes/*.md other/*.md
    "$MLS" index notes
    "$MLS" index other
}

teardown() { leave_work_dir; }

@test "without paths or a configuration, a run indexes every root the index remembers" {
    rm notes/b.md
    run -0 --separate-stderr "$MLS" index -v
    [ "${stderr_lines[0]}" = "mlsearch: index: no root in the configuration: indexing the 2 roots the index remembers" ]
    [ "$(without_time "${stderr_lines[1]}")" = "2 files: 0 new, 0 changed, 1 removed, 0 errors in T s" ]
    run -1 "$MLS" beta
    run -0 "$MLS" --color=never gamma
    [ "$output" = "other/c.md:1: gamma three" ]
}

@test "a root no longer in the configuration is let go of, with its notes, in one line" {
    printf 'root %s\n' "$WORK/notes" > config/mlsearch/config
    run -0 --separate-stderr "$MLS" index
    [ "$stderr" = "mlsearch: let go of $WORK/other (no longer in the configuration): 1 note removed" ]
    run -0 "$MLS" status
    [ "${lines[1]}" = "roots:     $WORK/notes" ]
    [ "${lines[2]}" = "notes:     2" ]
    run -1 "$MLS" gamma
    # The next run has nothing more to let go of.
    run -0 --separate-stderr "$MLS" index
    [ "$stderr" = "" ]
    # A root the configuration holds inside another is not let go of.
    printf 'root %s\n' "$WORK" > config/mlsearch/config
    run -0 --separate-stderr "$MLS" index
    [ "$stderr" = "" ]
    run -0 "$MLS" status
    [ "${lines[1]}" = "roots:     $WORK/notes" ]
    [ "${lines[2]}" = "           $WORK" ]
}

@test "a root missing on disk is an error, and its notes are kept" {
    printf 'root %s\nroot %s\n' "$WORK/notes" "$WORK/other" > config/mlsearch/config
    mv other elsewhere # an unmounted drive, a network folder down
    run -2 --separate-stderr "$MLS" index
    [ "$stderr" = "other: cannot read this root: No such file or directory; what was indexed under it is kept" ]
    run -0 "$MLS" --color=never gamma
    [ "$output" = "other/c.md:1: gamma three" ]
    run -0 "$MLS" status
    [ "${lines[3]}" = "notes:     3" ]
    # Back again: nothing to read again.
    mv elsewhere other
    run -0 --separate-stderr "$MLS" index -v
    [ "$(without_time "$stderr")" = "3 files: 0 new, 0 changed, 0 removed, 0 errors in T s" ]
}

@test "a root that cannot be read is an error, and its notes are kept" {
    printf 'root %s\nroot %s\n' "$WORK/notes" "$WORK/other" > config/mlsearch/config
    chmod 000 other
    run -2 --separate-stderr mls_unprivileged index
    [ "$stderr" = "other: cannot open directory: Permission denied" ]
    chmod 755 other
    run -0 "$MLS" --color=never gamma
    [ "$output" = "other/c.md:1: gamma three" ]
}

@test "forget lets go of a root and its notes on purpose; what is not a root is refused" {
    run -0 --separate-stderr "$MLS" forget other
    [ "$stderr" = "mlsearch: let go of $WORK/other (forgotten): 1 note removed" ]
    run -1 "$MLS" gamma
    run -0 "$MLS" status
    [ "${lines[1]}" = "roots:     $WORK/notes" ]
    run -2 --separate-stderr "$MLS" forget other
    [ "$stderr" = "mlsearch: other: not a root of the index (its roots: $WORK/notes)" ]
    run -2 --separate-stderr "$MLS" forget
    [ "$stderr" = "mlsearch: forget: names the roots to let go of (usage: mlsearch forget PATH...)" ]
    # Still in the configuration: said, since the next run takes it back.
    printf 'root %s\n' "$WORK/notes" > config/mlsearch/config
    run -0 --separate-stderr "$MLS" forget notes
    [ "$stderr" = "mlsearch: let go of $WORK/notes (forgotten): 2 notes removed
mlsearch: $WORK/notes is still a root in the configuration: the next 'mlsearch index' indexes it again" ]
    run -1 "$MLS" alpha
    run -0 "$MLS" index
    run -0 "$MLS" --color=never alpha
    [ "$output" = "notes/a.md:1: alpha one" ]
}

@test "a configured root that cannot be resolved, through a link or relative, lets go of nothing" {
    # The drive behind a link is gone: the link cannot say where it led.
    ln -s "$WORK/elsewhere" "$WORK/link"
    mv other elsewhere
    "$MLS" forget other
    "$MLS" index "$WORK/link"
    mv elsewhere gone
    printf 'root %s\nroot %s\n' "$WORK/notes" "$WORK/link" > config/mlsearch/config
    run -2 --separate-stderr "$MLS" index
    [ "$stderr" = "link: cannot read this root: No such file or directory; what was indexed under it is kept" ]
    run -0 "$MLS" --color=never gamma
    [ "$output" = "elsewhere/c.md:1: gamma three" ]
    # A relative root: relative to what? Nothing is let go of either.
    mv gone elsewhere
    printf 'root notes\n' > config/mlsearch/config
    run -0 --separate-stderr "$MLS" index
    [ "$stderr" = "" ]
    run -0 "$MLS" --color=never gamma
    [ "$output" = "elsewhere/c.md:1: gamma three" ]
}
