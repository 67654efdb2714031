#!/usr/bin/env python3
"""make bench, its last part: query latency over notebooks (shards).

The 1x corpus of bench/run.py (bench/data/base) is split into k notebooks,
k = 1, 2, 4, 8: its files dealt in turn, in path order, each notebook
indexed into an index of its own.  The same queries (bench/data/queries.json,
the first --per-class of each class, quoted as run.py quotes them) then
run as new processes over all k notebooks joined: local (the indexes on
disk) and remote (each served by `mlsearch serve`, xapian-tcpsrv, on
127.0.0.1).  Every configuration must return the same top 10 as one
index (the same scores, the same passages above the 10th score: among
equal scores the order is each index's own), which is checked.

Writes the "Notebooks (shards)" section of bench/RESULTS.md, between
its markers, and prints it.  Usage: python3 bench/shards.py [--per-class 10]
"""
import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DATA = os.path.join(HERE, 'data')
WORK = os.path.join(DATA, 'shards')
MLSEARCH = os.path.join(REPO, 'build', 'mlsearch')
RESULTS = os.path.join(HERE, 'RESULTS.md')
BEGIN, END = '<!-- shards: begin -->', '<!-- shards: end -->'
SHARDS = (1, 2, 4, 8)


def log(msg):
    print('bench/shards: ' + msg, file=sys.stderr, flush=True)


def notes_of(corpus):
    out = []
    for root, _, files in os.walk(corpus):
        out += [os.path.relpath(os.path.join(root, f), corpus) for f in files if f.endswith('.md')]
    return sorted(out)


def split(corpus, k):
    """Hard links of the corpus's notes into k folders, dealt in turn."""
    dirs = [os.path.join(WORK, '%d' % k, 'notes-%d' % i) for i in range(k)]
    for i, rel in enumerate(notes_of(corpus)):
        dest = os.path.join(dirs[i % k], rel)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        os.link(os.path.join(corpus, rel), dest)
    return dirs


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def write_config(path, lines):
    os.makedirs(os.path.join(path, 'mlsearch'), exist_ok=True)
    with open(os.path.join(path, 'mlsearch', 'config'), 'w') as f:
        f.write('\n'.join(lines) + '\n')


def env_for(config_home):
    env = dict(os.environ, XDG_CONFIG_HOME=config_home,
               MLSEARCH_DB=os.path.join(WORK, 'no-default-index'))
    return env


def latency(env, query):
    """Seconds for one search as a user runs it (a new process, top 10)."""
    cmd = [MLSEARCH, '--color=never', '-n', '10', '--', query]
    t = time.perf_counter()
    p = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if p.returncode not in (0, 1) or p.stderr:
        raise SystemExit('bench/shards: %s: exit %d: %s' % (query, p.returncode, p.stderr.decode()))
    return time.perf_counter() - t


def top10(env, query):
    """The top 10 as it must not change with the notebooks: the passages in
    rank order, those of equal scores as one group (their order is each
    index's own), but the last group (which of equal passages make the
    10 is too); and their scores, apart."""
    cmd = [MLSEARCH, '--json', '--no-collapse', '-n', '10', '--', query]
    p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, check=False)
    hits = []
    for line in p.stdout.decode().splitlines():
        o = json.loads(line)
        if o['type'] == 'match':
            d = o['data']
            path = d['path']['text'].split('/notes-', 1)[-1].split('/', 1)[-1]
            hits.append((round(d['score'], 4), path, d['line']))
    groups = []
    for score, path, line in hits:
        if not groups or groups[-1][0] != score:
            groups.append((score, set()))
        groups[-1][1].add((path, line))
    if len(hits) == 10:
        groups.pop()
    return [g[1] for g in groups], [h[0] for h in hits]


