#!/usr/bin/env python3
"""make bench: mlsearch against the tools a user would pick instead.

One run measures every tool on the same corpus (Debian's Japanese and
English documentation converted to Markdown: nothing this project wrote),
with the same queries, and writes bench/RESULTS.md and bench/*.png.

Steps: install packages, build the corpus, build mlsearch, index with every
tool (time, peak RSS, size), generate queries with ground truth from an
independent scan (bench/queries.py, tests/oracle/contract.py), run every
query as a new process per query (latency, recall, precision), then
mlsearch's own figures (passages, re-index, known items) and growth at
larger scales.

Usage: python3 bench/run.py [--scales 1,4,16] [--per-class 30]
                            [--known-items 120] [--growth-queries 40]
"""
import argparse
import datetime
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DATA = os.path.join(HERE, 'data')
MLSEARCH = os.path.join(REPO, 'build', 'mlsearch')
PEERS = ['rg', 'rg-boundary', 'sqlite-trigram', 'groonga', 'xapian-ngram', 'recoll']
# The slowest indexers stop growing here, to keep `make bench` near half
# an hour on 2 cores (their growth is already clear from 1x to 4x).
GROWTH_MAX_SCALE = {'xapian-ngram': 4, 'recoll': 4}
TIME = '/usr/bin/time'
HIT_RE = re.compile(r'^(.+?):(\d+):')

COMMANDS = []  # every command that produced a figure, for RESULTS.md


def log(msg):
    print('bench: ' + msg, file=sys.stderr, flush=True)


def sh(cmd, **kw):
    """Runs a command list, failing the benchmark if it fails."""
    COMMANDS.append(' '.join(cmd))
    return subprocess.run(cmd, check=True, **kw)


def timed(cmd, env=None, cwd=None):
    """Runs cmd under /usr/bin/time: (wall seconds, peak RSS in MB, returncode)."""
    COMMANDS.append(' '.join(cmd))
    out = os.path.join(DATA, 'time.out')
    p = subprocess.run([TIME, '-f', '%e %M', '-o', out] + cmd, env=env, cwd=cwd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    with open(out) as f:
        wall, rss = f.read().split()[-2:]
    return float(wall), int(rss) / 1024.0, p.returncode, p.stderr.decode('utf-8', 'replace')


def du_mb(path):
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            fp = os.path.join(root, name)
            if not os.path.islink(fp):
                total += os.path.getsize(fp)
    return total / 1e6


def corpus_dir(scale):
    return os.path.join(DATA, 'base' if scale == 1 else 'scaled-%d' % scale)


# ---------------------------------------------------------------------------
# Tools: each indexes a tree and answers a query with a set of files.

class Mlsearch:
    name = 'mlsearch'
    describe = ('`mlsearch index`; queries as a phrase, like the peers\' (`"QUERY"`, '
                'with `"` in the query replaced by a space), so that two words must be '
                'adjacent and nothing in the query is read as `OR`, `-` or `*`: '
                '`mlsearch -n 10 \'"QUERY"\'` for latency (what a user runs), `-n 1000000 --no-collapse` '
                'for recall and precision; known items unquoted (their terms are ANDed)')

    @staticmethod
    def phrase(query):
        return '"%s"' % query.replace('"', ' ')

    def index(self, corpus, idx):
        shutil.rmtree(idx, ignore_errors=True)
        return timed([MLSEARCH, 'index', '--db', idx, corpus])

    def run(self, idx, corpus, query, limit, every=False):
        cmd = [MLSEARCH, '--db', idx, '--color=never', '-n', str(limit)] + \
              (['--no-collapse'] if every else []) + ['--', query]
        t = time.perf_counter()
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=corpus)
        return time.perf_counter() - t, p

    def hits(self, idx, corpus, query):
        """Ranked (path, line) hits, paths relative to the corpus."""
        _, p = self.run(idx, corpus, query, 1000000, every=True)
        hits = []
        for line in p.stdout.decode('utf-8', 'surrogateescape').splitlines():
            m = HIT_RE.match(line)
            if m:
                hits.append((m.group(1), int(m.group(2))))
        return hits

    def latency(self, idx, corpus, query):
        return self.run(idx, corpus, query, 10)[0]


