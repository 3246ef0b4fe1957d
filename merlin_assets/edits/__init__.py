"""The edits file: `<config name>.edits.yaml` beside a config overrides what was generated.

    model.py    what the file may say (pages, sections, images), checked like a config
    loading.py  reading it: its shape, then every page, section and image it names against
                the site that was built, then the user's image files
    state.py    the checked edits as the project keeps them, with pinned content
    apply.py    one page's copy and titles with the edits applied (pure)

Applying edits calls no model: the pages are rendered again from stored results (see
`merlin_assets.defs.edits`).
"""
