# Shared set-up for the command-line tests.  Paths print relative to the
# current directory, so every test runs from the repository's top.
bats_require_minimum_version 1.5.0

REPO="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
MLS="${MLSEARCH:-$REPO/build/mlsearch}"

# Indexes corpus/ once per file into a private index.
index_corpus_once() {
    export MLSEARCH_DB="$BATS_FILE_TMPDIR/db"
    cd "$REPO"
    "$MLS" index corpus 2>/dev/null || [ $? -eq 0 ]
}

# The path:line of each line of $output, one per line.
hit_keys() {
    printf '%s\n' "$output" | sed -n 's/^\([^:]*:[0-9]*\):.*/\1/p'
}
