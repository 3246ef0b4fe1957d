"""The config's `publish:` section: every valid entry is kept as written, and any invalid one is
refused with an error that names the file and the exact field, and never echoes a secret."""

from __future__ import annotations

import json

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from merlin_assets.config.project import ConfigError, parse_config_text

HEADER = {"name": "Crumb & Co", "industry": "Bakery"}
SOURCE = "projects/crumb.yaml"

env_names = st.from_regex(r"\A[A-Z_][A-Z0-9_]{0,20}\Z")
# Something that looks like the token itself pasted where its variable's name belongs.
pasted_tokens = st.from_regex(r"\Anfp_[a-z0-9]{16,40}\Z") | st.from_regex(
    r"\Aghp_[A-Za-z0-9]{30}\Z"
)
words = st.from_regex(r"\A[a-z0-9][a-z0-9-]{1,20}[a-z0-9]\Z")

VALID: dict[str, dict[str, st.SearchStrategy]] = {
    "folder": {"path": st.sampled_from(["/srv/www/crumb", "/var/www/html"])},
    "s3": {
        "bucket": words,
        "prefix": st.sampled_from(["", "sites/crumb", "a/b/c"]),
        "region": st.sampled_from(["eu-west-2", "us-east-1", "ap-southeast-2"]),
        "endpoint_url": st.sampled_from(["http://127.0.0.1:9000", "https://s3.example.com"]),
        "cloudfront_distribution_id": st.from_regex(r"\A[A-Z0-9]{13,14}\Z"),
        "access_key_id_env": env_names,
        "secret_access_key_env": env_names,
        "url": st.sampled_from(["https://crumbandco.com", "https://www.crumb.co.uk/"]),
    },
    "github_pages": {
        "remote": st.sampled_from(
            [
                "https://github.com/crumb/site.git",
                "git@github.com:crumb/site.git",
                "ssh://git@git.example.com:2222/crumb/site.git",
                "file:///srv/git/site.git",
                "/srv/git/site.git",
            ]
        ),
        "branch": st.sampled_from(["gh-pages", "main", "site/live", "release-2026.12"]),
        "token_env": env_names,
    },
    "netlify": {
        "site_id": words | st.uuids().map(str),
        "token_env": env_names,
        "api_url": st.sampled_from(["https://api.netlify.com", "http://127.0.0.1:8123"]),
    },
}
REQUIRED = {"folder": (), "s3": ("bucket",), "github_pages": ("remote",), "netlify": ("site_id",)}

INVALID: dict[str, dict[str, st.SearchStrategy]] = {
    "folder": {"path": st.sampled_from(["relative/dir", "", "www"])},
    "s3": {
        "bucket": st.sampled_from(["Crumb", "a", "under_score", "-lead", "x" * 64, "trail-"]),
        "prefix": st.sampled_from(["../up", "a/../b", "a//b", "sp ace", "a\\b"]),
        "region": st.sampled_from(["EU-WEST-2", "eu-west", "mars", "eu_west_2"]),
        "endpoint_url": st.sampled_from(["ftp://127.0.0.1", "127.0.0.1:9000", "javascript:x"]),
        "cloudfront_distribution_id": st.sampled_from(["e2qwruhapomqzl", "E2-QW", "E"]),
        "access_key_id_env": pasted_tokens,
        "secret_access_key_env": pasted_tokens,
        "session_token_env": st.sampled_from(["aws-token", "1TOKEN", ""]),
        "url": st.sampled_from(["crumbandco.com", "https://exa mple.com"]),
    },
    "github_pages": {
        "remote": st.sampled_from(
            [
                "-oProxyCommand=touch /tmp/x",
                "--upload-pack=evil",
                "https://crumb:ghp_secret1234@github.com/crumb/site.git",
                "relative/path.git",
                "",
            ]
        ),
        "branch": st.sampled_from(["-f", "a..b", "x.lock", "trailing/", "sp ace", "a@{1}"]),
        "token_env": pasted_tokens,
        "url": st.sampled_from(["site.example.com"]),
    },
    "netlify": {
        "site_id": st.sampled_from(["-crumb", "crumb/site", "", "a b"]),
        "token_env": pasted_tokens,
        "api_url": st.sampled_from(["api.netlify.com", "ftp://api.netlify.com", "file:///etc"]),
    },
}
# The mutations any entry can suffer besides a bad value for one of its fields.
COMMON_INVALID = {"name": st.sampled_from(["Bad Name", "-x", "UPPER", "a" * 41])}


