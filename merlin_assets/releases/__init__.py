"""Releases: every publish of a site kept whole, history, diff, rollback and hand edits.

Pure logic; the Dagster job and the `merlin history|diff|rollback|edits` commands sit on top.

    manifest.py  what a release records: file hashes, run, config digest, changes
    text.py      the visible text of a page (what `merlin diff` compares)
    changes.py   what changed between two releases: pages, images, words per page
    retention.py which releases may go (pure)
    merge.py     three-way merge of a hand-edited file with the new generated one
    backends.py  where releases live: a local folder or an object store
    releases.py  publish, rollback, hand edits: one model over either backend
"""
