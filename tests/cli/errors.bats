#!/usr/bin/env bats
# Errors: a clear one-line message on stderr and exit status 2.

load helpers

setup() {
    WORK="$BATS_TEST_TMPDIR"
    export MLSEARCH_DB="$WORK/db"
    cd "$WORK"
}

@test "searching without an index says how to make one" {
    run -2 --separate-stderr "$MLS" AML
    [ "$output" = "" ]
    [ "$stderr" = "mlsearch: $WORK/db: no index here; run 'mlsearch index PATH' first" ]
}

@test "an empty or punctuation-only query is refused" {
    mkdir notes && printf 'alpha\n' > notes/a.md && "$MLS" index notes
    for q in '' '   ' '!!! ???' '🚀'; do
        run -2 --separate-stderr "$MLS" search "$q"
        [ "$stderr" = "mlsearch: query: nothing to search for (only spaces or punctuation)" ]
    done
}

@test "a damaged index is reported, not crashed on" {
    mkdir -p "$WORK/db/gen-1"
    printf 'glass gen-1\n' > "$WORK/db/index"
    printf 'garbage' > "$WORK/db/gen-1/iamglass"
    run -2 --separate-stderr "$MLS" AML
    [[ "$stderr" == "mlsearch: $WORK/db: the index is damaged (DatabaseCorruptError: "*"); rebuild it with 'mlsearch index --rebuild [PATH...]'" ]]
    [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
}

@test "bad options are named" {
    run -2 --separate-stderr "$MLS" --frobnicate AML
    [ "$stderr" = "mlsearch: --frobnicate: unknown option (see 'mlsearch --help'; '--' before a query starting with '-')" ]
    run -2 --separate-stderr "$MLS" -n 0 AML
    [ "$stderr" = "mlsearch: -n: needs a whole number of at least 1" ]
    run -2 --separate-stderr "$MLS" --color=sometimes AML
    [ "$stderr" = "mlsearch: --color=sometimes: must be auto, always or never" ]
    run -2 --separate-stderr "$MLS" AML --db
    [ "$stderr" = "mlsearch: --db: needs a value" ]
}

@test "no arguments prints the usage on stderr; --help on stdout" {
    run -2 --separate-stderr "$MLS"
    [ "$output" = "" ]
    [[ "${stderr_lines[0]}" == "usage: mlsearch [OPTIONS] QUERY..."* ]]
    run -0 --separate-stderr "$MLS" --help
    [[ "${lines[0]}" == "usage: mlsearch [OPTIONS] QUERY..."* ]]
    [ "$stderr" = "" ]
}

@test "the index location follows --db, then MLSEARCH_DB, then XDG_DATA_HOME" {
    mkdir notes && printf 'alpha\n' > notes/a.md
    unset MLSEARCH_DB
    XDG_DATA_HOME="$WORK/xdg" "$MLS" index notes
    [ -f "$WORK/xdg/mlsearch/index" ]
    MLSEARCH_DB="$WORK/env" "$MLS" index notes
    [ -f "$WORK/env/index" ]
    MLSEARCH_DB="$WORK/env" "$MLS" index --db "$WORK/flag" notes
    [ -f "$WORK/flag/index" ]
    HOME="$WORK/home" XDG_DATA_HOME= "$MLS" index notes
    [ -f "$WORK/home/.local/share/mlsearch/index" ]
}

@test "a query word that looks like a command can follow --" {
    mkdir notes && printf 'index dump\n' > notes/a.md && "$MLS" index notes
    run -0 "$MLS" --color=never -- index
    [ "$output" = "notes/a.md:1: index dump" ]
    run -0 "$MLS" search --color=never dump
    [ "$output" = "notes/a.md:1: index dump" ]
}

@test "nothing raw from the configuration, a notebook or a path reaches the terminal" {
    export XDG_CONFIG_HOME="$WORK/config"
    mkdir -p config/mlsearch notes && printf 'alpha\n' > notes/a.md && "$MLS" index notes
    printf 'clear\033[2J\033]0;pwn\007 on\n' > config/mlsearch/config
    run -2 --separate-stderr "$MLS" alpha
    [ "$stderr" = "mlsearch: config: $WORK/config/mlsearch/config:1: unknown setting clear\\x1B[2J\\x1B]0;pwn\\x07" ]
    printf 'notebook w\033[2Jork\n' > config/mlsearch/config
    run -2 --separate-stderr "$MLS" alpha
    [ "$stderr" = "mlsearch: config: $WORK/config/mlsearch/config:1: a notebook's name is letters, digits, '-', '_' and '.' (and not 'default'), not w\\x1B[2Jork" ]
    # A notebook whose index is not there: warned of, the others searched.
    printf 'root %s\nnotebook team\ndb %s\n' "$WORK/notes" "$WORK/t"$'\033]0;pwn\a' \
        > config/mlsearch/config
    run -0 --separate-stderr "$MLS" --color=never alpha
    [ "$stderr" = "mlsearch: notebook team ($WORK/t\\x1B]0;pwn\\x07): no index yet; searching the others" ]
    run -2 --separate-stderr "$MLS" -N $'\033[2J' alpha
    [ "$stderr" = "mlsearch: notebook: no notebook named \\x1B[2J in the configuration" ]
    rm config/mlsearch/config
    run -2 --separate-stderr "$MLS" --db $'f\033]0;pwn\a' alpha
    [ "$stderr" = "mlsearch: f\\x1B]0;pwn\\x07: no index here; run 'mlsearch index PATH' first" ]
    # Nor on stdout, where status names the index.
    "$MLS" index --db $'f\033]0;pwn\a' notes
    run -0 "$MLS" status --db $'f\033]0;pwn\a'
    [[ "${lines[0]}" == "index:     f\\x1B]0;pwn\\x07 ("*" MB)" ]]
    # Xapian's own words name the path too.
    mkdir $'d\033]0;pwn\a' && printf 'not a stub\n' > $'d\033]0;pwn\a/stub'
    run -2 --separate-stderr "$MLS" --db $'d\033]0;pwn\a/stub' alpha
    [[ "$stderr" == "mlsearch: d\\x1B]0;pwn\\x07/stub: "*"d\\x1B]0;pwn\\x07/stub:1: Bad line"* ]]
    [[ "$stderr" != *[$'\001'-$'\037']* ]]
}

@test "a configuration file that is a FIFO is refused, not waited on" {
    export XDG_CONFIG_HOME="$WORK/config"
    mkdir -p config/mlsearch notes && printf 'alpha\n' > notes/a.md && "$MLS" index notes
    mkfifo config/mlsearch/config
    # timeout: only so that a regression fails instead of hanging the suite.
    run -2 --separate-stderr timeout 60 "$MLS" alpha
    [ "$stderr" = "mlsearch: config: $WORK/config/mlsearch/config: not a regular file" ]
    run -2 --separate-stderr timeout 60 "$MLS" index notes
    [ "$stderr" = "mlsearch: config: $WORK/config/mlsearch/config: not a regular file" ]
}

@test "an index that other users may write to is refused, by every command" {
    export XDG_CONFIG_HOME="$WORK/config"
    mkdir -p config/mlsearch notes && printf 'alpha\n' > notes/a.md && "$MLS" index notes
    why="writable by other users, who could point it at another index; make it private"
    for mode in 777 770 720 702; do
        chmod "$mode" db
        for command in "alpha" "status" "dump" "index notes"; do
            run -2 --separate-stderr "$MLS" $command
            [ "$output" = "" ]
            [ "$stderr" = "mlsearch: $WORK/db: $why: chmod 700 $WORK/db" ]
        done
        # timeout: only so that a regression fails instead of serving on.
        run -2 --separate-stderr timeout 60 "$MLS" serve --port 1
        [ "$stderr" = "mlsearch: $WORK/db: $why: chmod 700 $WORK/db" ]
    done
    [ "$(stat -c %a db)" = 702 ]  # left as it is: the owner decides
    # Only write bits for others matter.
    for mode in 755 750 700 500; do
        chmod "$mode" db
        run -0 "$MLS" --color=never alpha
        [ "$output" = "notes/a.md:1: alpha" ]
    done
    chmod 700 db
    chmod 666 db/index
    run -2 --separate-stderr "$MLS" alpha
    [ "$stderr" = "mlsearch: $WORK/db: its index file is $why: chmod 600 $WORK/db/index" ]
    chmod 644 db/index
    run -0 "$MLS" status
    # Among several notebooks, one not private is left out, and said so.
    mkdir -p team && chmod 777 team
    printf 'root %s\nnotebook team\ndb %s\n' "$WORK/notes" "$WORK/team" > config/mlsearch/config
    run -0 --separate-stderr "$MLS" --color=never alpha
    [ "$stderr" = "mlsearch: notebook team ($WORK/team): $why: chmod 700 $WORK/team; searching the others" ]
    [ "$output" = "notes/a.md:1: alpha" ]
}
