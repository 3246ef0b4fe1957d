"""Rendering: page contexts in, HTML, CSS, JS, sitemap and robots.txt out."""
