"""What each config field should look like, with a one-line example, for error messages.

A refused config names the file and the field and then shows the shape the field expects, so
the person can fix it without reading the model. Keys are field paths without list indices
("testimonials.quote" covers "testimonials[3].quote"); the most specific key that matches wins.
"""

from __future__ import annotations

import datetime as _dt
import re

# field path -> (expected shape, one-line YAML example)
FIELD_EXAMPLES: dict[str, tuple[str, str]] = {
    "id": ("1-63 characters of a-z, 0-9 and '-'", "id: crumb-and-co"),
    "name": ("the business name, 1-80 characters", "name: Crumb & Co Bakery"),
    "industry": ("a short description of the trade, 2-80 characters", "industry: Bakery and cafe"),
    "description": ("text up to 2000 characters", "description: A family-run sourdough bakery."),
    "location": ("text up to 120 characters", "location: Leith, Edinburgh"),
    "services": (
        "a list of up to 60 short texts",
        "services: [Sourdough bread, Celebration cakes]",
    ),
    "audiences": ("a list of up to 10 short texts", "audiences: [Local families, Cafes]"),
    "tone": ("text up to 120 characters", "tone: warm, crafted, a little playful"),
    "goals": ("a list of up to 10 short texts", "goals: [Take more cake orders online]"),
    "notes": ("text up to 2000 characters", "notes: Closed on bank holidays."),
    "url": ("the site's https address, host only", "url: https://crumbandco.com"),
    "max_cost_usd": ("a number of dollars above 0 and at most 1000", "max_cost_usd: 5"),
    "brand": (
        "a mapping with colors and fonts",
        'brand: {colors: ["#0B3D91", "#00C2A8"], fonts: {heading: Inter}}',
    ),
    "brand.colors": (
        "a list of hex colours or a mapping",
        'colors: ["#0B3D91", "#00C2A8"]',
    ),
    "brand.colors.primary": ('a quoted hex colour "#RRGGBB"', 'primary: "#0B3D91"'),
    "brand.colors.secondary": ('a quoted hex colour "#RRGGBB"', 'secondary: "#00C2A8"'),
    "brand.colors.accent": ('a quoted hex colour "#RRGGBB"', 'accent: "#F2A900"'),
    "brand.fonts": (
        "a mapping of heading and body font names",
        "fonts: {heading: Playfair Display, body: Source Sans 3}",
    ),
    "brand.fonts.heading": (
        "a font name of letters, digits, spaces and hyphens",
        "heading: Playfair Display",
    ),
    "brand.fonts.body": (
        "a font name of letters, digits, spaces and hyphens",
        "body: Source Sans 3",
    ),
    "testimonials": (
        "a list of up to 30 {quote, name, role?}",
        'testimonials: [{quote: "Best sourdough in Leith.", name: Aisha Khan, role: Regular}]',
    ),
    "testimonials.quote": (
        "the customer's words, up to 600 characters",
        'quote: "Best sourdough in Leith."',
    ),
    "testimonials.name": ("who said it, 1-80 characters", "name: Aisha Khan"),
    "testimonials.role": ("who they are, up to 120 characters", "role: Regular since 2019"),
    "team": (
        "a list of up to 50 {name, role, bio?}",
        "team: [{name: Dana Whitfield, role: Managing partner}]",
    ),
    "team.name": ("a person's name, 1-80 characters", "name: Dana Whitfield"),
    "team.role": ("their role, 1-120 characters", "role: Managing partner"),
    "team.bio": ("text up to 1000 characters", "bio: Twenty years in employment law."),
    "hours": (
        "a mapping of day to hours, or a list of {days, opens, closes}",
        'hours: {mon-fri: "08:00-17:00", sat: "09:00-13:00", sun: closed}',
    ),
    "contact": (
        "a mapping with phone, email, address and map_url, all optional",
        'contact: {phone: "+44 131 555 0199", email: hello@crumbandco.com}',
    ),
    "contact.phone": (
        "quoted text of digits, spaces and + ( ) - .",
        'phone: "+44 131 555 0199"',
    ),
    "contact.email": ("an email address", "email: hello@crumbandco.com"),
    "contact.address": ("text up to 300 characters", "address: 12 Shore Road, Leith EH6 6QW"),
    "contact.map_url": (
        "an https address",
        "map_url: https://maps.google.com/?q=12+Shore+Road+Leith",
    ),
    "offers": (
        "a list of up to 60 {name, price?, description?}",
        'offers: [{name: Celebration cake, price: "from £45"}]',
    ),
    "offers.photo": ("the file of one of the config's photos", "photo: media/service.jpg"),
    "team.photo": ("the file of one of the config's photos", "photo: media/aisha.jpg"),
    "brand.logo": ("an SVG, PNG, JPEG or WebP file beside the config", "logo: media/logo.svg"),
    "brand.logo_dark": (
        "an SVG, PNG, JPEG or WebP file for dark backgrounds",
        "logo_dark: media/logo-white.svg",
    ),
    "brand.icon": ("a square SVG, PNG, JPEG or WebP mark", "icon: media/mark.svg"),
    "photos": (
        "a list of {file, alt, use?, focus?}",
        'photos: [{file: media/shop.jpg, alt: "Our shop front on Leith Walk", use: hero}]',
    ),
    "photos.file": ("a JPEG, PNG or WebP path relative to the config", "file: media/shop.jpg"),
    "photos.alt": ("what the photo shows, up to 125 characters", "alt: Our shop front at dawn"),
    "photos.use": ("hero, about, gallery, team, service or any", "use: gallery"),
    "photos.focus": ("the focal point x,y, each between 0 and 1", "focus: 0.3,0.6"),
    "offers.name": ("1-120 characters", "name: Boiler service"),
    "offers.price": ("a short text up to 40 characters", 'price: "from $120"'),
    "offers.description": ("text up to 600 characters", "description: Annual safety check."),
    "founded": (
        f"a year from 1000 to {_dt.date.today().year}",
        "founded: 1998",
    ),
    "accreditations": (
        "a list of up to 30 short texts",
        "accreditations: [Gas Safe registered, OFTEC registered]",
    ),
    "form_endpoint": (
        "an https address that accepts the contact form",
        "form_endpoint: https://formspree.io/f/xyzabcd",
    ),
    "publish": (
        "a list of hosts, each with `host:` folder, s3, github_pages or netlify",
        "publish: [{host: netlify, site_id: crumb-and-co, token_env: NETLIFY_AUTH_TOKEN}]",
    ),
}

_INDEX = re.compile(r"\[\d+\]")


def example_for(field: str) -> tuple[str, str] | None:
    """The (expected shape, example) for a field path such as 'team[2].role', or None."""
    key = _INDEX.sub("", field)
    while key:
        if key in FIELD_EXAMPLES:
            return FIELD_EXAMPLES[key]
        key = key.rpartition(".")[0]
    return None


def hint_for(field: str) -> str:
    """'expected <shape>, e.g. <example>' for a field path, or '' when the table has none."""
    found = example_for(field)
    if found is None:
        return ""
    expected, example = found
    return f"expected {expected}, e.g. {example}"
