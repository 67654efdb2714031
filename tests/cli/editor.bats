#!/usr/bin/env bats
# Output for editors and plugins: --vimgrep through a real vim's quickfix
# list, --json through a real JSON parser, -l, -c, --absolute; and no
# control byte from a note in any format.

load helpers

setup_file() { index_corpus_once; }
setup() { use_corpus_index; }

# Checks with python3 that each path:line:column of $1 (one per line)
# points at the query $2 in the file: the text from that byte column, NFKC
# and case folded, starts with the query folded the same way.  Hits that
# match only in their context (headings, parent items) are left out: they
# point at the passage's start.
points_at_query() {
    python3 - "$1" "$2" <<'PY'
import sys, unicodedata
fold = lambda s: unicodedata.normalize('NFKC', s).casefold()
entries, query = sys.argv[1], fold(sys.argv[2])
n = 0
for entry in entries.splitlines():
    path, line, col = entry.rsplit(':', 2)
    with open(path, 'rb') as f:
        text = f.read().split(b'\n')[int(line) - 1]
    at = fold(text[int(col) - 1:].decode('utf-8'))
    assert at.startswith(query), (entry, at[:20])
    n += 1
assert n > 0
print(n)
PY
}

@test "vim's quickfix list reads --vimgrep: each entry's file, line and column is a match" {
    for q in AML 推論サーバー feature; do
        "$MLS" --vimgrep -n 50 "$q" > "$BATS_TEST_TMPDIR/hits"
        vim -es -N -u NONE -i NONE -c 'set errorformat=%f:%l:%c:%m' \
            -c "cgetfile $BATS_TEST_TMPDIR/hits" \
            -c "call writefile(map(getqflist(), {_, e -> bufname(e.bufnr) .. ':' .. e.lnum .. ':' .. e.col .. ':' .. e.valid}), '$BATS_TEST_TMPDIR/qf')" \
            -c 'qa!'
        # vim read every line as a valid entry, with the fields as written.
        [ "$(sed 's/:1$//' "$BATS_TEST_TMPDIR/qf")" = "$(cut -d: -f1-3 "$BATS_TEST_TMPDIR/hits")" ]
        [ "$(grep -c ':1$' "$BATS_TEST_TMPDIR/qf")" -eq "$(wc -l < "$BATS_TEST_TMPDIR/hits")" ]
        # Context-only hits: those whose JSON has no span.
        "$MLS" --json -n 50 "$q" | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m["type"] == "match" and not m["data"]["spans"]:
        d = m["data"]
        print("%s:%d:%d" % (d["path"]["text"], d["line"], d["column"]))' > "$BATS_TEST_TMPDIR/context"
        run -0 points_at_query "$(sed 's/:1$//' "$BATS_TEST_TMPDIR/qf" | grep -vxFf "$BATS_TEST_TMPDIR/context")" "$q"
    done
    run -0 "$MLS" --vimgrep AML
    [ "${lines[0]}" = "corpus/meetups/2024-05-payments-ml-meetup.md:14:3:2024-05 決済 x ML meetup › セッション1: 決済会社での ML の使いどころ › AML（マネーロンダリング対策）" ]
    [ "${lines[1]}" = "corpus/design/data-retention-policy.md:10:7:データ保持ポリシー (草案) › 背景 › …速やかに削除すべき。 特にＡＭＬ関連の監査では数年前の送金履歴の提出を求められることがあり、 分析用に…" ]
}

@test "--json: every line parses, in schema 1, spans and counts agree" {
    version=$("$MLS" --version)
    run -0 "$MLS" --json -n 30 ML
    python3 - "$output" "${version#mlsearch }" <<'PY'
import json, re, sys
lines = sys.argv[1].split('\n')
objs = [json.loads(l) for l in lines]
assert objs[0] == {'type': 'begin', 'data': {'schema': 1, 'version': sys.argv[2]}}, objs[0]
matches, summary = objs[1:-1], objs[-1]
assert summary['type'] == 'summary' and summary['data']['matches'] == len(matches) == 30
assert summary['data']['files'] == len({m['data']['path']['text'] for m in matches})
assert summary['data']['total'] >= 30
assert isinstance(summary['data']['elapsed_ms'], float)
for rank, m in enumerate(matches, 1):
    d = m['data']
    assert m['type'] == 'match' and d['rank'] == rank
    assert set(d) == {'path', 'date', 'line', 'column', 'end_line', 'headings', 'items',
                      'context_only', 'score', 'rank', 'duplicates', 'duplicates_exact', 'snippet',
                      'spans'}, set(d)
    assert re.fullmatch(r'\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d)?', d['date']), d['date']
    assert d['context_only'] == (d['spans'] == []), d
    assert all(set(i) == {'text'} for i in d['items'])
    assert d['duplicates'] == 0 and isinstance(d['duplicates_exact'], bool)
    assert d['line'] >= 1 and d['column'] >= 1 and d['end_line'] >= d['line']
    assert all(set(h) == {'text'} for h in d['headings'])
    text = d['snippet']['text']
    raw = text.encode('utf-8')
    # No span: a hit in its context only (heading path, parent items).
    for s in d['spans']:
        # The byte and the character offsets name the same text: "ml".
        assert raw[s['start']:s['end']].decode() == text[s['char_start']:s['char_end']]
        assert text[s['char_start']:s['char_end']].casefold() == 'ml', text
assert [m['data']['score'] for m in matches] == sorted((m['data']['score'] for m in matches), reverse=True)
PY
}

