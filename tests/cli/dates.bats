#!/usr/bin/env bats
# Dates: a note's is its front matter's date:, else its file name's, else
# its modification time; date: filters by it, --sort=date orders by it,
# --json and dump show it.

load helpers

setup_file() { index_corpus_once; }
setup() { use_corpus_index; }
teardown() { if [ -n "${WORK:-}" ]; then leave_work_dir; fi; }

@test "the dated notes of the corpus, newest first: front matter dates and file name months" {
    # (The corpus's other notes are dated by their files, as checked out:
    # not in 2023 or 2024.)
    run -0 "$MLS" -l --sort=date date:2023..2024
    [ "$output" = "corpus/meetups/2024-09-llm-eval-meetup.md
corpus/design/inference-architecture.md
corpus/meetups/2024-07-kaggle-meetup.md
corpus/meetups/2024-06-mlops-panel.md
corpus/meetups/2024-05-payments-ml-meetup.md
corpus/design/experiment-tracking.md
corpus/meetups/2024-03-nlp-meetup.md
corpus/meetups/2024-02-recsys-meetup.md
corpus/design/search-index-design.md
corpus/meetups/2023-11-data-eng-meetup.md" ]
    run -0 --separate-stderr "$MLS" --json -n 1 'date:2024-08-02 推論基盤'
    [[ "${lines[1]}" == '{"type":"match","data":{"path":{"text":"corpus/design/inference-architecture.md"},"date":"2024-08-02T14:30:00","line":'* ]]
}

@test "date: filters by a day, a month, a year or a range, both ends included" {
    run -0 "$MLS" -l date:2024-06
    [ "$output" = "corpus/meetups/2024-06-mlops-panel.md" ]
    run -0 "$MLS" -l date:2024-04-18
    [ "$output" = "corpus/design/experiment-tracking.md" ]
    run -0 "$MLS" -l --sort=date date:2023
    [ "$output" = "corpus/design/search-index-design.md
corpus/meetups/2023-11-data-eng-meetup.md" ]
    run -0 "$MLS" -l --sort=date date:2024-05..2024-07
    [ "$output" = "corpus/meetups/2024-07-kaggle-meetup.md
corpus/meetups/2024-06-mlops-panel.md
corpus/meetups/2024-05-payments-ml-meetup.md" ]
    run -0 "$MLS" -l --sort=date date:2024-08-02..2024-09
    [ "$output" = "corpus/meetups/2024-09-llm-eval-meetup.md
corpus/design/inference-architecture.md" ]
    # With words, as another filter; OR'd with one; excluded.
    run -0 "$MLS" -l 'date:2024 AML'
    [ "$output" = "corpus/meetups/2024-05-payments-ml-meetup.md" ]
    run -0 "$MLS" -l --sort=date 'date:2023-11 OR date:2024-02'
    [ "$output" = "corpus/meetups/2024-02-recsys-meetup.md
corpus/meetups/2023-11-data-eng-meetup.md" ]
    run -0 "$MLS" -l 'date:2023-11 OR date:2024-02 推薦'
    [ "$output" = "corpus/meetups/2024-02-recsys-meetup.md" ]
    run -0 "$MLS" -l AML
    [ "$output" = "corpus/meetups/2024-05-payments-ml-meetup.md
corpus/design/data-retention-policy.md" ]
    run -0 "$MLS" -l -- 'AML -date:2024'
    [ "$output" = "corpus/design/data-retention-policy.md" ]
    # A date: OR'd with words: every passage of a note of that date, and
    # the passages with the words.
    run -0 "$MLS" -c 'date:2023-12-05 OR AML'
    [ "$output" = "corpus/meetups/2024-05-payments-ml-meetup.md:4
corpus/design/data-retention-policy.md:1
corpus/design/search-index-design.md:27" ]
    run -1 "$MLS" 'date:2022 ML'
}

@test "--sort=date: the newest note's hits first, each note's best first" {
    run -0 --separate-stderr "$MLS" --json --sort=date -n 100 'date:2023..2024 推論'
    python3 -c '
import json, sys
hits = [json.loads(l)["data"] for l in sys.argv[1].splitlines() if "\"match\"" in l]
order = [(h["date"], -h["score"]) for h in hits]
assert order == sorted(order, key=lambda o: (o[0], -o[1]), reverse=True), order
paths = []
for h in hits:
    if not paths or paths[-1] != h["path"]["text"]:
        paths.append(h["path"]["text"])
print("\n".join(paths))' "$output" > "$BATS_TEST_TMPDIR/order"
    [ "$(cat "$BATS_TEST_TMPDIR/order")" = "corpus/design/inference-architecture.md
corpus/meetups/2024-06-mlops-panel.md
corpus/meetups/2024-05-payments-ml-meetup.md
corpus/meetups/2024-03-nlp-meetup.md" ]
    # The first few are the newest note's best, as relevance ranks them there.
    run -0 "$MLS" --color=never -n 3 'path:corpus/design/inference-architecture.md 推論'
    local best="$output"
    run -0 "$MLS" --color=never --sort=date -n 3 'date:2023..2024 推論'
    [ "$output" = "$best" ]
    run -2 --separate-stderr "$MLS" --sort=size x
    [ "$stderr" = "mlsearch: --sort=size: must be relevance or date" ]
}

@test "a date: that names no date is an error that says how to write one" {
    run -2 --separate-stderr "$MLS" 'date:2024-13 推論'
    [ "$stderr" = "mlsearch: query: date:2024-13 is no date; write date:2024-06-12, date:2024-06, date:2024, date:-30d (d, w, m, y), today or yesterday, or a range date:A..B (B not before A), A.. or ..B" ]
    run -2 --separate-stderr "$MLS" 'date:2024-06..2024-01'
    [ "$stderr" = "mlsearch: query: date:2024-06..2024-01 is no range of dates; write date:2024-06-12, date:2024-06, date:2024, date:-30d (d, w, m, y), today or yesterday, or a range date:A..B (B not before A), A.. or ..B" ]
    run -2 "$MLS" 'date:last-week'
    run -2 "$MLS" 'date:..'
    # Quoted, it is text.
    run -1 "$MLS" '"date:2024-13"'
}

@test "front matter over file name over modification time; relative dates from today" {
    enter_work_dir
    printf -- '---\ndate: 2024-06-12T23:30:00+09:00\n---\nzulu front\n' > 'notes/2023-01-05 renamed.md'
    printf 'zulu named\n' > 'notes/2024-06-13 standup.md'
    printf 'zulu old\n' > notes/old.md
    printf 'zulu recent\n' > notes/recent.md
    printf -- '---\ndate: someday\n---\nzulu bad\n' > notes/bad.md
    touch -d '2021-03-04 05:06:07' notes/old.md notes/bad.md
    touch -d '10 days ago' notes/recent.md
    run -0 --separate-stderr "$MLS" index notes
    [ "$stderr" = "notes/bad.md: front matter date 'someday' is not YYYY-MM-DD; dated by its file instead" ]
    "$MLS" dump | python3 -c '
import json, sys
for l in sys.stdin:
    d = json.loads(l)
    print(d["path"].rsplit("/", 1)[1], d["date"][:10] if "recent" in d["path"] else d["date"])' > dates
    [ "$(cat dates)" = "2023-01-05 renamed.md 2024-06-12T23:30:00
2024-06-13 standup.md 2024-06-13
bad.md 2021-03-04T05:06:07
old.md 2021-03-04T05:06:07
recent.md $(date -r notes/recent.md +%F)" ]
    run -0 "$MLS" -l --sort=date zulu
    [ "$output" = "notes/recent.md
notes/2024-06-13 standup.md
notes/2023-01-05 renamed.md
notes/bad.md
notes/old.md" ]
    run -0 "$MLS" -l date:-30d..
    [ "$output" = "notes/recent.md" ]
    run -0 "$MLS" -l --sort=date date:..-30d
    [ "$output" = "notes/2024-06-13 standup.md
notes/2023-01-05 renamed.md
notes/bad.md
notes/old.md" ]
    run -1 "$MLS" -l date:today
}

@test "a note renamed keeps its date, but one dated by its name takes the new name's" {
    enter_work_dir
    printf 'zulu one\n' > 'notes/2024-06-13 standup.md'
    printf 'yankee two\n' > notes/plain.md
    touch -d '2021-03-04 05:06:07' notes/plain.md
    "$MLS" index notes
    mv 'notes/2024-06-13 standup.md' 'notes/2024-07-01 standup.md'
    mv notes/plain.md notes/moved.md
    run -0 --separate-stderr "$MLS" index -v notes
    [ "$(without_time "$stderr")" = "2 files: 1 new, 0 changed, 1 moved, 1 removed, 0 errors in T s" ]
    run -0 "$MLS" --json zulu
    [[ "${lines[1]}" == *'"date":"2024-07-01",'* ]]
    run -0 "$MLS" --json yankee
    [[ "${lines[1]}" == *'"path":{"text":"notes/moved.md"},"date":"2021-03-04T05:06:07",'* ]]
    "$MLS" index --db "$WORK/fresh" notes
    diff <("$MLS" dump) <("$MLS" dump --db "$WORK/fresh")
}

@test "--sort=date shows -n hits when the newest note repeats one text" {
    enter_work_dir
    printf -- '---\ndate: 2024-06-30\n---\n' > notes/new.md
    for i in 1 2 3 4 5 6 7 8 9; do
        printf -- '- kilo repeated\n' >> notes/new.md
        printf -- '---\ndate: 2024-05-0%d\n---\nkilo older %d\n' "$i" "$i" > "notes/old$i.md"
    done
    "$MLS" index notes
    run -0 "$MLS" --color=never --sort=date -n 4 kilo
    [ "$output" = "notes/new.md:4: kilo repeated (+8 or more identical)
notes/old9.md:4: kilo older 9
notes/old8.md:4: kilo older 8
notes/old7.md:4: kilo older 7" ]
}
