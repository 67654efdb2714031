#!/usr/bin/env bats
# Edge cases of notes and queries, each on a tiny tree of its own.

load helpers

setup() {
    WORK="$BATS_TEST_TMPDIR"
    export MLSEARCH_DB="$WORK/db"
    mkdir -p "$WORK/notes"
    cd "$WORK"
}

@test "a word longer than any term is still found, as a whole word only" {
    long="$(printf 'a%.0s' $(seq 300))"
    printf 'before %s after\n\nother %sb\n' "$long" "$long" > notes/a.md
    "$MLS" index notes
    run -0 "$MLS" --color=never "$long"
    [ "$(hit_keys)" = "notes/a.md:1" ]
    run -0 "$MLS" --color=never "before-$long-after"
    [ "$(hit_keys)" = "notes/a.md:1" ]
    run -1 "$MLS" before after-other
}

@test "characters that normalization drops do not close a CJK run in a query" {
    printf '推論\n' > notes/a.md
    "$MLS" index notes
    run -0 "$MLS" --color=never $'推\xC2\xAD'
    [ "$output" = "notes/a.md:1: 推論" ]
}

@test "a huge count is a huge count" {
    printf 'alpha\n' > notes/a.md
    "$MLS" index notes
    run -0 "$MLS" --color=never -n 4294967296 alpha
    [ "$output" = "notes/a.md:1: alpha" ]
}

@test "nothing raw from a note or an argument reaches the terminal" {
    printf '# Head\tline\n\nalpha \033[31mred\033[0m \342\200\256evil\r\n' > notes/a.md
    "$MLS" index notes
    run -0 "$MLS" --color=never alpha
    [ "$output" = 'notes/a.md:3: Head line › alpha \x1B[31mred\x1B[0m \u{202E}evil' ]
    run -2 --separate-stderr "$MLS" $'--\033[31mX'
    [ "$stderr" = "mlsearch: --\\x1B[31mX: unknown option (see 'mlsearch --help'; '--' before a query starting with '-')" ]
}

@test "a file name with a newline is shown escaped" {
    printf 'alpha\n' > "notes/two"$'\n'"lines.md"
    "$MLS" index notes
    run -0 "$MLS" --color=never alpha
    [ "$output" = 'notes/two\x0Alines.md:1: alpha' ]
}

@test "a CRLF note gives the same lines as an LF note" {
    printf '# Title\r\n\r\nfirst line\r\nsecond alpha\r\n' > notes/a.md
    "$MLS" index notes
    run -0 "$MLS" --color=never alpha
    [ "$output" = "notes/a.md:4: Title › first line second alpha" ]
}

@test "a one-line passage of several megabytes is searched quickly and shown short" {
    { printf 'start '; head -c 3000000 /dev/zero | tr '\0' 'x' | fold -w 100 | tr '\n' ' '; printf ' needle end\n'; } > notes/big.md
    "$MLS" index notes
    run -0 "$MLS" --color=never start
    [ "${#output}" -lt 200 ]
    [[ "$output" == "notes/big.md:1: start xxx"*"…" ]]
}