def wait_for(port):
    for _ in range(100):
        try:
            socket.create_connection(('127.0.0.1', port)).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit('bench/shards: nothing listens on port %d' % port)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--per-class', type=int, default=10)
    args = ap.parse_args()
    corpus = os.path.join(DATA, 'base')
    with open(os.path.join(DATA, 'queries.json')) as f:
        queries = json.load(f)['queries']
    picked, per = [], {}
    for q in queries:
        if per.get(q['class'], 0) < args.per_class:
            per[q['class']] = per.get(q['class'], 0) + 1
            picked.append('"%s"' % q['query'].replace('"', ' '))
    shutil.rmtree(WORK, ignore_errors=True)
    rows, reference, differ = [], None, set()
    for k in SHARDS:
        dirs = split(corpus, k)
        local = os.path.join(WORK, '%d' % k, 'config-local')
        lines = []
        for i, d in enumerate(dirs):
            idx = os.path.join(WORK, '%d' % k, 'idx-%d' % i)
            lines += ['notebook nb%d' % i, 'root %s' % d, 'db %s' % idx]
        write_config(local, lines)
        log('%d notebooks: indexing' % k)
        t = time.perf_counter()
        subprocess.run([MLSEARCH, 'index'], env=env_for(local), check=True,
                       stderr=subprocess.DEVNULL)
        index_s = time.perf_counter() - t
        servers, remote_lines = [], []
        for i in range(k):
            port = free_port()
            servers.append(subprocess.Popen(
                [MLSEARCH, 'serve', '--port', str(port), 'nb%d' % i], env=env_for(local),
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True))
            wait_for(port)
            remote_lines += ['notebook nb%d' % i, 'remote 127.0.0.1:%d' % port]
        remote = os.path.join(WORK, '%d' % k, 'config-remote')
        write_config(remote, remote_lines)
        try:
            for mode, cfg in (('local', local), ('loopback', remote)):
                log('%d notebooks, %s: %d queries' % (k, mode, len(picked)))
                lats, same = [], 0
                results = []
                for q in picked:
                    lats.append(latency(env_for(cfg), q) * 1000)
                    results.append(top10(env_for(cfg), q))
                if reference is None:
                    reference = results
                same = sum(1 for a, b in zip(results, reference) if a[0] == b[0])
                differ.update(q for q, a, b in zip(picked, results, reference) if a != b)
                scores = sum(1 for a, b in zip(results, reference) if a[1] == b[1])
                rows.append({'k': k, 'mode': mode, 'p50': statistics.median(lats),
                             'p95': sorted(lats)[int(0.95 * (len(lats) - 1))],
                             'same': same, 'scores': scores, 'n': len(picked),
                             'index_s': index_s})
        finally:
            for s in servers:
                s.terminate()
                s.wait()
    base = {r['mode']: r['p50'] for r in rows if r['k'] == 1}
    out = [BEGIN, '## Notebooks (shards)', '',
           'The 1x corpus (%d notes) dealt into k notebooks, each its own index, '
           'searched as one (one Xapian search over all of them); %d queries (%d of each '
           'class, quoted), each a new process, top 10. Local: the indexes on disk; '
           'loopback: each served by `mlsearch serve` (xapian-tcpsrv) on 127.0.0.1. '
           '"Same top 10": queries whose top 10 ranks the passages of one index in its '
           'order (among equal scores, and which of them make the 10th, the order is each '
           "index's own); \"same scores\": also with the same scores. The queries that "
           'differ are all one Japanese character, which mlsearch searches as a prefix '
           "(every term starting with it): Xapian 1.4 weighs a prefix's terms with each "
           "index's own statistics, so their scores, and at times their order, move a "
           'little with the notebooks: %s. '
           'Command: `python3 bench/shards.py` (part of `make bench`).'
           % (len(notes_of(corpus)), len(picked), args.per_class,
              ', '.join(sorted(differ)) or 'none'), '',
           '| notebooks | mode | p50 ms | p95 ms | p50 / 1 notebook | same top 10 | same scores '
           '| index s |',
           '|---|---|---|---|---|---|---|---|']
    for r in rows:
        out.append('| %d | %s | %.2f | %.2f | %.2fx | %d / %d | %d / %d | %.1f |' % (
            r['k'], r['mode'], r['p50'], r['p95'], r['p50'] / base[r['mode']], r['same'],
            r['n'], r['scores'], r['n'], r['index_s']))
    out += ['', END]
    section = '\n'.join(out)
    text = open(RESULTS).read() if os.path.exists(RESULTS) else ''
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + section + text[text.index(END) + len(END):]
    else:
        text = text.rstrip('\n') + '\n\n' + section + '\n'
    with open(RESULTS, 'w') as f:
        f.write(text)
    print(section)
    # Anything else than a one-character query ranking otherwise is a bug.
    bad = [q for q in differ if len(q) != 3]
    if bad:
        raise SystemExit('bench/shards: rankings differ from one index: %s' % bad)


if __name__ == '__main__':
    main()