class Peer:
    def __init__(self, name):
        self.name = name
        self.adapter = os.path.join(HERE, 'peers', name)
        p = subprocess.run([self.adapter, 'describe'], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
        self.describe = p.stdout.decode().strip() or p.stderr.decode().strip()
        self.available = p.returncode == 0

    def index(self, corpus, idx):
        shutil.rmtree(idx, ignore_errors=True)
        os.makedirs(idx)
        return timed([self.adapter, 'index', corpus, idx])

    def files(self, idx, corpus, query):
        t = time.perf_counter()
        p = subprocess.run([self.adapter, 'query', idx, corpus, query],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        elapsed = time.perf_counter() - t
        found = {l for l in p.stdout.decode('utf-8', 'surrogateescape').splitlines() if l}
        return elapsed, found, p.returncode


# ---------------------------------------------------------------------------
# Figures.

def pct(xs, q):
    xs = sorted(xs)
    if not xs:
        return float('nan')
    k = max(0, min(len(xs) - 1, int(round(q * (len(xs) - 1)))))
    return xs[k]


def recall_precision(pairs):
    """pairs: [(truth set, result set)] -> (recall, precision), micro-averaged."""
    tp = sum(len(t & r) for t, r in pairs)
    t_all = sum(len(t) for t, _ in pairs)
    r_all = sum(len(r) for _, r in pairs)
    recall = tp / t_all if t_all else 1.0
    precision = tp / r_all if r_all else 1.0
    return recall, precision


def passage_of(spans, path, line):
    """The (path, start line) of the passage holding `line` of `path`."""
    for start, end in spans.get(path, ()):
        if start <= line <= end:
            return (path, start)
    return (path, line)


def load_dump(idx, corpus):
    """Each file's passage line ranges, the dump's path, and each passage's
    text by (path, start line)."""
    p = subprocess.run([MLSEARCH, 'dump', '--db', idx], stdout=subprocess.PIPE, check=True)
    spans, dump_path, texts = {}, os.path.join(DATA, 'dump.jsonl'), {}
    with open(dump_path, 'wb') as f:
        f.write(p.stdout)
    for line in p.stdout.decode('utf-8').splitlines():
        o = json.loads(line)
        rel = os.path.relpath(o['path'], corpus) if isinstance(o['path'], str) else None
        if rel:
            spans.setdefault(rel, []).append((o['line'], o['end_line']))
            texts[(rel, o['line'])] = o['text']
    return spans, dump_path, texts


def measure_queries(tool, idx, corpus, queries, spans):
    """Per query: latency, files found, passages found (mlsearch only)."""
    rows = []
    for q in queries:
        if isinstance(tool, Mlsearch):
            lat = tool.latency(idx, corpus, tool.phrase(q['query']))
            hits = tool.hits(idx, corpus, tool.phrase(q['query']))
            files = {h[0] for h in hits}
            passages = {passage_of(spans, *h) for h in hits}
        else:
            lat, files, _ = tool.files(idx, corpus, q['query'])
            passages = None
        rows.append({'id': q['id'], 'class': q['class'], 'latency': lat,
                     'files': files, 'passages': passages})
    return rows


def class_table(queries, rows_by_tool, key):
    """Recall/precision per class and overall, for each tool."""
    classes = sorted({q['class'] for q in queries})
    truth = {q['id']: set(q['truth_files']) if key == 'files'
             else {tuple(p) for p in q['truth_passages']} for q in queries}
    out = {}
    for tool, rows in rows_by_tool.items():
        out[tool] = {}
        for cls in classes + ['all']:
            pairs = [(truth[r['id']], r[key]) for r in rows
                     if r[key] is not None and (cls == 'all' or r['class'] == cls)]
            out[tool][cls] = recall_precision(pairs)
    return classes, out


def known_items(tool, idx, corpus, items, spans, texts):
    """MRR, share first, share in the top 3.  A hit finds the item when it
    is the item's passage or one of the same text (mlsearch shows one hit
    for the same text in many files, the best placed)."""
    ranks = []
    for ki in items:
        _, p = tool.run(idx, corpus, ki['query'], 10)
        ranked = []
        for line in p.stdout.decode('utf-8', 'surrogateescape').splitlines():
            m = HIT_RE.match(line)
            if m:
                ranked.append(passage_of(spans, m.group(1), int(m.group(2))))
        target = texts.get(tuple(ki['target']))
        found = [i for i, r in enumerate(ranked) if texts.get(r) == target]
        ranks.append(found[0] + 1 if found and target is not None else None)
    mrr = sum(1.0 / r for r in ranks if r) / len(ranks) if ranks else float('nan')
    first = sum(1 for r in ranks if r == 1) / len(ranks) if ranks else float('nan')
    top3 = sum(1 for r in ranks if r and r <= 3) / len(ranks) if ranks else float('nan')
    return mrr, first, top3, len(ranks)


def reindex_times(corpus, idx):
    """No-change and one-file-changed re-index times, against a full build;
    then the upkeep: an `index --full` over the unchanged tree (which grows
    the index until the run compacts it, past 1.5 times its compacted size)
    and `mlsearch compact`, with the index's size after each step."""
    env = None
    # Notes written in the second they are indexed are re-read next time:
    # give every file an old mtime first, as a nightly run would meet them.
    old = time.time() - 86400
    for root, _, files in os.walk(corpus):
        for name in files:
            os.utime(os.path.join(root, name), (old, old))
    full, _, _, _ = Mlsearch().index(corpus, idx)
    sizes = {'built': du_mb(idx)}
    nochange, _, _, _ = timed([MLSEARCH, 'index', '--db', idx, corpus], env=env)
    victim = None
    for root, _, files in sorted(os.walk(corpus)):
        for name in sorted(files):
            if name.endswith('.md'):
                victim = os.path.join(root, name)
                break
        if victim:
            break
    with open(victim, 'a', encoding='utf-8') as f:
        f.write('\nbenchmark edit\n')
    onefile, _, _, _ = timed([MLSEARCH, 'index', '--db', idx, corpus], env=env)
    sizes['onefile'] = du_mb(idx)
    rerun, _, _, err = timed([MLSEARCH, 'index', '-v', '--full', '--db', idx, corpus], env=env)
    # `-v` says "compacted: A MB -> B MB" when the run compacted the index.
    m = re.search(r'compacted: ([0-9.]+) MB -> ([0-9.]+) MB', err)
    sizes['rerun_grown'] = float(m.group(1)) if m else None
    sizes['rerun'] = du_mb(idx)
    with open(victim, 'a', encoding='utf-8') as f:
        f.write('\nbenchmark edit again\n')
    timed([MLSEARCH, 'index', '--db', idx, corpus], env=env)
    sizes['onefile_again'] = du_mb(idx)
    compact, _, _, _ = timed([MLSEARCH, 'compact', '--db', idx], env=env)
    sizes['compacted'] = du_mb(idx)
    return full, nochange, onefile, {'rerun': rerun, 'compact': compact, 'sizes': sizes}


def startup_floor(runs):
    """p50/p95 ms of starting programs that do nothing, in the harness that
    times the queries: the part of a query's latency no search tool can
    save.  'xapian-linked' is an empty C program linked to Debian's
    libxapian (and through it libstdc++), as every Xapian-based tool is."""
    floor_bin = os.path.join(DATA, 'xapian-linked-empty')
    pkg = subprocess.run(['pkg-config', '--libs', 'xapian-core'], stdout=subprocess.PIPE,
                         check=True).stdout.decode().split()
    cmd = ['cc', '-O2', '-x', 'c', '-', '-o', floor_bin, '-Wl,--no-as-needed'] + pkg
    COMMANDS.append(' '.join(cmd) + ' <<< "int main(void) { return 0; }"')
    subprocess.run(cmd, input=b'int main(void) { return 0; }\n', check=True)
    programs = [('/bin/true', ['/bin/true']), ('xapian-linked empty program', [floor_bin]),
                ('mlsearch --help', [MLSEARCH, '--help'])]
    out = {}
    for name, cmd in programs:
        COMMANDS.append(' '.join(cmd))
        ts = []
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            ts.append((time.perf_counter() - t) * 1000)
        out[name] = (pct(ts, 0.5), pct(ts, 0.95))
    return out


# ---------------------------------------------------------------------------
# Output.

def fmt(x, digits=1):
    if x is None or (isinstance(x, float) and x != x):
        return 'n/a'
    return ('%.' + str(digits) + 'f') % x


def plot(name, title, ylabel, series, scales):
    """One PNG line chart with gnuplot: series = {tool: [y per scale]}."""
    dat = os.path.join(DATA, name + '.dat')
    tools = [t for t in series if any(series[t])]
    with open(dat, 'w') as f:
        for i, s in enumerate(scales):
            # log scales: a tool without an index (rg) has no point there
            f.write('%d %s\n' % (s, ' '.join(
                fmt(series[t][i], 4) if series[t][i] else 'NaN' for t in tools)))
    png = os.path.join(HERE, name + '.png')
    plots = ', '.join("'%s' using 1:%d with linespoints title '%s'" % (dat, i + 2, t)
                      for i, t in enumerate(tools))
    script = ("set terminal pngcairo size 800,500 noenhanced; set output '%s';"
              "set title '%s'; set xlabel 'corpus scale (x)'; set ylabel '%s';"
              "set logscale x 2; set logscale y; set key left top; set grid;"
              "plot %s" % (png, title, ylabel, plots))
    subprocess.run(['gnuplot', '-e', script], check=True)
    return os.path.basename(png)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--scales', default='1,4,16')
    ap.add_argument('--per-class', type=int, default=30)
    ap.add_argument('--known-items', type=int, default=120)
    ap.add_argument('--growth-queries', type=int, default=40)
    args = ap.parse_args()
    scales = [int(s) for s in args.scales.split(',')]
    started = time.time()
    os.makedirs(DATA, exist_ok=True)

    log('installing packages')
    sh([os.path.join(HERE, 'install-packages')])
    log('building the corpus')
    sh([sys.executable, os.path.join(HERE, 'corpus.py'), '--data', DATA])
    for s in scales:
        if s > 1:
            sh([sys.executable, os.path.join(HERE, 'corpus.py'), '--data', DATA, '--scale', str(s)])
    log('building mlsearch')
    sh(['make', '-C', REPO, '--no-print-directory', 'all'], stdout=subprocess.DEVNULL)

    base = corpus_dir(1)
    base_mb = du_mb(base)
    n_files = sum(1 for _, _, fs in os.walk(base) for f in fs if f.endswith('.md'))
    tools = [Mlsearch()] + [Peer(p) for p in PEERS]
    skipped = {t.name: t.describe for t in tools if isinstance(t, Peer) and not t.available}
    tools = [t for t in tools if t.name not in skipped]

    # Index the 1x corpus with every tool.
    build = {}
    for t in tools:
        idx = os.path.join(DATA, 'idx', '%s-1x' % t.name)
        log('indexing with %s' % t.name)
        wall, rss, rc, err = t.index(base, idx)
        if rc != 0 and t.name != 'mlsearch':
            skipped[t.name] = 'index failed: ' + err.strip().splitlines()[-1] if err.strip() else 'index failed'
            continue
        build[t.name] = {'seconds': wall, 'rss_mb': rss, 'size_mb': du_mb(idx), 'idx': idx}
    tools = [t for t in tools if t.name in build]

    # Queries and truth.
    ml_idx = build['mlsearch']['idx']
    spans, dump_path, texts = load_dump(ml_idx, base)
    qfile = os.path.join(DATA, 'queries.json')
    log('generating queries and ground truth')
    sh([sys.executable, os.path.join(HERE, 'queries.py'), '--corpus', base, '--passages',
        dump_path, '--out', qfile, '--per-class', str(args.per_class),
        '--known-items', str(args.known_items)])
    with open(qfile) as f:
        qdata = json.load(f)
    queries = qdata['queries']

    rows = {}
    for t in tools:
        log('querying %s (%d queries)' % (t.name, len(queries)))
        rows[t.name] = measure_queries(t, build[t.name]['idx'], base, queries, spans)

    classes, file_rp = class_table(queries, rows, 'files')
    _, passage_rp = class_table(queries, {'mlsearch': rows['mlsearch']}, 'passages')
    lat = {t: [r['latency'] * 1000 for r in rows[t]] for t in rows}
    log('start-up floor')
    floor = startup_floor(len(queries))

    log('known-item ranking')
    mrr, first, top3, n_ki = known_items(Mlsearch(), ml_idx, base, qdata['known_items'], spans,
                                         texts)

    log('re-index timings')
    reidx_corpus = os.path.join(DATA, 'reindex-corpus')
    shutil.rmtree(reidx_corpus, ignore_errors=True)
    shutil.copytree(base, reidx_corpus)
    full, nochange, onefile, upkeep = reindex_times(reidx_corpus,
                                                    os.path.join(DATA, 'idx', 'reindex'))

    # Growth.
    growth = {t.name: {'seconds': [], 'size_mb': [], 'rss_mb': [], 'p50': []} for t in tools}
    rng = random.Random(1)
    gq = rng.sample(queries, min(args.growth_queries, len(queries)))
    for s in scales:
        corpus = corpus_dir(s)
        for t in tools:
            if s > GROWTH_MAX_SCALE.get(t.name, s):
                for key in ('seconds', 'size_mb', 'rss_mb', 'p50'):
                    growth[t.name][key].append(None)
                continue
            if s == 1:
                b = build[t.name]
                secs, rss, size, idx = b['seconds'], b['rss_mb'], b['size_mb'], b['idx']
            else:
                idx = os.path.join(DATA, 'idx', '%s-%dx' % (t.name, s))
                log('growth: indexing %dx with %s' % (s, t.name))
                secs, rss, rc, _ = t.index(corpus, idx)
                size = du_mb(idx)
                if rc != 0:
                    secs = size = rss = None
            g = growth[t.name]
            g['seconds'].append(secs)
            g['size_mb'].append(size)
            g['rss_mb'].append(rss)
            if secs is None:
                g['p50'].append(None)
                continue
            ls = []
            for q in gq:
                if isinstance(t, Mlsearch):
                    ls.append(t.latency(idx, corpus, t.phrase(q['query'])) * 1000)
                else:
                    ls.append(t.files(idx, corpus, q['query'])[0] * 1000)
            g['p50'].append(statistics.median(ls))
            if s > 1:
                shutil.rmtree(idx, ignore_errors=True)  # keep the disk use bounded

    pngs = [plot('growth-index-time', 'Index build time', 'seconds',
                 {t: growth[t]['seconds'] for t in growth}, scales),
            plot('growth-index-size', 'Index size on disk', 'MB',
                 {t: growth[t]['size_mb'] for t in growth}, scales),
            plot('growth-query-p50', 'Query latency p50 (new process per query)', 'ms',
                 {t: growth[t]['p50'] for t in growth}, scales)]

    write_results(locals())
    log('done in %.0f s: bench/RESULTS.md' % (time.time() - started))


def write_results(v):
    tools = list(v['build'])
    b, lat, file_rp, passage_rp = v['build'], v['lat'], v['file_rp'], v['passage_rp']
    ml = 'mlsearch'
    out = []
    w = out.append
    w('# mlsearch benchmark results\n')
    w('Generated by `make bench` (bench/run.py) on %s, %s.\n' % (
        datetime.date.today().isoformat(), datetime.datetime.now().strftime('%H:%M')))
    w('Machine: %s, %d cores, %s; %s.\n' % (
        platform.machine(), os.cpu_count(), platform.platform(), platform.python_version()))
    w('Corpus: %d Markdown files, %.1f MB, converted from Debian documentation packages '
      '(bench/corpus.py); queries: %d in %d classes plus %d known items, with ground truth '
      'from an independent scan (bench/queries.py, tests/oracle/contract.py).\n' % (
          v['n_files'], v['base_mb'], len(v['queries']), len(v['classes']),
          len(v['qdata']['known_items'])))
    w('## Headline (1x corpus)\n')
    w('| tool | index MB/s | peak RSS MB | index size / corpus | query p50 ms | query p95 ms '
      '| file recall | file precision |')
    w('|---|---|---|---|---|---|---|---|')
    for t in tools:
        r, p = file_rp[t]['all']
        w('| %s | %s | %s | %s | %s | %s | %s%% | %s%% |' % (
            t, fmt(v['base_mb'] / b[t]['seconds'] if b[t]['seconds'] else None),
            fmt(b[t]['rss_mb']), fmt(b[t]['size_mb'] / v['base_mb'], 2),
            fmt(pct(lat[t], 0.5), 2), fmt(pct(lat[t], 0.95), 2), fmt(100 * r), fmt(100 * p)))
    w('')
    w('## Ratios, pair by pair (peer / mlsearch; above 1 means mlsearch is better)\n')
    w('| peer | index time | peak RSS | index size | query p50 | query p95 |')
    w('|---|---|---|---|---|---|')
    for t in tools:
        if t == ml:
            continue
        w('| %s | %s | %s | %s | %s | %s |' % (
            t, fmt(b[t]['seconds'] / b[ml]['seconds'], 2), fmt(b[t]['rss_mb'] / b[ml]['rss_mb'], 2),
            fmt(b[t]['size_mb'] / b[ml]['size_mb'], 2) if b[ml]['size_mb'] else 'n/a',
            fmt(pct(lat[t], 0.5) / pct(lat[ml], 0.5), 2),
            fmt(pct(lat[t], 0.95) / pct(lat[ml], 0.95), 2)))
    w('')
    w('## Start-up floor (the same harness, nothing searched)\n')
    w('Starting a process costs the same whatever it then does; these programs do '
      'nothing, timed exactly as the queries above (%d runs each).\n' % len(v['queries']))
    w('| program | p50 ms | p95 ms |')
    w('|---|---|---|')
    for name, (p50, p95) in v['floor'].items():
        w('| %s | %s | %s |' % (name, fmt(p50, 2), fmt(p95, 2)))
    w('')
    w('## File-level recall / precision per query class (%)\n')
    w('| class | ' + ' | '.join(tools) + ' |')
    w('|---|' + '---|' * len(tools))
    for cls in v['classes'] + ['all']:
        w('| %s | %s |' % (cls, ' | '.join(
            '%s / %s' % (fmt(100 * file_rp[t][cls][0]), fmt(100 * file_rp[t][cls][1]))
            for t in tools)))
    w('')
    w('## mlsearch: passage level, re-indexing, ranking\n')
    w('| figure | value |')
    w('|---|---|')
    r, p = passage_rp[ml]['all']
    w('| passage recall / precision, all queries | %s%% / %s%% |' % (fmt(100 * r), fmt(100 * p)))
    for cls in v['classes']:
        r, p = passage_rp[ml][cls]
        w('| passage recall / precision, %s | %s%% / %s%% |' % (cls, fmt(100 * r), fmt(100 * p)))
    w('| full index (copy of the 1x corpus) | %s s |' % fmt(v['full'], 2))
    w('| re-index, nothing changed | %s s (%s%% of full) |' % (
        fmt(v['nochange'], 2), fmt(100 * v['nochange'] / v['full'])))
    w('| re-index, one file changed | %s s (%s%% of full; %s s more than no change) |' % (
        fmt(v['onefile'], 2), fmt(100 * v['onefile'] / v['full']),
        fmt(v['onefile'] - v['nochange'], 2)))
    sz = v['upkeep']['sizes']
    w('| index size: built / after the one file changed | %s MB / %s MB |' % (
        fmt(sz['built']), fmt(sz['onefile'])))
    w('| re-index `--full`, nothing changed | %s s; %s, %s MB after |' % (
        fmt(v['upkeep']['rerun'], 2),
        'grew to %s MB and was compacted' % fmt(sz['rerun_grown']) if sz['rerun_grown']
        else 'not compacted', fmt(sz['rerun'])))
    w('| then one file changed, then `mlsearch compact` | %s MB, then %s MB (%s s) |' % (
        fmt(sz['onefile_again']), fmt(sz['compacted']), fmt(v['upkeep']['compact'], 2)))
    w('| known items: MRR (top 10; a hit of the same text as the item counts) | %s |'
      % fmt(v['mrr'], 3))
    w('| known items: ranked first / in top 3 | %s%% / %s%% (of %d) |' % (
        fmt(100 * v['first']), fmt(100 * v['top3']), v['n_ki']))
    w('')
    w('## Growth\n')
    w('| tool | scale | index s | index peak RSS MB | index MB | query p50 ms |')
    w('|---|---|---|---|---|---|')
    for t in v['growth']:
        g = v['growth'][t]
        for i, s in enumerate(v['scales']):
            w('| %s | %dx | %s | %s | %s | %s |' % (
                t, s, fmt(g['seconds'][i]), fmt(g['rss_mb'][i]), fmt(g['size_mb'][i]),
                fmt(g['p50'][i], 2)))
    w('')
    for png in v['pngs']:
        w('![%s](%s)\n' % (png[:-4], png))
    w('## Settings of each tool\n')
    for t in [Mlsearch()] + [Peer(p) for p in PEERS]:
        w('- **%s**: %s%s' % (t.name, t.describe,
                              ' (not run: %s)' % v['skipped'][t.name] if t.name in v['skipped'] else ''))
    w('')
    w('## Commands\n')
    w('```')
    seen = set()
    for c in COMMANDS:
        c = c.replace(REPO + '/', '')
        if c not in seen and len(seen) < 60:
            seen.add(c)
            w(c)
    w('```')
    with open(os.path.join(HERE, 'RESULTS.md'), 'w') as f:
        f.write('\n'.join(out) + '\n')


if __name__ == '__main__':
    main()
