"""Pages: one dynamic partition per planned page of each project."""
