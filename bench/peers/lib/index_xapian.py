"""Build the xapian-ngram peer's index: a Xapian database in INDEX_DIR.

usage: /usr/bin/python3 index_xapian.py CORPUS_DIR INDEX_DIR
One document a file: its text through xapian.TermGenerator with
FLAG_CJK_NGRAM (CJK runs as unigrams + bigrams, other words lowercased,
with positions, no stemmer), its relative path as the document data (what
quest prints) and a unique boolean term Q<path>.
"""
import os
import sys

import xapian

sys.dont_write_bytecode = True  # no __pycache__ left in bench/peers/lib
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from corpus import md_files  # noqa: E402


def main():
    corpus, index = sys.argv[1], sys.argv[2]
    os.makedirs(index, exist_ok=True)  # emptied by the adapter
    db = xapian.WritableDatabase(index, xapian.DB_CREATE_OR_OVERWRITE)
    tg = xapian.TermGenerator()
    tg.set_flags(xapian.TermGenerator.FLAG_CJK_NGRAM)
    db.begin_transaction(False)
    for path, text in md_files(corpus):
        doc = xapian.Document()
        tg.set_document(doc)
        tg.index_text(text)
        doc.set_data(path)
        doc.add_boolean_term('Q' + path[:230])
        db.add_document(doc)
    db.commit_transaction()
    db.close()


if __name__ == '__main__':
    main()
