#!/usr/bin/env bats
# make install and uninstall: the binary, its man page, the completions,
# the README and LICENSE, the systemd user units; each checked as its tool
# reads it.

load helpers

setup() {
    DEST="$BATS_TEST_TMPDIR/dest"
    BIN="$DEST/usr/local/bin/mlsearch"
    # The suite may run under make: this make is a make of its own.
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$REPO" install DESTDIR="$DEST" >/dev/null
}

# The long options `mlsearch --help` lists, one per line.
options_of_help() {
    "$MLS" --help | grep -o -- '--[a-z][a-z-]*' | grep -vx -- '--' | sort -u
}

@test "make install puts in every file, and make uninstall takes every one out" {
    cd "$DEST"
    run -0 find . -type f
    [ "$(sort <<< "$output")" = "$(sort <<'EOF'
./usr/local/bin/mlsearch
./usr/local/lib/systemd/user/mlsearch-index.service
./usr/local/lib/systemd/user/mlsearch-index.timer
./usr/local/share/bash-completion/completions/mlsearch
./usr/local/share/doc/mlsearch/LICENSE
./usr/local/share/doc/mlsearch/README.md
./usr/local/share/fish/vendor_completions.d/mlsearch.fish
./usr/local/share/man/man1/mlsearch.1
./usr/local/share/zsh/site-functions/_mlsearch
EOF
)" ]
    [ "$("$BIN" --version)" = "$("$MLS" --version)" ]
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$REPO" uninstall DESTDIR="$DEST"
    run -0 find . -type f
    [ "$output" = "" ]
}

@test "the man page renders without a warning, and lists every option" {
    page="$DEST/usr/local/share/man/man1/mlsearch.1"
    run -0 --separate-stderr env MANWIDTH=80 man -l "$page"
    [ "$stderr" = "" ]
    [ "${lines[0]}" = "MLSEARCH(1)                      User Commands                     MLSEARCH(1)" ]
    [[ "$output" == *"mlsearch - search Markdown notes in Japanese and English, by passage"* ]]
    run -0 --separate-stderr groff -ww -man -z -K utf8 "$page"
    [ "$stderr" = "" ]
    run -0 mandoc -T lint "$page"
    [ "$output" = "" ]
    run -0 lexgrog "$page"
    [ "$output" = "$page: \"mlsearch - search Markdown notes in Japanese and English, by passage\"" ]
    text=$(MANWIDTH=200 man -l "$page" 2>/dev/null)
    for option in $(options_of_help); do
        [[ "$text" == *"$option"* ]] || { echo "man page leaves out $option"; false; }
    done
}

@test "bash completion: commands, each command's options, values" {
    completion="$DEST/usr/local/share/bash-completion/completions/mlsearch"
    mkdir -p "$BATS_TEST_TMPDIR/config/mlsearch"
    printf 'notebook work\nroot /tmp\nnotebook team\nremote host:1\n' \
        > "$BATS_TEST_TMPDIR/config/mlsearch/config"
    complete_words() { # the words of a command line, the last one being completed
        XDG_CONFIG_HOME="$BATS_TEST_TMPDIR/config" bash -c '
            source "$1"; shift
            COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
            _mlsearch; printf "%s\n" "${COMPREPLY[@]}"' bash "$completion" "$@"
    }
    run -0 bash -c "source '$completion'; complete -p mlsearch"
    [ "$output" = "complete -o filenames -F _mlsearch mlsearch" ]
    [ "$(complete_words mlsearch ind)" = "index" ]
    [ "$(complete_words mlsearch --db /tmp st)" = "status" ]
    [ "$(complete_words mlsearch index --fu)" = "--full" ]
    [ "$(complete_words mlsearch -N work index --re)" = "$(printf -- '--rebuild\n--rebuild-if-damaged')" ]
    [ "$(complete_words mlsearch status --j)" = "" ]
    [ "$(complete_words mlsearch --j)" = "--json" ]
    [ "$(complete_words mlsearch --color '')" = "$(printf 'auto\nalways\nnever')" ]
    [ "$(complete_words mlsearch -N '')" = "$(printf 'work\nteam')" ]
    [ "$(complete_words mlsearch help se)" = "$(printf 'search\nserve')" ]
    # bash splits --opt=value at '='; a bundle ends with the option a value is for.
    [ "$(complete_words mlsearch --color = '')" = "$(printf 'auto\nalways\nnever')" ]
    [ "$(complete_words mlsearch --db = /tmp status --j)" = "" ]
    [ "$(complete_words mlsearch -vN '')" = "$(printf 'work\nteam')" ]
    [ "$(complete_words mlsearch -- '')" = "" ]
    for option in $(options_of_help); do
        grep -q -- "$option" "$completion" || { echo "bash completion leaves out $option"; false; }
    done
}

@test "zsh and fish completions parse, and list every option" {
    zsh_file="$DEST/usr/local/share/zsh/site-functions/_mlsearch"
    fish_file="$DEST/usr/local/share/fish/vendor_completions.d/mlsearch.fish"
    run -0 zsh -n "$zsh_file"
    run -0 fish --no-execute "$fish_file"
    run -0 fish -c "source '$fish_file'; complete -C'mlsearch index --fu'"
    [ "$output" = "$(printf -- '--full\tread every note again, changed or not')" ]
    run -0 fish -c "source '$fish_file'; complete -C'mlsearch --colo'"
    [ "$output" = "$(printf -- '--color\tcolour hits: auto (default), always or never; NO_COLOR is honoured')" ]
    for option in $(options_of_help); do
        grep -q -- "$option" "$zsh_file" || { echo "zsh completion leaves out $option"; false; }
        grep -q -- "-l ${option#--}" "$fish_file" || { echo "fish completion leaves out $option"; false; }
    done
}

@test "the systemd service's ExecStart, run in a bare environment, indexes the configured roots" {
    service="$DEST/usr/local/lib/systemd/user/mlsearch-index.service"
    run -0 grep '^ExecStart=' "$service"
    [ "$output" = "ExecStart=/usr/local/bin/mlsearch index --rebuild-if-damaged" ]
    grep -qx 'WantedBy=timers.target' "$DEST/usr/local/lib/systemd/user/mlsearch-index.timer"
    home="$BATS_TEST_TMPDIR/home"
    mkdir -p "$home/.config/mlsearch" "$home/notes"
    printf '# 推論\n\nサーバーの設計\n' > "$home/notes/a.md"
    printf 'root %s\n' "$home/notes" > "$home/.config/mlsearch/config"
    read -ra exec_start <<< "${output#ExecStart=}"
    # systemd gives a user service HOME and a PATH of its own; cron, less.
    run -0 --separate-stderr env -i HOME="$home" "$DEST${exec_start[0]}" "${exec_start[@]:1}"
    [ "$stderr" = "" ]
    run -0 env -i HOME="$home" "$BIN" --color=never 推論
    [ "$output" = "$home/notes/a.md:1: 推論
$home/notes/a.md:3: 推論 › サーバーの設計" ]
}
