"""Images: one dynamic partition per planned image of each project."""
