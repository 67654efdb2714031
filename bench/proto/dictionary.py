#!/usr/bin/python3
"""How much a zlib preset dictionary would save on an index's stored data.

usage: /usr/bin/python3 dictionary.py INDEX/gen-N

Glass compresses each record and each text chunk alone, with zlib, so a
small note's text compresses poorly (nothing before it to refer to).  This
compresses the same records and chunks again, at Xapian's level, with no
dictionary, with the last 32 KiB of the repository's corpus/ as one, and
with 32 KiB sampled from the index's own records (every 97th record)."""
import glob
import os
import sys
import zlib

import xapian

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def stored(db):
    records, chunks = [], []
    for did in range(1, db.get_lastdocid() + 1):
        try:
            data = db.get_document(did).get_data()
        except xapian.DocNotFoundError:
            continue
        if data[:5] == b'mlsn2':
            records.append(data)
        elif data[:5] == b'mlst2':
            chunks.append(data)
    return records, chunks


def compressed(data, zdict):
    if zdict is None:
        c = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION)
    else:
        c = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, 15, 9,
                             zlib.Z_DEFAULT_STRATEGY, zdict)
    return len(c.compress(data) + c.flush())


def main():
    records, chunks = stored(xapian.Database(sys.argv[1]))
    corpus = b''.join(open(f, 'rb').read()
                      for f in sorted(glob.glob(os.path.join(ROOT, 'corpus', '**', '*.md'),
                                                recursive=True)))
    dictionaries = [('none', None), ('corpus/', corpus[-32768:]),
                    ('own records', b''.join(records[::97])[-32768:])]
    print('| dictionary | records MB | chunks MB |')
    print('|---|---|---|')
    for name, zdict in dictionaries:
        print('| %s | %.2f | %.2f |' % (name, sum(compressed(r, zdict) for r in records) / 1e6,
                                         sum(compressed(c, zdict) for c in chunks) / 1e6))


if __name__ == '__main__':
    main()
