"""One step per project that runs every phase the moment its inputs exist."""