@st.composite
def entries(draw, kind: str | None = None) -> dict:
    kind = kind or draw(st.sampled_from(sorted(VALID)))
    fields = VALID[kind]
    entry: dict = {"host": kind}
    for field in REQUIRED[kind]:
        entry[field] = draw(fields[field])
    for field in draw(st.sets(st.sampled_from(sorted(fields)))):
        entry[field] = draw(fields[field])
    return entry


def _named(items: list[dict]) -> list[dict]:
    """Distinct `name`s so several entries of one kind are allowed together."""
    return [{**e, "name": f"host-{i}"} for i, e in enumerate(items)]


def _parse(publish: object, as_json: bool):
    data = {**HEADER, "publish": publish}
    if as_json:
        return parse_config_text(json.dumps(data), source="projects/crumb.json", suffix=".json")
    return parse_config_text(yaml.safe_dump(data), source=SOURCE, suffix=".yaml")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(entries(), min_size=1, max_size=4), st.booleans())
def test_valid_publish_entries_are_kept_as_written(items, as_json):
    publish = _named(items)
    config = _parse(publish, as_json)
    assert len(config.publish) == len(publish)
    for written, parsed in zip(publish, config.publish, strict=True):
        got = parsed.model_dump()
        for field, value in written.items():
            expected = value.strip("/") if field == "prefix" else value
            assert got[field] == expected, field


@st.composite
def broken(draw) -> tuple[list[dict], int, str, str]:
    """A publish list with exactly one thing wrong, where it is and what the error must name."""
    items = _named(draw(st.lists(entries(), min_size=1, max_size=3)))
    at = draw(st.integers(0, len(items) - 1))
    entry = dict(items[at])
    kind = entry["host"]
    how = draw(st.sampled_from(["value", "unknown", "missing", "type", "host", "name"]))
    if how == "missing" and not REQUIRED[kind]:
        how = "unknown"
    field = ""
    secret = ""
    if how == "value":
        field = draw(st.sampled_from(sorted(INVALID[kind])))
        entry[field] = draw(INVALID[kind][field])
        if field.endswith("_env"):
            secret = entry[field]
    elif how == "unknown":
        field = draw(st.sampled_from(["token", "bucket_name", "password", "Region", "extra"]))
        if field in VALID[kind]:
            field = "extra"
        entry[field] = draw(st.text(max_size=10) | st.integers())
    elif how == "missing":
        field = draw(st.sampled_from(REQUIRED[kind]))
        entry.pop(field, None)
    elif how == "type":
        field = draw(st.sampled_from(sorted({*VALID[kind], *REQUIRED[kind]})))
        entry[field] = draw(st.sampled_from([["a"], {"a": 1}, 12345, True]))
    elif how == "name":
        field = "name"
        entry[field] = draw(COMMON_INVALID["name"])
    else:
        entry["host"] = draw(st.sampled_from(["ftp", "S3", "gh_pages", "vercel", ""]))
        items[at] = entry
        return items, at, f"publish[{at}]", ""
    items[at] = entry
    return items, at, f"publish[{at}].{kind}.{field}", secret


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(broken(), st.booleans())
def test_any_invalid_publish_entry_names_the_file_and_the_field(case, as_json):
    publish, _, field, secret = case
    with pytest.raises(ConfigError) as info:
        _parse(publish, as_json)
    source = "projects/crumb.json" if as_json else SOURCE
    message = str(info.value)
    assert info.value.field == field, message
    assert message.startswith(f"{source}: field '{field}': "), message
    assert "\n" not in message
    if secret:
        assert secret not in message


def test_two_hosts_under_one_name_are_refused_by_name():
    twice = [{"host": "netlify", "site_id": "a"}, {"host": "netlify", "site_id": "b"}]
    with pytest.raises(ConfigError, match="two hosts are named 'netlify'") as info:
        _parse(twice, as_json=False)
    assert info.value.field == "publish"


def test_a_token_in_a_remote_url_is_refused_without_showing_it():
    remote = "https://crumb:ghp_abcdefghijklmnop1234@github.com/crumb/site.git"
    with pytest.raises(ConfigError) as info:
        _parse([{"host": "github_pages", "remote": remote}], as_json=False)
    assert info.value.field == "publish[0].github_pages.remote"
    assert "ghp_abcdefghijklmnop1234" not in str(info.value)


def test_publish_targets_do_not_change_the_content_hash():
    plain = parse_config_text(yaml.safe_dump(HEADER), source=SOURCE, suffix=".yaml")
    hosted = _parse([{"host": "netlify", "site_id": "crumb"}], as_json=False)
    assert plain.content_hash() == hosted.content_hash()
    assert hosted.publish[0].token_env == "NETLIFY_AUTH_TOKEN"
