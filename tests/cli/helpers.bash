# Shared set-up for the command-line tests.  Paths print relative to the
# current directory, so every test runs from the repository's top.
bats_require_minimum_version 1.5.0

REPO="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
MLS="${MLSEARCH:-$REPO/build/mlsearch}"
# Never the configuration of whoever runs the tests.
export XDG_CONFIG_HOME="$BATS_FILE_TMPDIR/config"

# Indexes corpus/ once per file into a private index.
index_corpus_once() {
    export MLSEARCH_DB="$BATS_FILE_TMPDIR/db"
    cd "$REPO"
    "$MLS" index corpus 2>/dev/null || [ $? -eq 0 ]
}

# Each test of a file that shares the corpus index: that index, from the
# repository's top.
use_corpus_index() {
    export MLSEARCH_DB="$BATS_FILE_TMPDIR/db"
    cd "$REPO"
}

# The path:line of each line of $output, one per line.
hit_keys() {
    printf '%s\n' "$output" | sed -n 's/^\([^:]*:[0-9]*\):.*/\1/p'
}

# A scratch directory for one test, entered, with its own index and
# configuration (WORK, MLSEARCH_DB, XDG_CONFIG_HOME) and an empty notes/.
# World-traversable, so that a test can run the indexer as an unprivileged
# user when the suite runs as root.
enter_work_dir() {
    WORK="$(mktemp -d /tmp/mlsearch-test.XXXXXX)"
    chmod 755 "$WORK"
    export MLSEARCH_DB="$WORK/db"
    export XDG_CONFIG_HOME="$WORK/config"
    mkdir -p "$WORK/notes" "$WORK/config/mlsearch"
    cd "$WORK"
}

leave_work_dir() {
    chmod -R u+rwX "$WORK" 2>/dev/null || true
    rm -rf "$WORK"
}

# Gives files an mtime in the past, as notes have when the nightly run
# meets them; a file written in the second it is indexed is read again on
# the next run (see the same-second tests).
settle() {
    touch -d '2020-01-01 00:00:00' "$@"
}

# The summary line with its duration, which varies, as T.
without_time() {
    sed 's/ in [0-9]*\.[0-9] s$/ in T s/' <<< "$1"
}

# Runs mlsearch with the given arguments as an unprivileged user when the
# suite runs as root (whom file permissions do not stop), with this test's
# index and configuration; the binary is copied into WORK, which it owns.
mls_unprivileged() {
    if [ "$(id -u)" -ne 0 ]; then
        "$MLS" "$@"
        return
    fi
    [ -x "$WORK/mlsearch" ] || cp "$MLS" "$WORK/mlsearch"
    chown -R 65534:65534 "$WORK"
    setpriv --reuid=65534 --regid=65534 --clear-groups \
        env MLSEARCH_DB="$MLSEARCH_DB" XDG_CONFIG_HOME="$XDG_CONFIG_HOME" "$WORK/mlsearch" "$@"
}
