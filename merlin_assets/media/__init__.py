"""The business's own media: logo and photos, checked, cleaned, cropped, encoded and cached.

Pure logic only; the image nodes (phases/site_images.py, phases/brand_kit.py), render and the
CLI call into it. Its config fields live below it, in config/media.py; `load.load_with_media`
is the config loaded with its files checked.
"""
