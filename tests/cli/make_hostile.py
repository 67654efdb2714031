#!/usr/bin/env python3
"""Writes the hostile notes of tests/cli/hostile.bats into DIR: notes that
have broken other indexers (huge, deep, binary, badly encoded, badly
named), each with a word of its own to search for, beside one ordinary
note that must come through.  make_hostile.py DIR.  FIFOs and device
nodes are made by the test itself.  With --small, neither the 50 MB note nor
the 200,000 list items (for valgrind, which would take minutes over them)."""
import os
import sys

NOTES = {
    # 50 MB on one line, a word at either end.
    'bigline.md': None,
    # 10,000 levels of nesting, of a list and of a block quote.
    'deeplist.md': '- ' * 10000 + 'deepitem\n',
    'deepquote.md': '> ' * 10000 + 'deepquote\n',
    'deepmixed.md': '> - ' * 5000 + 'deepmixed\n',
    # 200,000 list items, each a passage of its own.
    'manyitems.md': ''.join('- item%d\n' % i for i in range(1, 200001)),
    # Nothing but combining marks: text without a single base character.
    'combining.md': '\u0301' * 100000 + '\n',
    # One word of a megabyte, and two megabytes of Japanese without a space.
    'longword.md': 'longwordstart ' + 'a' * 1000000 + ' longwordend\n',
    'longcjk.md': '長文開始' + '推論サーバーの設計' * 80000 + '長文終了\n',
    # Escape sequences and a bidi override, which must not reach a terminal.
    'control.md': '\x1b[31mred\x1b[0m controlword \u202e desrever\n',
    'ok.md': '# Survivor\n\nsurvivor note\n',
}

BIG = ('bigline.md', 'manyitems.md')

BINARY = {
    # A lone surrogate (ED A0 80) and overlong encodings (C0 AF, E0 80 AF).
    'badutf8.md': b'lone \xed\xa0\x80 and overlong \xc0\xaf \xe0\x80\xaf utf8survivor\n',
    'nul.md': b'text\x00with a nul byte nulword\n',
    'image.md': b'\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR' + bytes(range(256)) * 4,
    # A newline, a colon and an invalid byte in the file name.
    b'we\nird:name\xff.md': b'weirdname note\n',
}


def big_line():
    unit = 'alpha 推論サーバー beta '.encode()
    body = unit * (50 * 1024 * 1024 // len(unit))
    return b'bigstart ' + body + b'bigend\n'


def main():
    root = sys.argv[1]
    os.makedirs(root, exist_ok=True)
    for name, text in NOTES.items():
        if name in BIG and '--small' in sys.argv[2:]:
            continue
        data = big_line() if text is None else text.encode()
        with open(os.path.join(root, name), 'wb') as f:
            f.write(data)
    for name, data in BINARY.items():
        path = os.path.join(os.fsencode(root), os.fsencode(name))
        with open(path, 'wb') as f:
            f.write(data)


if __name__ == '__main__':
    main()
