"""`merlin bench`: site build speed against sequential, the critical path and rate limits."""
