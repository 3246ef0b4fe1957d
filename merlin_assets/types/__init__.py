"""The bottom layer: value types and limits that every other package shares, importing nothing
of ours above them."""
