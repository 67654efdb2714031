"""Build the sqlite-trigram peer's index: INDEX_DIR/docs.db.

usage: /usr/bin/python3 index_sqlite.py CORPUS_DIR INDEX_DIR
One FTS5 table, docs(path UNINDEXED, body, tokenize='trigram'), filled in
one transaction and then merged into one b-tree ('optimize').
"""
import os
import sqlite3
import sys

sys.dont_write_bytecode = True  # no __pycache__ left in bench/peers/lib
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from corpus import md_files  # noqa: E402


def main():
    corpus, index = sys.argv[1], sys.argv[2]
    os.makedirs(index, exist_ok=True)  # emptied by the adapter
    db = os.path.join(index, 'docs.db')
    con = sqlite3.connect(db)
    con.execute("CREATE VIRTUAL TABLE docs USING "
                "fts5(path UNINDEXED, body, tokenize='trigram')")
    with con:
        con.executemany('INSERT INTO docs(path, body) VALUES (?, ?)',
                        md_files(corpus))
    with con:
        con.execute("INSERT INTO docs(docs) VALUES ('optimize')")
    con.close()


if __name__ == '__main__':
    main()
