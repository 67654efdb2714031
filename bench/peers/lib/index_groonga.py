"""Build the groonga peer's index: INDEX_DIR/db (and its db.* files).

usage: /usr/bin/python3 index_groonga.py CORPUS_DIR INDEX_DIR
Schema, sent through the stdin of one `groonga -n INDEX_DIR/db` process:
    table_create Docs TABLE_HASH_KEY ShortText          (key: relative path)
    column_create Docs body COLUMN_SCALAR LongText
    load --table Docs  [...]                            (batches of ~4 MB)
    table_create Terms TABLE_PAT_KEY ShortText \
        --default_tokenizer TokenBigram --normalizer NormalizerAuto
    column_create Terms docs_body COLUMN_INDEX|WITH_POSITION Docs body
The index column is made after the load (groonga's faster static index
construction). LongText, not Text, so notes over 64 KiB are not cut.
"""
import json
import os
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ left in bench/peers/lib
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from corpus import md_files  # noqa: E402

BATCH_BYTES = 4 << 20


def commands(corpus, counter):
    yield 'table_create Docs TABLE_HASH_KEY ShortText\n'
    yield 'column_create Docs body COLUMN_SCALAR LongText\n'
    batch, size = [], 0

    def flush():
        return 'load --table Docs\n[\n' + ',\n'.join(batch) + '\n]\n'

    for path, text in md_files(corpus):
        counter[0] += 1
        rec = json.dumps({'_key': path, 'body': text}, ensure_ascii=False)
        batch.append(rec)
        size += len(rec)
        if size >= BATCH_BYTES:
            yield flush()
            batch, size = [], 0
    if batch:
        yield flush()
    yield ('table_create Terms TABLE_PAT_KEY ShortText '
           '--default_tokenizer TokenBigram --normalizer NormalizerAuto\n')
    yield 'column_create Terms docs_body COLUMN_INDEX|WITH_POSITION Docs body\n'


def main():
    corpus, index = sys.argv[1], sys.argv[2]
    os.makedirs(index, exist_ok=True)  # emptied by the adapter
    db = os.path.join(index, 'db')
    out_path = os.path.join(index, 'load.out')
    counter = [0]
    with open(out_path, 'wb') as out:
        proc = subprocess.Popen(['groonga', '--log-path', os.devnull, '-n', db],
                                stdin=subprocess.PIPE, stdout=out)
        try:
            for chunk in commands(corpus, counter):
                proc.stdin.write(chunk.encode('utf-8'))
        finally:
            proc.stdin.close()
        rc = proc.wait()
    loaded, errors = 0, []
    with open(out_path, encoding='utf-8', errors='replace') as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                res = json.loads(line)
            except ValueError:
                errors.append(line[:200])
                continue
            if res[0][0] != 0:
                errors.append(line[:200])
            elif isinstance(res[1], int) and not isinstance(res[1], bool):
                loaded += res[1]
    if rc != 0 or errors or loaded != counter[0]:
        sys.stderr.write('groonga: index failed (exit %d, %d of %d loaded): %s\n'
                         % (rc, loaded, counter[0], '; '.join(errors[:3])))
        sys.exit(1)
    os.remove(out_path)


if __name__ == '__main__':
    main()
