"""Privacy notice: a page that says what the site collects and whom to ask about it.

Written by rules from the config's facts, with no model call (nothing to invent, nothing to
pay): who is responsible (the business's name and address), what the contact form sends and
where (only when the config gives a form endpoint), and how to reach the business (its e-mail,
phone or postal address, as given). That the pages set no cookies and load nothing from other
sites is how every page is made: its Content-Security-Policy allows only the site itself.
It says nothing the config does not give: no retention period, no legal basis, no processors.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from merlin_assets.config.project import ProjectConfig
from merlin_assets.phases.site_pages.declared import DeclaredPageNode, PageHead
from merlin_assets.types.field_limits import TITLE_MAX
from merlin_assets.types.pages import SitePage
from merlin_assets.types.site_copy import PageCopy, SectionCopy

PAGE = SitePage(slug="privacy", label="Privacy")

TEMPLATE = """{% extends "base.html" %}
{% block main %}
<section class="section tone-plain">
  <div class="container section-head">
    <h1 class="section-title">Privacy notice</h1>
{% for s in copy.sections %}
    <h2>{{ s.heading }}</h2>
    <p>{{ s.body }}</p>
{% endfor %}
  </div>
</section>
{% endblock %}
"""


def _name(config: ProjectConfig) -> str:
    return " ".join(config.name.split())


def _who(config: ProjectConfig) -> str:
    address = config.contact.address if config.contact else None
    where = " ".join((address or "").split())
    if where:
        return f"This notice is from {_name(config)}, {where}."
    location = " ".join(config.location.split())
    return f"This notice is from {_name(config)}" + (f" in {location}." if location else ".")


def _collects(config: ProjectConfig) -> str:
    pages = "The pages of this site set no cookies and load nothing from other websites."
    if config.form_endpoint is None:
        return f"This site has no contact form, so it asks you for nothing. {pages}"
    host = urlsplit(config.form_endpoint).hostname or config.form_endpoint
    return (
        "If you send us a message with the contact form, the name, email address and message "
        f"you type are sent to {host}, which passes them on to us so that we can reply. {pages}"
    )


def _reach(config: ProjectConfig) -> str:
    contact = config.contact
    ways = []
    if contact and contact.email:
        ways.append(f"email {contact.email}")
    if contact and contact.phone:
        ways.append(f"call {contact.phone}")
    if contact and contact.address:
        ways.append(f"write to {_name(config)}, {' '.join(contact.address.split())}")
    if not ways:
        location = " ".join(config.location.split())
        ways.append(f"ask us in person in {location}" if location else "ask us in person")
    how = ways[0] if len(ways) == 1 else ", ".join(ways[:-1]) + " or " + ways[-1]
    return f"To ask what information we hold about you, or to have it corrected or deleted, {how}."


def write(config: ProjectConfig) -> PageCopy:
    """The notice, one section per question a visitor asks."""
    said = [
        ("who", "Who we are", _who(config)),
        ("collected", "What this site collects", _collects(config)),
        ("ask", "Asking about your information", _reach(config)),
    ]
    return PageCopy(
        slug=PAGE.slug,
        sections=[
            SectionCopy(key=key, eyebrow="", heading=heading, body=body, bullets=[], cta_label="")
            for key, heading, body in said
        ],
    )


def head(config: ProjectConfig) -> PageHead:
    title = f"Privacy notice | {_name(config)}"
    return PageHead(
        # A name of up to 80 characters would pass the 60 a title may have (the quality check's).
        title=title if len(title) <= TITLE_MAX else "Privacy notice",
        description=f"What the {_name(config)} website collects and how to ask about it.",
    )


NODE = DeclaredPageNode(
    name="privacy_notice",
    group="pages",
    description="The privacy notice: what the site collects and whom to ask, from the config.",
    pages=(PAGE,),
    write=write,
    head=head,
    template=TEMPLATE,
)
