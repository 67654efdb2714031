"""The one file walk that the indexing peers share (sqlite, groonga, xapian).

Every file named *.md under the corpus folder, skipping hidden files and
folders (names starting with '.') as mlsearch, ripgrep and Recoll do;
symbolic links to folders are not followed. Text is read as UTF-8 (a BOM
dropped, bad bytes replaced) and handed over unnormalized: width and case
folding are left to each tool.
"""
import os


def md_files(root):
    """Yield (relative path, text) for every *.md file under root, sorted."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith('.'))
        for name in sorted(filenames):
            if name.startswith('.') or not name.endswith('.md'):
                continue
            full = os.path.join(dirpath, name)
            if not os.path.isfile(full):
                continue
            with open(full, encoding='utf-8-sig', errors='replace') as f:
                text = f.read()
            yield os.path.relpath(full, root), text
