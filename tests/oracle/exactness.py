#!/usr/bin/env python3
"""Exactness oracle for mlsearch (Python 3 standard library only).

Indexes a corpus with the real binary, reads every passage back with
`mlsearch dump`, then for a deterministic list of single-term queries compares
the set of hits printed by `mlsearch search` with the set predicted by an
independent implementation of the matching contract:

  * normalize(s) = NFKC(casefold(NFKC(s)))
  * a CJK query (every char CJK) matches as a plain substring, after the
    Markdown that can sit unseen inside a CJK word is taken out from between
    two CJK characters: emphasis and code marks (* _ ~ `) and one line break
    with the next line's indent and '>' quote marks;
  * a word query (every char a word char) matches only as a whole word;
  * a passage matches if its text, or any single heading / item string, matches.

Each query is sent quoted, which asks mlsearch for exactly this contract
(unquoted, English words also match their stems, and a katakana word its
long-vowel variant).

Usage:
  exactness.py --mlsearch BIN --corpus DIR [--queries N] [--seed S] [--verbose]
  exactness.py --self-test
"""
import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from contract import (HALF_KANA, dump_path, fullwidth, is_cjk, is_word, join_cjk,  # noqa: E402
                      normalize, occurs, query_kind, runs)

# --------------------------------------------------------------------------
# Running mlsearch.


def run(binary, args, db, cwd, timeout=300):
    env = dict(os.environ, MLSEARCH_DB=db)
    p = subprocess.run([binary] + args, cwd=cwd, env=env, capture_output=True,
                       timeout=timeout)
    dec = lambda b: b.decode('utf-8', 'surrogateescape')
    return p.returncode, dec(p.stdout), dec(p.stderr)


def load_passages(dump_out, cwd):
    """Parse `dump` output into [(key, [normalized strings])], text first."""
    passages = []
    for line in dump_out.splitlines():
        if not line.strip():
            continue
        obj = json.loads(line)
        path = dump_path(obj)
        key = (os.path.relpath(os.path.join(cwd, path), cwd), int(obj['line']))
        strings = [obj.get('text', '')] + list(obj.get('headings') or []) \
            + list(obj.get('items') or [])
        passages.append((key, [normalize(s) for s in strings],
                         int(obj.get('end_line', obj['line']))))
    return [(key, strings) for key, strings, _ in passages], \
        {key: end for key, _, end in passages}


def to_passage(hit, spans):
    """A hit prints the line of its first match, anywhere from the passage's
    first line to its last: map (path, line) back to the passage's key."""
    path, line = hit
    for (p, start), end in spans.items():
        if p == path and start <= line <= end:
            return (p, start)
    return None


HIT_RE = re.compile(r'^([^:]+):(\d+):')


def parse_hits(out):
    """Return (set of (path, line), list of problems: bad lines/duplicates)."""
    hits, problems = set(), []
    for line in out.splitlines():
        m = HIT_RE.match(line)
        if not m:
            problems.append('unparsable line: %r' % line[:120])
            continue
        key = (os.path.normpath(m.group(1)), int(m.group(2)))
        if key in hits:
            problems.append('duplicate hit: %s:%d' % key)
        hits.add(key)
    return hits, problems

# --------------------------------------------------------------------------
# Query generation.

FIXED_QUERIES = ['AML', 'aml', 'ＡＭＬ', '推論サーバー', 'ｻｰﾊﾞｰ', 'サーバー', 'サ',
                 '推', 'ML', 'mojibake', 'kestrel',
                 # across Markdown inside CJK words (corpus/reading/hard-wrapped-notes.md)
                 '形態素解析', '素解', '分かち書き', '正規化処理', '旧仕様新仕様',
                 '続けて書く', '折り返して書く', '途中で改行', 'て書かれる', '中で']
MUST_BE_EMPTY = {'kestrel'}  # only in YAML front matter, which is not indexed
MAX_WORD_BYTES = 160


def build_queries(passages, n, rng):
    strings = sorted({s for _, ss in passages for s in ss})
    cjk_runs = sorted({r for s in strings for r in runs(s, is_cjk)})
    kana_runs = sorted({r for s in strings for r in runs(s, lambda c: c in HALF_KANA)})
    words = sorted({w for s in strings for w in runs(s, is_word)
                    if len(w.encode('utf-8')) <= MAX_WORD_BYTES})
    digits = [w for w in words if all(c.isdigit() for c in w)]
    ascii_words = [w for w in words if fullwidth(w)]

    def substring(pool, length):
        pool = [r for r in pool if len(r) >= length]
        if not pool:
            return None
        r = rng.choice(pool)
        i = rng.randrange(len(r) - length + 1)
        return r[i:i + length]

    def pick(pool, f=lambda w: w):
        return f(rng.choice(pool)) if pool else None

    def half_kana():
        k = substring(kana_runs, rng.randint(1, 8))
        return ''.join(HALF_KANA[c] for c in k) if k else None

    # Round-robin over generators so every category (and CJK length) appears.
    generators = [lambda L=L: substring(cjk_runs, L) for L in range(1, 9)] + [
        lambda: pick(words),
        lambda: pick(words, str.upper),
        lambda: pick(words, str.capitalize),
        lambda: pick(digits),
        lambda: pick(ascii_words, lambda w: fullwidth(rng.choice([w, w.upper()]))),
        half_kana,
    ]
    queries = list(FIXED_QUERIES)
    seen, generated, attempts = set(queries), 0, 0
    while generated < n and attempts < 50 * n:
        q = generators[attempts % len(generators)]()
        attempts += 1
        if q is None or q in seen or query_kind(normalize(q)) is None:
            continue
        seen.add(q)
        queries.append(q)
        generated += 1
    return queries

