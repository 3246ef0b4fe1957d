"""The business's own media: logo and photos, checked, cleaned, cropped, encoded and cached.

Pure logic only; the image nodes (phases/site_images.py, phases/brand_kit.py) call into it.
"""
