#!/usr/bin/env bats
# The command line's grammar: a subcommand after options, options of every
# command before or after it, bundled short options, help and version.

load helpers

setup() {
    WORK="$BATS_TEST_TMPDIR"
    export MLSEARCH_DB="$WORK/default-db"
    cd "$REPO"
}

@test "options before the subcommand: --db D index PATH, --db D status" {
    run -0 --separate-stderr "$MLS" --db "$WORK/idx" index corpus
    [ "$stderr" = "corpus/reading/legacy-sjis.md: invalid UTF-8: 9 bytes replaced with U+FFFD" ]
    run -0 --separate-stderr "$MLS" --db "$WORK/idx" status
    [ "${lines[0]}" = "index:     $WORK/idx (0.2 MB)" ]
    [ "${lines[1]}" = "roots:     $REPO/corpus" ]
    [ "${lines[2]}" = "notes:     24" ]
    [ "$stderr" = "" ]
    run -0 "$MLS" -v --db "$WORK/idx" index corpus
    [ "$(without_time "${lines[0]}")" = "24 files: 0 new, 0 changed, 0 removed, 0 errors in T s" ]
    # The default index was never made: nothing went there.
    [ ! -e "$WORK/default-db" ]
}

@test "short options bundle: -ln 3, -ln3, -cn1, -vj2" {
    "$MLS" --db "$WORK/idx" index corpus 2>/dev/null
    run -0 "$MLS" --db "$WORK/idx" -ln 3 推論
    [ "${#lines[@]}" -eq 3 ]
    [ "$output" = "$("$MLS" --db "$WORK/idx" -l -n 3 推論)" ]
    run -0 "$MLS" --db "$WORK/idx" -ln3 推論
    [ "${#lines[@]}" -eq 3 ]
    run -0 "$MLS" --db "$WORK/idx" -cn1 AML
    [ "$output" = "corpus/meetups/2024-05-payments-ml-meetup.md:1" ]
    run -0 "$MLS" --db "$WORK/idx" index -vj2 corpus
    [ "$(without_time "${lines[0]}")" = "24 files: 0 new, 0 changed, 0 removed, 0 errors in T s" ]
    run -2 --separate-stderr "$MLS" --db "$WORK/idx" -lx AML
    [ "$stderr" = "mlsearch: -lx: unknown option -x (see 'mlsearch --help'; '--' before a query starting with '-')" ]
}

@test "an option a command does not take is named, with the way to search for the word" {
    run -2 --separate-stderr "$MLS" --db "$WORK/idx" -l status
    [ "$stderr" = "mlsearch: -l: not an option of 'mlsearch status' (to search for \"status\": mlsearch search [OPTIONS] status)" ]
    run -2 --separate-stderr "$MLS" status -n 3
    [ "$stderr" = "mlsearch: -n: not an option of 'mlsearch status'" ]
    run -2 --separate-stderr "$MLS" serve --full
    [ "$stderr" = "mlsearch: --full: not an option of 'mlsearch serve'" ]
    run -2 --separate-stderr "$MLS" --json=yes AML
    [ "$stderr" = "mlsearch: --json=yes: takes no value" ]
}

@test "help, COMMAND --help and --version" {
    run -0 --separate-stderr "$MLS" help
    [ "${lines[0]}" = "usage: mlsearch [OPTIONS] QUERY...         search (same as 'mlsearch search')" ]
    [ "$output" = "$("$MLS" --help)" ]
    [ "$stderr" = "" ]
    run -0 "$MLS" index --help
    [ "${lines[0]}" = "usage: mlsearch index [OPTIONS] [PATH...]" ]
    [ "${lines[1]}" = "Index notes: each PATH, else the roots in the configuration." ]
    [ "$output" = "$("$MLS" help index)" ]
    [ "$output" = "$("$MLS" --help index)" ]
    [[ "$output" == *"  -j, --jobs N          threads for a first build (default: one per CPU)"* ]]
    [[ "$output" != *"--max-count"* ]]
    run -0 "$MLS" status --help
    [ "${lines[0]}" = "usage: mlsearch status [OPTIONS]" ]
    [[ "$output" != *"--jobs"* ]]
    [[ "$output" == *"      --db DIR          the index"* ]]
    run -2 --separate-stderr "$MLS" help bogus
    [ "$stderr" = "mlsearch: help: no command 'bogus' (commands: search, index, status, dump, serve, forget, compact, check, tags, help)" ]
    run -0 "$MLS" --version
    [[ "$output" =~ ^mlsearch\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
    [ "$output" = "$("$MLS" status --version)" ]
}

@test "a first word one slip from a command is searched, with a hint" {
    "$MLS" --db "$WORK/idx" index corpus 2>/dev/null
    run -1 --separate-stderr "$MLS" --db "$WORK/idx" stauts
    [ "$output" = "" ]
    [ "$stderr" = "mlsearch: did you mean 'status'? searching for \"stauts\"" ]
    run -1 --separate-stderr "$MLS" --db "$WORK/idx" idnex
    [ "$stderr" = "mlsearch: did you mean 'index'? searching for \"idnex\"" ]
    # Words people search for get no hint.
    for word in server helm indexes; do
        run --separate-stderr "$MLS" --db "$WORK/idx" "$word"
        [ "$stderr" = "" ]
    done
}

@test "search -v says what it searched, after the hits" {
    "$MLS" --db "$WORK/idx" index corpus 2>/dev/null
    run -0 --separate-stderr "$MLS" --db "$WORK/idx" -v -n 1 --color=never AML
    [ "$output" = "corpus/meetups/2024-05-payments-ml-meetup.md:14: 2024-05 決済 x ML meetup › セッション1: 決済会社での ML の使いどころ › AML（マネーロンダリング対策）" ]
    [[ "$stderr" =~ ^mlsearch:\ searched\ notebook\ default\ \($WORK/idx\):\ 1\ hit\ in\ [0-9]+\.[0-9]\ ms$ ]]
}

@test "a long bundle of short options, and empty values, are said, not overrun" {
    run -2 --separate-stderr "$MLS" "-$(printf 'v%.0s' $(seq 3000))" --db "$WORK/none" foo
    [ "$stderr" = "mlsearch: $WORK/none: no index here; run 'mlsearch index PATH' first" ]
    run -2 --separate-stderr "$MLS" --db= foo
    [ "$stderr" = "mlsearch: --db=: needs a value, not an empty one" ]
    run -2 --separate-stderr "$MLS" --db "" foo
    [ "$stderr" = "mlsearch: --db: needs a value, not an empty one" ]
}
