#!/usr/bin/env bats
# Searching the bundled corpus: ranking, normalization, context, output.

load helpers

setup_file() { index_corpus_once; }
setup() { use_corpus_index; }

@test "AML ranks the AML list item first, with its path, line and heading path" {
    run -0 "$MLS" --color=never AML
    [ "${lines[0]}" = "corpus/meetups/2024-05-payments-ml-meetup.md:14: 2024-05 決済 x ML meetup › セッション1: 決済会社での ML の使いどころ › AML（マネーロンダリング対策）" ]
}

@test "推論サーバー ranks the panel's inference-server item first" {
    run -0 "$MLS" --color=never 推論サーバー
    [ "${lines[0]}" = "corpus/meetups/2024-06-mlops-panel.md:16: MLOps パネルディスカッション › 難しい問題 › 推論サーバーをどう作るか?" ]
    [ "${#lines[@]}" -eq 1 ]
}

@test "half-width ｻｰﾊﾞｰ finds every passage that contains サーバー, in text or context" {
    run -0 "$MLS" --color=never -n 100 ｻｰﾊﾞｰ
    half="$output"
    run -0 "$MLS" --color=never -n 100 サーバー
    [ "$half" = "$output" ]
    run -0 bash -c "printf '%s\n' \"\$1\" | cut -d: -f1,2 | sort" _ "$half"
    [ "$output" = "corpus/design/experiment-tracking.md:20
corpus/design/inference-architecture.md:21
corpus/design/inference-architecture.md:23
corpus/design/inference-architecture.md:24
corpus/design/inference-architecture.md:25
corpus/design/inference-architecture.md:28
corpus/design/inference-architecture.md:29
corpus/design/inference-architecture.md:30
corpus/meetups/2024-05-payments-ml-meetup.md:27
corpus/meetups/2024-05-payments-ml-meetup.md:28
corpus/meetups/2024-05-payments-ml-meetup.md:29
corpus/meetups/2024-06-mlops-panel.md:16
corpus/meetups/2024-09-llm-eval-meetup.md:25
corpus/meetups/2024-09-llm-eval-meetup.md:26" ]
}

@test "full-width ＡＭＬ gives the same hits as aml" {
    run -0 "$MLS" --color=never -n 100 aml
    lower="$output"
    run -0 "$MLS" --color=never -n 100 ＡＭＬ
    [ "$output" = "$lower" ]
    [ "${#lines[@]}" -eq 5 ]
}

@test "a heading or parent item narrows a query: Preferred Networks 推論サーバー" {
    run -0 "$MLS" --color=never Preferred Networks 推論サーバー
    [ "$output" = "corpus/meetups/2024-06-mlops-panel.md:16: MLOps パネルディスカッション › 難しい問題 › 推論サーバーをどう作るか?" ]
}

@test "a match in the passage's own text outranks matches in its context" {
    run -0 "$MLS" --color=never Preferred Networks
    [ "$(hit_keys)" = "corpus/meetups/2024-06-mlops-panel.md:15
corpus/meetups/2024-06-mlops-panel.md:16
corpus/meetups/2024-06-mlops-panel.md:17
corpus/meetups/2024-06-mlops-panel.md:18" ]
}

@test "the line shown is the line of the match inside a multi-line paragraph" {
    run -0 "$MLS" --color=never ＡＭＬ
    [[ "${lines[1]}" == "corpus/design/data-retention-policy.md:10: "* ]]
}

@test "YAML front matter is not indexed" {
    run -1 "$MLS" kestrel
    [ "$output" = "" ]
}

@test "a single kanji matches every passage containing it" {
    run -0 "$MLS" --color=never -n 1000 与
    [ "$(hit_keys | sort)" = "corpus/meetups/2024-05-payments-ml-meetup.md:10
corpus/meetups/2024-05-payments-ml-meetup.md:18
corpus/meetups/2024-05-payments-ml-meetup.md:19
corpus/meetups/2024-05-payments-ml-meetup.md:20
corpus/meetups/2024-05-payments-ml-meetup.md:21
corpus/reading/ai-ethics-reading.md:12
corpus/reading/ai-ethics-reading.md:13" ]
}

@test "-n limits the number of hits" {
    run -0 "$MLS" --color=never -n 2 サーバー
    [ "${#lines[@]}" -eq 2 ]
    run -0 "$MLS" --color=never --max-count=3 サーバー
    [ "${#lines[@]}" -eq 3 ]
}

@test "matches are highlighted with --color=always and never when piped" {
    run -0 "$MLS" --color=always -n 1 AML
    [[ "$output" == *$'\e[1;31mAML\e[0m'* ]]
    run -0 "$MLS" -n 1 AML
    [[ "$output" != *$'\e'* ]]
    NO_COLOR=1 run -0 "$MLS" --color=auto -n 1 AML
    [[ "$output" != *$'\e'* ]]
}

@test "a query nobody wrote exits 1 with no output" {
    run -1 --separate-stderr "$MLS" zzyzxqv
    [ "$output" = "" ]
    [ "$stderr" = "" ]
}

@test "a closed pipe is not an error" {
    run -0 bash -o pipefail -c '"$1" -n 100 サ | head -n 1 >/dev/null' _ "$MLS"
}

# Runs mlsearch with stdout a pipe whose reader is already gone, so that
# every write fails with EPIPE; prints its exit status, then its stderr.
into_closed_pipe() {
    python3 -c '
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
p = subprocess.run(sys.argv[1:], stdout=w, stderr=subprocess.PIPE)
print(p.returncode)
sys.stdout.write(p.stderr.decode())' "$MLS" "$@"
}

@test "a closed pipe is not an error for dump and status either" {
    run -0 --separate-stderr bash -c '"$1" dump | head -n 1 >/dev/null; echo "${PIPESTATUS[0]}"' _ "$MLS"
    [ "$output" = 0 ]
    [ "$stderr" = "" ]
    run -0 into_closed_pipe dump
    [ "$output" = 0 ]
    run -0 into_closed_pipe status
    [ "$output" = 0 ]
    run -0 into_closed_pipe AML
    [ "$output" = 0 ]
    # Another write error is one.
    run -2 --separate-stderr bash -c '"$1" dump > /dev/full' _ "$MLS"
    [ "$stderr" = "mlsearch: output: No space left on device" ]
}

@test "a mixed-script unit is a phrase: ML活用" {
    run -0 "$MLS" --color=never -n 100 ML活用
    [ "$(hit_keys | sort)" = "corpus/design/tokenizer-notes.md:36
corpus/meetups/2024-05-payments-ml-meetup.md:9
corpus/todo.md:13
corpus/todo.md:14
corpus/todo.md:15" ]
}

@test "a unit ending in one CJK character after a word: ML活 (a prefix inside a phrase)" {
    run -0 "$MLS" --color=never -n 100 ML活
    [ "$(hit_keys | sort)" = "corpus/design/tokenizer-notes.md:36
corpus/meetups/2024-05-payments-ml-meetup.md:9
corpus/todo.md:13
corpus/todo.md:14
corpus/todo.md:15" ]
}

@test "a note line pasted as the query finds it: AML（マネーロンダリング対策）" {
    run -0 "$MLS" --color=never 'AML（マネーロンダリング対策）'
    [ "${lines[0]}" = "corpus/meetups/2024-05-payments-ml-meetup.md:14: 2024-05 決済 x ML meetup › セッション1: 決済会社での ML の使いどころ › AML（マネーロンダリング対策）" ]
    [ "${#lines[@]}" -eq 4 ]   # the item and, through their context, its three children
}

@test "punctuation closes a CJK run: 対策） needs 対策 at the end of a run" {
    mkdir -p "$BATS_TEST_TMPDIR/n"
    printf '対策です\n\n対策）\n' > "$BATS_TEST_TMPDIR/n/a.md"
    "$MLS" index --db "$BATS_TEST_TMPDIR/db" "$BATS_TEST_TMPDIR/n"
    run -0 "$MLS" --db "$BATS_TEST_TMPDIR/db" --color=never 対策）
    [ "$(hit_keys)" = "$BATS_TEST_TMPDIR/n/a.md:3" ]
    run -0 "$MLS" --db "$BATS_TEST_TMPDIR/db" --color=never -n 5 対策
    [ "${#lines[@]}" -eq 2 ]
}

@test "a hit found by its parent item shows that item; --no-context leaves such hits out" {
    run -0 "$MLS" --color=never AML
    [ "${lines[2]}" = "corpus/meetups/2024-05-payments-ml-meetup.md:17: 2024-05 決済 x ML meetup › セッション1: 決済会社での ML の使いどころ › AML（マネーロンダリング対策） › アラートは最終的に担当者が目視で確認" ]
    run -0 "$MLS" --json AML
    [[ "${lines[3]}" == *'"items":[{"text":"AML（マネーロンダリング対策）"}],"context_only":true,'* ]]
    run -0 "$MLS" --color=never --no-context AML
    [ "$output" = "corpus/meetups/2024-05-payments-ml-meetup.md:14: 2024-05 決済 x ML meetup › セッション1: 決済会社での ML の使いどころ › AML（マネーロンダリング対策）
corpus/design/data-retention-policy.md:10: データ保持ポリシー (草案) › 背景 › …速やかに削除すべき。 特にＡＭＬ関連の監査では数年前の送金履歴の提出を求められることがあり、 分析用に…" ]
    # -c counts what matches: with context, the passages under the heading too.
    run -0 "$MLS" -c '"feature store"'
    [ "${lines[0]}" = "corpus/design/feature-store.md:25" ]
    run -0 "$MLS" -c --no-context '"feature store"'
    [ "$output" = "corpus/design/feature-store.md:3
corpus/README.md:1
corpus/glossary.md:1" ]
    # -l lists the notes with a passage whose own text holds it.
    run -0 "$MLS" -l --no-context AML
    [ "$output" = "corpus/meetups/2024-05-payments-ml-meetup.md
corpus/design/data-retention-policy.md" ]
    # heading: still looks in the headings, as without --no-context.
    run -0 "$MLS" -c --no-context 'heading:"feature store"'
    [ "$output" = "corpus/design/feature-store.md:24" ]
    [ "$output" = "$("$MLS" -c 'heading:"feature store"')" ]
}

@test "-M fits each hit in N columns: the heading path gives way from the left, then the snippet" {
    run -0 "$MLS" --color=never -M 80 -n 6 推論
    [ "$output" = "corpus/glossary.md:14: … › 機械学習まわり › バッチ推論とオンライン推論
corpus/design/inference-architecture.md:14: … › 方針 › …イン推論とバッチ推論を…
corpus/design/inference-architecture.md:25: … › 構成案 › …間はバッチ推論に回す
corpus/meetups/2024-05-payments-ml-meetup.md:27: … › …推論 › 推論は APIサーバ…
corpus/design/inference-architecture.md:7: 推論基盤アーキテクチャ
corpus/design/inference-architecture.md:9: …キテクチャ › …向け推論基盤の設計ノ…" ]
    # Every line of a longer list fits, wide characters counted twice.
    "$MLS" --color=never -M 72 -n 50 ML | python3 -c '
import sys, unicodedata
for line in sys.stdin.read().splitlines():
    cols = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
    assert cols <= 72, (cols, line)'
    # -M 0, and output that is not a terminal's: whole lines, as before.
    [ "$("$MLS" --color=never -M 0 -n 6 推論)" = "$("$MLS" --color=never -n 6 推論)" ]
    run -2 --separate-stderr "$MLS" -M wide 推論
    [ "$stderr" = "mlsearch: -M: needs a whole number of columns up to 65535 (0: no limit)" ]
}

@test "on a terminal, hits fit its width" {
    run -0 script -qec "COLUMNS=60 '$MLS' --color=never -n 20 ML" /dev/null
    printf '%s\n' "${lines[@]}" | sed '$d' | python3 -c '
import sys, unicodedata
for line in sys.stdin.read().splitlines():
    line = line.rstrip("\r")
    cols = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
    prefix = line.split(": ", 1)[0]
    assert cols <= 60 or len(prefix) + 2 + 14 > 60, (cols, line)'
}

@test "a heading passage shows its text, without Markdown's marks" {
    run -0 "$MLS" --color=never -n 1 '"2024-05 決済 x ML meetup"'
    [ "$output" = "corpus/meetups/2024-05-payments-ml-meetup.md:1: 2024-05 決済 x ML meetup" ]
}

@test "a snippet is cut between words, never inside an English one" {
    cd "$BATS_TEST_TMPDIR"
    mkdir notes
    python3 -c '
words = ["alpha%02d" % i for i in range(60)]
words[30] = "needle"
print(" ".join(words))' > notes/long.md
    "$MLS" index --db db notes
    run -0 "$MLS" --db db --color=never needle
    # 100 columns would end in "alpha3": the cut goes back to the space.
    [ "$output" = "notes/long.md:1: …alpha27 alpha28 alpha29 needle alpha31 alpha32 alpha33 alpha34 alpha35 alpha36 alpha37 alpha38…" ]
}
