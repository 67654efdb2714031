#!/usr/bin/env bats
# Notebooks: several indexes searched as one ranking, local or served by
# xapian-tcpsrv (Xapian's remote backend), each hit saying its notebook.

load helpers

setup() {
    enter_work_dir
    cp -r "$REPO/corpus/meetups" notes/work
    cp -r "$REPO/corpus/design" "$REPO/corpus/reading" notes/
    mkdir notes/team && mv notes/design notes/reading notes/team/
    find notes -type f -exec touch -d '2020-01-01 00:00:00' {} +  # as notes met at night
    cat > config/mlsearch/config <<CONFIG
notebook work
root $WORK/notes/work
notebook team
root $WORK/notes/team
CONFIG
    run -0 "$MLS" index
    # One index of both trees, to rank against.
    run -0 "$MLS" index --db "$WORK/both" notes/work notes/team
}

teardown() {
    [ -z "${SERVER:-}" ] || kill "$SERVER" 2>/dev/null || true
    [ -z "${LISTENER_PID:-}" ] || kill "$LISTENER_PID" 2>/dev/null || true
    leave_work_dir
}

# The hits of a query as "score path line", best first, ties by path and
# line (their order among equal scores is the index's own).
ranking() {
    "$MLS" --json --no-collapse -n 1000 "$@" | python3 -c '
import json, sys
hits = [json.loads(l)["data"] for l in sys.stdin if l.startswith("{\"type\":\"match\"")]
for h in sorted(hits, key=lambda h: (-round(h["score"], 4), h["path"]["text"], h["line"])):
    print("%.4f %s %d" % (h["score"], h["path"]["text"], h["line"]))'
}

QUERIES=(AML 推論 ML 'feature store' データ サーバー 'ML OR 推論')

same_ranking_as_one_index() {
    for q in "${QUERIES[@]}"; do
        joined="$(ranking "$q")"
        one="$(ranking --db "$WORK/both" "$q")"
        [ -n "$joined" ]
        [ "$joined" = "$one" ] || { echo "query $q:"; diff <(echo "$joined") <(echo "$one"); return 1; }
    done
}

