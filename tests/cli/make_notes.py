#!/usr/bin/env python3
"""Writes a tree of N generated notes, mixed Japanese and English, for the
crash, lock and signal tests: make_notes.py N DIR [VERSION].  The same N
and VERSION always give the same tree; another VERSION changes every
note's content (and size), as a night of edits would."""
import os
import sys

WORDS = ['推論', 'サーバー', '設計', '会議', 'ログ', '学習', 'モデル', '評価',
         'index', 'search', 'latency', 'shard', 'commit', 'crash', 'queue', 'cron']


def note(i, version):
    w = lambda k: WORDS[(i * 7 + k * 3 + version) % len(WORDS)]
    lines = ['# 会議メモ %05d' % i, '']
    for p in range(6):
        lines.append('note%05d %s %s の %s について。 version%d word%d %s %s' % (
            i, w(p), w(p + 1), w(p + 2), version, p, w(p + 3), 'x' * ((i + p) % 40)))
        lines.append('')
    lines += ['- 項目 %s' % w(9), '  - 子 %s' % w(10), '', '```', 'code %d' % i, '```', '']
    return '\n'.join(lines)


def main():
    n, root = int(sys.argv[1]), sys.argv[2]
    version = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    for i in range(n):
        d = os.path.join(root, 'd%02d' % (i // 100))
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, 'n%05d.md' % i), 'w') as f:
            f.write(note(i, version))


if __name__ == '__main__':
    main()
