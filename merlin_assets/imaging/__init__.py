"""Image handling: offline illustrations drawn with Pillow, safe decoding and web encoding."""