@test "--json carries a path that is not UTF-8 as base64 bytes, as ripgrep does" {
    cd "$BATS_TEST_TMPDIR"
    mkdir notes
    printf 'zulu\n' > "notes/caf"$'\xe9'".md"
    touch -d '2024-06-12 10:30:00' notes/*
    "$MLS" index --db db notes
    run -0 "$MLS" --db db --json zulu
    [ "${lines[1]}" = '{"type":"match","data":{"path":{"bytes":"bm90ZXMvY2Fm6S5tZA=="},"date":"2024-06-12T10:30:00","line":1,"column":1,"end_line":1,"headings":[],"items":[],"context_only":false,"score":'"$(sed 's/.*"score":\([^,]*\),.*/\1/' <<< "${lines[1]}")"',"rank":1,"duplicates":0,"duplicates_exact":true,"snippet":{"text":"zulu"},"spans":[{"start":0,"end":4,"char_start":0,"char_end":4}]}}' ]
}

@test "-l lists each file once, best first; -c counts its passages; --absolute" {
    # Files in the order of their notes, by what their best passage for 推論
    # weighs: the glossary and the design note (each has it twice in a
    # short line) first, then three notes of one weight, then todo.md;
    # of notes of one weight, first the one whose terms weigh less in all
    # (Xapian's document length: the sum of their wdf).
    run -0 "$MLS" -l 推論
    [ "$output" = "corpus/glossary.md
corpus/design/inference-architecture.md
corpus/meetups/2024-03-nlp-meetup.md
corpus/meetups/2024-06-mlops-panel.md
corpus/meetups/2024-05-payments-ml-meetup.md
corpus/todo.md" ]
    run -0 "$MLS" -c 推論
    [ "$output" = "corpus/glossary.md:3
corpus/design/inference-architecture.md:27
corpus/meetups/2024-03-nlp-meetup.md:2
corpus/meetups/2024-06-mlops-panel.md:3
corpus/meetups/2024-05-payments-ml-meetup.md:7
corpus/todo.md:1" ]
    # The counts are the passages: all of them, whatever -n's default.
    [ "$(( $(cut -d: -f2 <<< "$output" | paste -sd+) ))" -eq "$("$MLS" -n 1000 推論 | wc -l)" ]
    run -0 "$MLS" -l --absolute 推論サーバー
    [ "$output" = "$REPO/corpus/meetups/2024-06-mlops-panel.md" ]
    run -2 --separate-stderr "$MLS" -l --json AML
    [ "$stderr" = "mlsearch: --json: only one of --vimgrep, --json, -l and -c" ]
    run -1 "$MLS" -l zzyzxqv
    [ "$output" = "" ]
}

@test "no control byte from a note reaches stdout, in any format" {
    cd "$BATS_TEST_TMPDIR"
    mkdir notes
    {
        printf '# Head \033]0;title\007 osc\n\n'
        printf 'yankee \033[31mred\033[0m cr\rhere \342\200\256bidi\342\201\246iso\342\201\251 \302\233csi\n\n'
        printf 'yankee del\177 bell\007 tab\there\n'
        head -c 9000 /dev/zero | tr '\0' ' '
        printf '\nyankee nul\000after\n'
    } > notes/evil.md
    printf 'yankee\n' > "notes/name"$'\033'"[2Jx.md"
    "$MLS" index --db db notes 2>/dev/null
    for format in "" --vimgrep --json -l -c; do
        "$MLS" --db db --color=always $format -n 100 yankee > out
        [ -s out ]
        # Bytes below 0x20 but \n, DEL, C1 controls (U+0080-U+009F),
        # bidi controls (U+202A-U+202E, U+2066-U+2069); colours are ours.
        run -1 python3 -c '
import re, sys
data = open("out", "rb").read().decode("utf-8")
data = re.sub(r"\x1b\[(?:[0-9;]*)m", "", data)
bad = re.findall(r"[\x00-\x09\x0b-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069]", data)
sys.exit(0 if bad else 1)'
    done
    run -0 "$MLS" --db db -l yankee
    [ "$(sort <<< "$output")" = 'notes/evil.md
notes/name\x1B[2Jx.md' ]
}

@test "--json: no text holds a control character once decoded; such a path is bytes" {
    cd "$BATS_TEST_TMPDIR"
    mkdir notes
    printf '# Head \033]0;title\007 osc\n\nyankee \033[31mred\342\200\256\n' \
        > "notes/name"$'\033'"[2Jx.md"
    "$MLS" index --db db notes
    run -0 "$MLS" --db db --json yankee
    python3 - "${lines[1]}" <<'PY'
import base64, json, os, sys
d = json.loads(sys.argv[1])["data"]
# The path as its bytes: the file a plugin opens.
path = base64.b64decode(d["path"]["bytes"])
assert path == b"notes/name\x1b[2Jx.md" and os.path.exists(path), d["path"]
# Headings and snippet: shown escaped, as in the other formats.
assert d["headings"] == [{"text": "Head \\x1B]0;title\\x07 osc"}], d["headings"]
assert d["snippet"] == {"text": "yankee \\x1B[31mred\\u{202E}"}, d["snippet"]
PY
}

@test "the same text in many files is one hit, saying how many more" {
    cd "$BATS_TEST_TMPDIR"
    mkdir notes
    for i in 1 2 3; do
        printf '# Note %d\n\nshared boilerplate line about quokka\n\nown text %d quokka\n' $i $i > notes/n$i.md
    done
    "$MLS" index --db db notes
    run -0 "$MLS" --db db --color=never quokka
    [ "$output" = "notes/n1.md:5: Note 1 › own text 1 quokka
notes/n2.md:5: Note 2 › own text 2 quokka
notes/n3.md:5: Note 3 › own text 3 quokka
notes/n1.md:3: Note 1 › shared boilerplate line about quokka (+2 identical)" ]
    run -0 "$MLS" --db db --json boilerplate
    [[ "${lines[1]}" == *'"rank":1,"duplicates":2,'* ]]
    # Listing files, nothing is collapsed.
    run -0 "$MLS" --db db -c boilerplate
    [ "$output" = "notes/n1.md:1
notes/n2.md:1
notes/n3.md:1" ]
}

@test "a count of identical texts from a search that read only the best notes says 'or more'" {
    cd "$BATS_TEST_TMPDIR"
    mkdir notes
    # 30 notes hold the line, each longer than the one before (so that
    # none weighs what another does); a search for one hit reads the best 20.
    for i in $(seq 1 30); do
        { printf '# Note %d\n\nshared boilerplate line about wombat\n\n' $i
          for k in $(seq 1 $i); do printf 'filler%d ' $k; done; echo; } > notes/n$i.md
    done
    "$MLS" index --db db notes
    run -0 "$MLS" --db db --color=never -n 1 wombat
    [ "$output" = "notes/n1.md:3: Note 1 › shared boilerplate line about wombat (+19 or more identical)" ]
    run -0 "$MLS" --db db --json -n 1 wombat
    [[ "${lines[1]}" == *'"duplicates_exact":false,'* ]]
    # Asked for more than the best notes hold, it reads them all: exact.
    run -0 "$MLS" --db db --color=never -n 100 wombat
    [ "$output" = "notes/n1.md:3: Note 1 › shared boilerplate line about wombat (+29 identical)" ]
    run -0 "$MLS" --db db --json -n 100 wombat
    [[ "${lines[1]}" == *'"duplicates":29,"duplicates_exact":true,'* ]]
    [[ "${lines[2]}" == '{"type":"summary","data":{"matches":1,"total":30,"total_exact":true,"files":1,'* ]]
}

@test "on a terminal, a last line says how many passages match when not all are shown" {
    cd "$REPO"
    export MLSEARCH_DB="$BATS_TEST_TMPDIR/db"
    "$MLS" index corpus 2>/dev/null
    total=$("$MLS" -c ML | awk -F: '{ n += $NF } END { print n }')
    [ "$total" -gt 3 ]
    # script(1) gives mlsearch a terminal; its lines end in CR LF there.
    run -0 script -qec "'$MLS' --color=never -n 3 ML" /dev/null
    [ "${#lines[@]}" -eq 4 ]
    [ "${lines[3]}" = "3 of $total passages (-n to see more)"$'\r' ]
    # All shown: nothing to say.
    run -0 script -qec "'$MLS' --color=never -n 1000 ML" /dev/null
    [[ "$output" != *" passages (-n to see more)"* ]]
    # Not a terminal: the hits alone, for scripts.
    run -0 --separate-stderr "$MLS" --color=never -n 3 ML
    [ "${#lines[@]}" -eq 3 ]
    [ "$stderr" = "" ]
    # The JSON summary carries the same total.
    run -0 "$MLS" --json -n 3 ML
    [[ "${lines[4]}" == "{\"type\":\"summary\",\"data\":{\"matches\":3,\"total\":$total,\"total_exact\":true,"* ]]
}

@test "past 200 notes, the total is what the best 200 hold, said as a lower bound" {
    cd "$BATS_TEST_TMPDIR"
    mkdir notes
    for i in $(seq 1 250); do
        { printf '# Note %d\n\nnumbat %d\n\n' $i $i
          for k in $(seq 1 $((i % 40 + 1))); do printf 'filler%d ' $k; done; echo; } > notes/n$i.md
    done
    "$MLS" index --db db notes
    [ "$("$MLS" --db db -c numbat | wc -l)" -eq 250 ]
    run -0 script -qec "'$MLS' --db db --color=never -n 1 numbat" /dev/null
    [ "${lines[1]}" = "1 of at least 200 passages (-n to see more)"$'\r' ]
    run -0 "$MLS" --db db --json -n 1 numbat
    [[ "${lines[2]}" == '{"type":"summary","data":{"matches":1,"total":200,"total_exact":false,"files":1,'* ]]
}

@test "the README's VS Code matcher finds path, line and column in a snippet holding 10:15:30:" {
    cd "$BATS_TEST_TMPDIR"
    mkdir notes
    printf '# Times\n\n- 😀 x 10:15:30: AML review\n' > notes/a.md
    "$MLS" index --db db notes
    run -0 "$MLS" --db db --vimgrep AML
    [ "$output" = "notes/a.md:3:20:Times › 😀 x 10:15:30: AML review" ]
    run -0 "$MLS" --db db --vimgrep --column-unit=char AML
    [ "$output" = "notes/a.md:3:17:Times › 😀 x 10:15:30: AML review" ]
    run -0 "$MLS" --db db --vimgrep --column-unit=utf16 AML
    [ "$output" = "notes/a.md:3:18:Times › 😀 x 10:15:30: AML review" ]
    # The matcher as the README gives it, read the way VS Code reads it:
    # a JavaScript regular expression (here Python's, the same for it).
    python3 - "$REPO/README.md" "$output" <<'PY'
import json, re, sys
readme, line = open(sys.argv[1], encoding='utf-8').read(), sys.argv[2]
pattern = json.loads('"%s"' % re.search(r'"regexp": "((?:[^"\\]|\\.)*)"', readme).group(1))
m = re.match(pattern, line)
assert m and m.groups() == ('notes/a.md', '3', '18', 'Times › 😀 x 10:15:30: AML review'), m and m.groups()
PY
    run -2 --separate-stderr "$MLS" --db db --vimgrep --column-unit=bogus AML
    [ "$stderr" = "mlsearch: --column-unit=bogus: must be byte, char or utf16" ]
}

@test "the JSON total is never below the hits it comes with, even past the 200 notes counted" {
    cd "$BATS_TEST_TMPDIR"
    mkdir notes
    # 230 notes hold the words apart (notes Xapian ranks, but no passage
    # matches), 60 hold them in one passage.
    for i in $(seq 1 230); do printf 'foo %d\n\nbar %d\n' $i $i > notes/a$i.md; done
    for i in $(seq 1 60); do printf 'foo bar %d\n' $i > notes/b$i.md; done
    "$MLS" index --db db notes
    run -0 "$MLS" --db db --json -n 10 foo bar
    python3 -c '
import json, sys
summary = json.loads(sys.argv[1])["data"]
assert summary["total"] >= summary["matches"] == 10, summary' "${lines[-1]}"
}

@test "a heading cut to fit is cut between characters, escapes counted as shown" {
    cd "$BATS_TEST_TMPDIR"
    mkdir notes
    printf '## \342\200\256evil zebra heading that is long enough to need a cut here\n\nzebra text\n' > notes/a.md
    "$MLS" index --db db notes
    for width in 30 40 50; do
        "$MLS" --db db --color=never -M "$width" zebra | python3 -c '
import sys, unicodedata
data = sys.stdin.buffer.read()
text = data.decode("utf-8")   # fails on a character cut in two
for line in text.splitlines():
    cols = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
    assert cols <= int(sys.argv[1]) + 2, (cols, line)' "$width"
    done
}
