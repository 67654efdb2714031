#!/usr/bin/env bats
# The query language on the bundled corpus: phrases, OR, NOT, prefixes,
# and the literal readings of what is not well formed.

load helpers

setup_file() { index_corpus_once; }
setup() { use_corpus_index; }

# The sorted path:line of every hit of a query.
keys() {
    "$MLS" --color=never -n 1000 "$@" | sed -n 's/^\([^:]*:[0-9]*\):.*/\1/p' | sort
}

@test "a quoted phrase needs its words in order; unquoted, they may be anywhere" {
    run -0 "$MLS" --color=never -n 100 '"Validation strategy"'
    [ "$(hit_keys | sort)" = "corpus/meetups/2024-07-kaggle-meetup.md:16
corpus/meetups/2024-07-kaggle-meetup.md:18
corpus/meetups/2024-07-kaggle-meetup.md:19
corpus/meetups/2024-07-kaggle-meetup.md:20
corpus/meetups/2024-07-kaggle-meetup.md:22" ]
    run -1 "$MLS" '"strategy validation"'
    run -0 "$MLS" --color=never -n 100 strategy validation
    [ "${#lines[@]}" -eq 5 ]
}

@test "a phrase across scripts: \"ML 活用\" finds ML活用 and ML 活用, not 活用 ML" {
    [ "$(keys '"ML 活用"')" = "corpus/design/tokenizer-notes.md:36
corpus/meetups/2024-05-payments-ml-meetup.md:9
corpus/todo.md:13
corpus/todo.md:14
corpus/todo.md:15" ]
    [ "$(keys '"ML 活用"')" = "$(keys 'ML活用')" ]
    run -1 "$MLS" '"活用 ML"'
}

@test "OR: the hits of either side, each once" {
    a="$(keys バッチ)"
    b="$(keys オンライン)"
    [ "$(keys 'バッチ OR オンライン')" = "$(printf '%s\n%s\n' "$a" "$b" | sort -u)" ]
    [ "$(keys 'バッチ OR オンライン' | wc -l)" -eq 13 ]
    # OR binds tighter than AND: 推論 AND (バッチ OR オンライン).
    [ "$(keys '推論 バッチ OR オンライン')" = "$(printf '%s\n%s\n' "$(keys 推論 バッチ)" "$(keys 推論 オンライン)" | sort -u)" ]
}

@test "-word and NOT word exclude the passages that contain it" {
    all="$(keys 推論)"
    both="$(keys 推論 バッチ)"
    [ "$(keys '推論 -バッチ')" = "$(comm -23 <(echo "$all") <(echo "$both"))" ]
    [ "$(keys '推論 NOT バッチ')" = "$(keys '推論 -バッチ')" ]
    [ "$(keys '推論 -バッチ' | wc -l)" -eq 37 ]
    run -0 "$MLS" --color=never fold_id
    [ "$output" = 'corpus/meetups/2024-07-kaggle-meetup.md:27: Kaggle meetup, July 2024 › Talk 2: Validation strategy › …train_df["fold_id"] = -1 for fold_id, (_, valid_idx) in enumerate( group_kfold.split(…' ]
    run -1 "$MLS" 'fold_id -valid_idx'
    run -1 "$MLS" 'fold_id -"GroupKFold(n_splits"'
}

@test "word* finds every word starting so; quoted, a word is only itself" {
    [ "$(keys 'valid*')" = "corpus/meetups/2024-07-kaggle-meetup.md:16
corpus/meetups/2024-07-kaggle-meetup.md:18
corpus/meetups/2024-07-kaggle-meetup.md:19
corpus/meetups/2024-07-kaggle-meetup.md:20
corpus/meetups/2024-07-kaggle-meetup.md:28" ]
    [ "$(keys '"valid"')" = "corpus/meetups/2024-07-kaggle-meetup.md:28" ]
}

@test "unquoted, an English word also finds its stem's words, ranked below itself" {
    run -0 "$MLS" --color=never valid
    [ "$output" = 'corpus/meetups/2024-07-kaggle-meetup.md:28: Kaggle meetup, July 2024 › Talk 2: Validation strategy › …"] = -1 for fold_id, (_, valid_idx) in enumerate( group_kfold.split(train_df, groups=train_df["user_…
corpus/meetups/2024-07-kaggle-meetup.md:16: Kaggle meetup, July 2024 › Talk 2: Validation strategy' ]
    # indexing finds index (Notes index, inverted index), highlighted.
    run -0 "$MLS" --color=always -n 3 indexing
    # (a setext heading: shown without its underline)
    [ "${lines[0]}" = $'\e[35mcorpus/README.md\e[0m:\e[32m1\e[0m: Notes \e[1;31mindex\e[0m' ]
    run -1 "$MLS" '"indexing"'
    # The exact form first: feature before features.
    run -0 "$MLS" --color=never -n 1 feature
    [ "$output" = "corpus/design/feature-store.md:46: Feature store design notes › References › [Feature store overview](https://example.com/feature-store-overview)" ]
}

@test "unquoted, a katakana word finds its long-vowel variant, and only that" {
    cd "$BATS_TEST_TMPDIR"
    mkdir notes
    printf 'サーバを起動する\n\nサーバーの設定\n\nサーバントの話\n\nコンピュータ\n\nビールを飲む\n\nビルの屋上\n' > notes/a.md
    "$MLS" index --db db notes
    run -0 "$MLS" --db db --color=never サーバー
    [ "$output" = "notes/a.md:3: サーバーの設定
notes/a.md:1: サーバを起動する" ]
    run -0 "$MLS" --db db --color=never ｻｰﾊﾞｰ
    [ "$output" = "notes/a.md:3: サーバーの設定
notes/a.md:1: サーバを起動する" ]
    run -0 "$MLS" --db db --color=never '"サーバー"'
    [ "$output" = "notes/a.md:3: サーバーの設定" ]
    run -0 "$MLS" --db db --color=never コンピューター
    [ "$output" = "notes/a.md:7: コンピュータ" ]
    # Found by its variant, the word is the match: highlighted, pointed at.
    run -0 "$MLS" --db db --json コンピューター
    [[ "${lines[1]}" == *'"snippet":{"text":"コンピュータ"},"spans":[{"start":0,"end":18,"char_start":0,"char_end":6}]'* ]]
    # サーバ is a substring of サーバント, so that stays, after the words.
    run -0 "$MLS" --db db --color=never サーバ
    [ "${lines[2]}" = "notes/a.md:5: サーバントの話" ]
    # Inside a longer item, the other form is looked for in the same place.
    printf 'サーバ設定を見直す\n\nサーバー設定の話\n\nサーバント設定\n' > notes/b.md
    "$MLS" index --db db notes
    run -0 "$MLS" --db db -c サーバー設定
    [ "$output" = "notes/b.md:2" ]
    [ "$("$MLS" --db db -c サーバ設定)" = "$output" ]
    run -0 "$MLS" --db db -c '"サーバ設定"'
    [ "$output" = "notes/b.md:1" ]
    # Two-character words keep their mark: ビール (beer) is not ビル.
    run -0 "$MLS" --db db --color=never ビール
    [ "$output" = "notes/a.md:9: ビールを飲む" ]
    run -0 "$MLS" --db db --color=never ビル
    [ "$output" = "notes/a.md:11: ビルの屋上" ]
    printf 'Webサーバの再起動\n' > notes/c.md
    "$MLS" index --db db notes
    run -0 "$MLS" --db db --vimgrep サーバー
    [[ "$output" == *"notes/c.md:1:4:Webサーバの再起動"* ]]
    # At the end of a longer piece, the other form must be a word there.
    printf 'Webサーバントの話\n' > notes/d.md
    "$MLS" index --db db notes
    run -0 "$MLS" --db db --color=never Webサーバー
    [ "$output" = "notes/c.md:1: Webサーバの再起動" ]
}

@test "what is not well formed is read literally: a lone OR or NOT, an open quote" {
    [ "$(keys OR)" = "$(keys or)" ]
    [ "$(keys NOT)" = "$(keys not)" ]
    run -0 "$MLS" --color=never '"推論サーバー'
    [ "$output" = "corpus/meetups/2024-06-mlops-panel.md:16: MLOps パネルディスカッション › 難しい問題 › 推論サーバーをどう作るか?" ]
    run -1 "$MLS" 'a OR'     # "a" and the word "or"
}

@test "a query that only excludes, or has nothing to search, is a clear error" {
    run -2 --separate-stderr "$MLS" -- -AML
    [ "$stderr" = "mlsearch: query: nothing to search for (-word and NOT only exclude)" ]
    run -2 --separate-stderr "$MLS" 'NOT AML'
    [ "$stderr" = "mlsearch: query: nothing to search for (-word and NOT only exclude)" ]
    run -2 --separate-stderr "$MLS" '"" -'
    [ "$stderr" = "mlsearch: query: nothing to search for (only spaces or punctuation)" ]
}

@test "a piece repeated is searched once; too many pieces, or too long a query, is an error" {
    run -0 "$MLS" --color=never -n 1000 "$(printf '"feature store" %.0s' $(seq 500))"
    [ "$output" = "$("$MLS" --color=never -n 1000 '"feature store"')" ]
    run -0 "$MLS" --color=never -n 1000 "$(printf 'AML OR ML %.0s' $(seq 1000))"
    [ "$output" = "$("$MLS" --color=never -n 1000 'AML OR ML')" ]
    run -2 --separate-stderr "$MLS" "$(printf 'n%d* OR ' $(seq 999))x"
    [ "$output" = "" ]
    [ "$stderr" = "mlsearch: query: too many pieces (1000; at most 100)" ]
    # Pieces as words: 101 of them.
    run -2 --separate-stderr "$MLS" $(printf 'w%d ' $(seq 101))
    [ "$stderr" = "mlsearch: query: too many pieces (101; at most 100)" ]
    # 5,000 times a phrase and a space, 16 bytes.
    run -2 --separate-stderr "$MLS" "$(printf '"feature store" %.0s' $(seq 5000))"
    [ "$stderr" = "mlsearch: query: too long (80000 bytes; at most 16384)" ]
}

@test "heading: matches in the heading path only" {
    # The passages under "# 推論基盤アーキテクチャ" and "## セッション2:
    # リアルタイム推論": the only headings with 推論.
    run -0 "$MLS" -l heading:推論
    [ "$output" = "corpus/design/inference-architecture.md
corpus/meetups/2024-05-payments-ml-meetup.md" ]
    # 推論 also occurs in text elsewhere: a plain query finds more files.
    [ "$(keys 推論 | cut -d: -f1 | sort -u | wc -l)" -gt 1 ]
    run -0 "$MLS" --color=never 'heading:"Validation strategy" GroupKFold'
    [ "$(hit_keys)" = "corpus/meetups/2024-07-kaggle-meetup.md:19
corpus/meetups/2024-07-kaggle-meetup.md:23" ]
    run -1 "$MLS" 'heading:GroupKFold'
}

@test "path: keeps a folder, a file, or a glob; -path: leaves it out" {
    [ "$(keys 'ML path:corpus/meetups' | cut -d: -f1 | sort -u)" = "$(keys ML | cut -d: -f1 | grep '^corpus/meetups/' | sort -u)" ]
    [ "$(keys 'path:corpus/todo.md' | cut -d: -f1 | sort -u)" = "corpus/todo.md" ]
    [ "$(keys 'path:corpus/todo.md' | wc -l)" -eq "$("$MLS" dump | grep -c '/corpus/todo.md"')" ]
    run -0 "$MLS" -l 'AML path:*2024-0[56]*'
    [ "$output" = "corpus/meetups/2024-05-payments-ml-meetup.md" ]
    run -0 "$MLS" -l 'AML -path:corpus/meetups'
    [ "$output" = "corpus/design/data-retention-policy.md" ]
    run -1 "$MLS" 'AML path:corpus/nowhere'
}

@test "tag: keeps the notes whose front matter lists the tag or whose prose says #tag, in any case or width" {
    run -0 "$MLS" -l tag:mlops
    [ "$output" = "corpus/design/experiment-tracking.md
corpus/design/inference-architecture.md
corpus/meetups/2024-07-kaggle-meetup.md" ]
    run -0 "$MLS" -l tag:experiment-tracking
    [ "$output" = "corpus/meetups/2024-07-kaggle-meetup.md" ]
    [ "$(keys tag:MLOps)" = "$(keys tag:ｍｌｏｐｓ)" ]
    run -0 "$MLS" -l 'tag:llm 評価'
    [ "$output" = "corpus/meetups/2024-09-llm-eval-meetup.md" ]
    run -0 "$MLS" -l -- '評価 -tag:llm'
    [[ "$output" != *llm-eval* ]]
    run -1 "$MLS" tag:nosuchtag
}

@test "words near each other rank above the same words scattered" {
    cd "$BATS_TEST_TMPDIR"
    mkdir notes
    printf 'far alpha one two three four five six seven eight nine ten beta\n\nnear alpha beta one two three four five six seven eight nine ten\n' > notes/a.md
    "$MLS" index --db db notes
    run -0 "$MLS" --db db --color=never alpha beta
    [ "$(hit_keys)" = "notes/a.md:3
notes/a.md:1" ]
    # Alone, each word ties them, and the order is the notes' own.
    run -0 "$MLS" --db db --color=never alpha
    [ "$(hit_keys)" = "notes/a.md:1
notes/a.md:3" ]
}

@test "a deep heading path shows its top, an ellipsis and its last two" {
    cd "$BATS_TEST_TMPDIR"
    mkdir notes
    printf '# A\n\n## B\n\n### C\n\n#### D\n\ndeep zebra\n\n## E\n\nshallow zebra\n' > notes/a.md
    "$MLS" index --db db notes
    run -0 "$MLS" --db db --color=never zebra
    [ "$output" = "notes/a.md:13: A › E › shallow zebra
notes/a.md:9: A › … › C › D › deep zebra" ]
    run -0 "$MLS" --db db --json 'deep zebra'
    [[ "${lines[1]}" == *'"headings":[{"text":"A"},{"text":"B"},{"text":"C"},{"text":"D"}]'* ]]
}

@test "filters combine with everything: OR, -word, and paths as typed" {
    # A path OR a word: passages only, never a note's manifest document.
    [ "$(keys 'path:corpus/todo.md OR AML' | wc -l)" -eq "$(( $(keys path:corpus/todo.md | wc -l) + $(keys AML | wc -l) ))" ]
    # A folder is what is under it, not its siblings with the same start.
    mkdir -p "$BATS_TEST_TMPDIR/tree/notes" "$BATS_TEST_TMPDIR/tree/notes-old"
    cd "$BATS_TEST_TMPDIR/tree"
    printf 'xray one\n' > notes/a.md
    printf 'xray two\n' > notes-old/b.md
    printf 'xray three\n' > notes.md
    "$MLS" index --db ../db .
    run -0 "$MLS" --db ../db -l 'xray path:notes'
    [ "$output" = "notes/a.md" ]
    run -0 "$MLS" --db ../db -l 'xray path:./notes/*.md'
    [ "$output" = "notes/a.md" ]
    cd notes
    run -0 "$MLS" --db ../../db -l 'xray path:../notes-old'
    [ "$output" = "$BATS_TEST_TMPDIR/tree/notes-old/b.md" ]
    run -0 "$MLS" --db ../../db -l 'xray path:.'
    [ "$output" = "a.md" ]
}

@test "an exclusion takes away only what it names: no stems, no variants" {
    cd "$BATS_TEST_TMPDIR"
    mkdir notes
    printf 'yodel indexing\n\nyodel indexed\n\nyodel サーバ\n' > notes/a.md
    "$MLS" index --db db notes
    run -0 "$MLS" --db db -c 'yodel -indexing'
    [ "$output" = "notes/a.md:2" ]
    run -0 "$MLS" --db db -c 'yodel -サーバー'
    [ "$output" = "notes/a.md:3" ]
    run -2 --separate-stderr "$MLS" --db db 'tag:""'
    [ "$stderr" = "mlsearch: query: nothing to search for (only spaces or punctuation)" ]
}

@test "tags are read after a byte-order mark, without YAML comments" {
    cd "$BATS_TEST_TMPDIR"
    mkdir notes
    printf '\357\273\277---\ntags: [ml, ops] # team\n---\nzulu\n' > notes/a.md
    printf -- '---\ntags:\n  - Design # old\n  - ml\n---\nzulu\n' > notes/b.md
    "$MLS" index --db db notes
    run -0 "$MLS" --db db -c 'zulu tag:ops'
    [ "$output" = "notes/a.md:1" ]
    run -0 "$MLS" --db db -c 'zulu tag:design'
    [ "$output" = "notes/b.md:1" ]
    [ "$("$MLS" --db db -c 'zulu tag:ml' | sort)" = "notes/a.md:1
notes/b.md:1" ]
}

@test "with colour, a match in the heading path stands out there too" {
    run -0 "$MLS" --color=always -n 1 '"Validation strategy" GroupKFold'
    [[ "$output" == $'\e[35mcorpus/meetups/2024-07-kaggle-meetup.md\e[0m:\e[32m19\e[0m: \e[36mKaggle meetup, July 2024\e[0m › \e[36mTalk 2: \e[1;31mValidation strategy\e[0m\e[36m\e[0m › Use `\e[1;31mGroupKFold\e[0m`'* ]]
}

@test "a prefix that stands for more than 10,000 words is an error, not seconds of work" {
    local dir="$BATS_TEST_TMPDIR/words"
    mkdir -p "$dir/notes"
    python3 -c "print(' '.join('w%05d' % i for i in range(10001)))" > "$dir/notes/words.md"
    "$MLS" index --db "$dir/db" "$dir/notes"
    run -2 --separate-stderr "$MLS" --db "$dir/db" 'w*'
    [ "$stderr" = "mlsearch: query: a prefix stands for more than 10000 words; make it longer" ]
    run -0 "$MLS" --db "$dir/db" -c 'w0000*'
    [ "$output" = "$dir/notes/words.md:1" ]
}

@test "AND between two pieces is what a space is; alone, it is the word" {
    [ "$(keys '推論 AND サーバー')" = "$(keys '推論 サーバー')" ]
    [ -n "$(keys '推論 AND サーバー')" ]
    [ "$(keys 'AND')" = "$(keys '"and"')" ]
}

@test "a field no query has is an error naming the fields; quoted, it is text" {
    run -2 --separate-stderr "$MLS" 'title:推論'
    [ "$output" = "" ]
    [ "$stderr" = "mlsearch: query: unknown field 'title:'; fields are date:, heading:, path:, tag: (quoted, \"title:\" is searched as text)" ]
    run -2 --separate-stderr "$MLS" '推論 tags:mlops'
    [ "$stderr" = "mlsearch: query: unknown field 'tags:'; fields are date:, heading:, path:, tag: (quoted, \"tags:\" is searched as text)" ]
    run -1 --separate-stderr "$MLS" '"title:推論"'
    [ "$stderr" = "" ]
    run -0 --separate-stderr "$MLS" 'tag:mlops'
    [ "$stderr" = "" ]
}

@test "no hits, but a piece finds passages as a prefix: said on stderr" {
    run -1 --separate-stderr "$MLS" retenti
    [ "$output" = "" ]
    [ "$stderr" = "mlsearch: no hits; retenti* matches 1 passage" ]
    run -1 --separate-stderr "$MLS" 'data retenti'
    [ "$stderr" = "mlsearch: no hits; with retenti*, the query matches 1 passage" ]
    # Quoted, it was meant as written; nothing else finds it either.
    run -1 --separate-stderr "$MLS" '"retenti"'
    [ "$stderr" = "" ]
    run -1 --separate-stderr "$MLS" zzqqxx
    [ "$stderr" = "" ]
}