@test "notebooks are searched as one ranking, each hit saying its notebook" {
    same_ranking_as_one_index
    run -0 "$MLS" --color=never -n 2 AML
    [ "$output" = "notes/work/2024-05-payments-ml-meetup.md:14: [work] 2024-05 決済 x ML meetup › セッション1: 決済会社での ML の使いどころ › AML（マネーロンダリング対策）
notes/team/design/data-retention-policy.md:10: [team] データ保持ポリシー (草案) › 背景 › …速やかに削除すべき。 特にＡＭＬ関連の監査では数年前の送金履歴の提出を求められることがあり、 分析用に…" ]
    run -0 "$MLS" --json -n 1 AML
    [[ "${lines[1]}" == '{"type":"match","data":{"path":{"text":"notes/work/2024-05-payments-ml-meetup.md"},"notebook":"work","date":"2024-05-01","line":14,'* ]]
    # One notebook: no label, and only its hits.
    run -0 "$MLS" --color=never -N team AML
    [ "$output" = "notes/team/design/data-retention-policy.md:10: データ保持ポリシー (草案) › 背景 › …速やかに削除すべき。 特にＡＭＬ関連の監査では数年前の送金履歴の提出を求められることがあり、 分析用に…" ]
    run -2 --separate-stderr "$MLS" -N nope AML
    [ "$stderr" = "mlsearch: notebook: no notebook named nope in the configuration" ]
}

@test "status and dump go over every notebook, or -N's" {
    run -0 "$MLS" status
    [ "$(grep -E '^(notebook|index|notes|passages):' <<< "$output" | sed 's/ ([0-9.]* MB)//')" = "notebook:  work
index:     $MLSEARCH_DB/notebooks/work
notes:     7
passages:  176
notebook:  team
index:     $MLSEARCH_DB/notebooks/team
notes:     14
passages:  309" ]
    run -0 "$MLS" status -N team
    [ "$(sed -n 1p <<< "$output" | sed 's/ ([0-9.]* MB)//')" = "index:     $MLSEARCH_DB/notebooks/team" ]
    [ "$("$MLS" dump -N work | wc -l)" -eq 176 ]
    [ "$("$MLS" dump | wc -l)" -eq $((176 + 309)) ]
    # index -N: one notebook, the others untouched.
    printf 'a new note\n' > notes/work/new.md
    run -0 "$MLS" index -v -N work
    [ "$(without_time "$output")" = "8 files: 1 new, 0 changed, 0 removed, 0 errors in T s" ]
    run -2 --separate-stderr "$MLS" index -N work -N team notes/work
    [ "$stderr" = "mlsearch: index: paths go with one notebook: -N NAME PATH..." ]
}

@test "a remote notebook served by xapian-tcpsrv ranks as one with the local one" {
    command -v xapian-tcpsrv >/dev/null || skip "xapian-tcpsrv (xapian-tools) is not installed"
    run -2 --separate-stderr "$MLS" serve nope
    [ "$stderr" = "mlsearch: notebook: no notebook named nope in the configuration" ]
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    # In a session of its own: xapian-tcpsrv, stopped, signals its group.
    setsid "$MLS" serve --port "$port" team >/dev/null 2>"$WORK/serve.err" 3>&- &
    SERVER=$!
    for _ in $(seq 50); do
        python3 -c "import socket; socket.create_connection(('127.0.0.1', $port))" 2>/dev/null && break
        sleep 0.1
    done
    cat > config/mlsearch/config <<CONFIG
notebook work
root $WORK/notes/work
notebook team
remote 127.0.0.1:$port
CONFIG
    [ "$(head -n 1 "$WORK/serve.err")" = "mlsearch: serving notebook team ($MLSEARCH_DB/notebooks/team), read-only, on 127.0.0.1:$port" ]
    same_ranking_as_one_index
    run -0 "$MLS" status -N team
    [ "$(grep -E '^(index|notes):' <<< "$output")" = "index:     127.0.0.1:$port
notes:     14" ]
    run -0 "$MLS" --color=never -n 1 -N team AML
    [ "$output" = "notes/team/design/data-retention-policy.md:10: データ保持ポリシー (草案) › 背景 › …速やかに削除すべき。 特にＡＭＬ関連の監査では数年前の送金履歴の提出を求められることがあり、 分析用に…" ]

    # A Xapian stub file as a notebook's db works too.
    printf 'remote 127.0.0.1:%s\n' "$port" > "$WORK/team.stub"
    cp config/mlsearch/config "$WORK/config.remote"
    printf 'notebook work\nroot %s\nnotebook team\ndb %s\n' "$WORK/notes/work" \
        "$WORK/team.stub" > config/mlsearch/config
    same_ranking_as_one_index
    cp "$WORK/config.remote" config/mlsearch/config

    # A server gone after the handshake: the search is done again without
    # the remote notebooks, and says so.
    if [ -n "${MLS_FAULT_LIB:-}" ]; then
        run -0 --separate-stderr env LD_PRELOAD="$MLS_FAULT_LIB" MLS_FAULT=socket-read \
            ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" \
            "$MLS" --color=never -n 1 AML
        [[ "$stderr" == "mlsearch: a remote notebook stopped answering (NetworkError: "*"); searching the local ones" ]]
        [ "$output" = "notes/work/2024-05-payments-ml-meetup.md:14: 2024-05 決済 x ML meetup › セッション1: 決済会社での ML の使いどころ › AML（マネーロンダリング対策）" ]
    fi

    # A server that takes the connection but does not answer: after the
    # time limit (5 s), a warning, and the local notebook answers.
    kill -STOP "$SERVER"
    run -0 --separate-stderr timeout 60 "$MLS" --color=never -n 1 AML
    kill -CONT "$SERVER"
    [[ "$stderr" == "mlsearch: notebook team (127.0.0.1:$port): a remote index did not answer: NetworkTimeoutError: "*"; searching the others" ]]
    [ "$output" = "notes/work/2024-05-payments-ml-meetup.md:14: 2024-05 決済 x ML meetup › セッション1: 決済会社での ML の使いどころ › AML（マネーロンダリング対策）" ]

    # The server stops: a warning, and the local notebook answers.
    kill "$SERVER"
    wait "$SERVER" 2>/dev/null || true
    SERVER=
    run -0 --separate-stderr "$MLS" --color=never -n 1 AML
    [ "$stderr" = "mlsearch: notebook team (127.0.0.1:$port): a remote index did not answer: NetworkError: Couldn't connect (context: remote:tcp(127.0.0.1:$port)) (Connection refused); searching the others" ]
    [ "$output" = "notes/work/2024-05-payments-ml-meetup.md:14: 2024-05 決済 x ML meetup › セッション1: 決済会社での ML の使いどころ › AML（マネーロンダリング対策）" ]
    # Alone, it is an error.
    run -2 --separate-stderr "$MLS" -N team AML
    [ "$stderr" = "mlsearch: notebook team (127.0.0.1:$port): a remote index did not answer: NetworkError: Couldn't connect (context: remote:tcp(127.0.0.1:$port)) (Connection refused)" ]
}

@test "serve says itself why it cannot listen: a port in use, a bad --bind" {
    command -v xapian-tcpsrv >/dev/null || skip "xapian-tcpsrv (xapian-tools) is not installed"
    # A port taken by a listener that lives until the test's end.
    coproc LISTENER {
        python3 -c '
import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen()
print(s.getsockname()[1], flush=True)
sys.stdin.read()' 3>&-
    }
    read -r port <&"${LISTENER[0]}"
    run -2 --separate-stderr "$MLS" serve --port "$port" team
    [ "$stderr" = "mlsearch: serve: cannot listen on 127.0.0.1:$port: Address already in use" ]
    # An address that is not this machine's (TEST-NET-1), a name that is none.
    run -2 --separate-stderr "$MLS" serve --port "$port" --bind 192.0.2.1 team
    [ "$stderr" = "mlsearch: serve: cannot listen on 192.0.2.1:$port: Cannot assign requested address" ]
    run -2 --separate-stderr "$MLS" serve --bind nonsense.invalid team
    [ "$stderr" = "mlsearch: serve: --bind nonsense.invalid: Name or service not known" ] ||
        [ "$stderr" = "mlsearch: serve: --bind nonsense.invalid: Temporary failure in name resolution" ]
}