# --------------------------------------------------------------------------


def expected_hits(query, passages):
    qn = normalize(query)
    kind = query_kind(qn)
    return {key for key, ss in passages if any(occurs(qn, kind, s) for s in ss)}


def self_test():
    assert join_cjk('**推論**サーバー') == '**推論サーバー'
    assert join_cjk('推論\n  > サーバー') == '推論サーバー'
    assert join_cjk('推論 サーバー') == '推論 サーバー'
    assert join_cjk('推論\n\nサーバー') == '推論\n\nサーバー'
    assert join_cjk('ab**cd') == 'ab**cd'
    assert normalize('ＡＭＬ（テスト）') == 'aml(テスト)'
    assert normalize('ｻｰﾊﾞｰ') == 'サーバー'
    assert normalize('Straße') == 'strasse'
    assert query_kind('ml') == 'word' and query_kind('サーバー') == 'cjk'
    assert query_kind('c++') is None and query_kind('ml活用') is None
    w = lambda q, s: occurs(normalize(q), query_kind(normalize(q)), normalize(s))
    assert w('ml', 'ML活用') and w('ML', '使うml。') and w('ml', 'ml_x')
    assert not w('ml', 'html') and not w('ml', 'mlops') and not w('aml', 'aml2')
    assert w('ＡＭＬ', 'AML, etc') and w('ｻｰﾊﾞｰ', '推論サーバーを起動')
    assert w('サ', 'サーバー') and not w('推論', '推 論')
    assert fullwidth('AML') == 'ＡＭＬ' and fullwidth('é') is None
    assert HALF_KANA['バ'] == 'ﾊﾞ' and HALF_KANA['パ'] == 'ﾊﾟ'
    assert HALF_KANA['ー'] == 'ｰ' and HALF_KANA['ア'] == 'ｱ' and HALF_KANA['ヴ'] == 'ｳﾞ'
    for full, half in HALF_KANA.items():
        assert normalize(half) == full, (full, half)
    assert runs('ab 推論x', is_cjk) == ['推論'] and runs('ab 推論x', is_word) == ['ab', 'x']
    hits, probs = parse_hits('corpus/a.md:3: H › x\n./corpus/b.md:10: y: z\n')
    assert hits == {('corpus/a.md', 3), ('corpus/b.md', 10)} and not probs
    print('self-test ok')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--mlsearch')
    ap.add_argument('--corpus')
    ap.add_argument('--queries', type=int, default=100,
                    help='number of generated queries (fixed ones are added)')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--verbose', action='store_true')
    ap.add_argument('--self-test', action='store_true')
    args = ap.parse_args()
    if args.self_test:
        self_test()
        return 0
    if not args.mlsearch or not args.corpus:
        ap.error('--mlsearch and --corpus are required')

    binary = os.path.abspath(args.mlsearch)
    corpus = os.path.realpath(args.corpus)
    cwd = os.path.dirname(corpus)  # hits print as corpus/...
    with tempfile.TemporaryDirectory(prefix='mlsearch-oracle-') as db:
        rc, _, err = run(binary, ['index', corpus], db, cwd)
        if rc != 0:
            print('index failed (exit %d): %s' % (rc, err.strip()))
            print('0 passed, 0 failed')
            return 1
        rc, out, err = run(binary, ['dump'], db, cwd)
        passages, spans = load_passages(out, cwd) if rc == 0 else ([], {})
        if not passages:
            print('dump failed or empty (exit %d): %s' % (rc, err.strip()))
            print('0 passed, 0 failed')
            return 1
        queries = build_queries(passages, args.queries, random.Random(args.seed))
        if args.verbose:
            print('%d passages, %d queries' % (len(passages), len(queries)))

        passed = failed = 0
        for q in queries:
            expected = expected_hits(q, passages)
            problems = []
            if q in MUST_BE_EMPTY and expected:
                problems.append('dump contains front-matter-only term')
                expected = set()
            # Quoted: verbatim, as the contract is (no stems, no variants).
            rc, out, err = run(binary, ['search', '-n', '100000', '--color=never',
                                        '--no-collapse', '"%s"' % q.replace('"', ' ')],
                               db, cwd)
            actual, parse_problems = parse_hits(out) if rc in (0, 1) else (set(), [])
            problems += parse_problems
            mapped = set()
            for hit in sorted(actual):
                key = to_passage(hit, spans)
                if key is None:
                    problems.append('%s:%d is in no passage' % hit)
                elif key in mapped:
                    problems.append('passage %s:%d listed twice' % key)
                else:
                    mapped.add(key)
            actual = mapped
            if rc not in (0, 1):
                problems.append('exit %d: %s' % (rc, err.strip()[:200]))
            elif (rc == 1) != (not actual):
                problems.append('exit %d with %d hits' % (rc, len(actual)))
            missing, unexpected = sorted(expected - actual), sorted(actual - expected)
            if missing or unexpected or problems:
                failed += 1
                fmt = lambda ks: ', '.join('%s:%d' % k for k in ks[:5])
                print('FAIL %r (normalized %r): expected %d, got %d; missing [%s]; '
                      'unexpected [%s]%s' % (q, normalize(q), len(expected), len(actual),
                                             fmt(missing), fmt(unexpected),
                                             ''.join('; ' + p for p in problems[:3])))
            else:
                passed += 1
                if args.verbose:
                    print('ok   %r: %d hits' % (q, len(expected)))

    if passed + failed < 50:
        print('too few queries ran (%d < 50)' % (passed + failed))
    print('%d passed, %d failed' % (passed, failed))
    return 0 if failed == 0 and passed + failed >= 50 else 1


if __name__ == '__main__':
    sys.exit(main())
