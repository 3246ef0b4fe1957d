"""The `publish:` section of a project config: where a published site is deployed.

Each entry names one host. Secrets are never written in the config: an entry names the
environment variables that hold them (`token_env: NETLIFY_AUTH_TOKEN`), and only the names
are ever validated, stored or shown.

    publish:
      - host: s3
        bucket: crumb-and-co-site
        region: eu-west-2
        cloudfront_distribution_id: E2QWRUHAPOMQZL
      - host: github_pages
        remote: https://github.com/crumb-and-co/site.git
        token_env: GITHUB_TOKEN
      - host: netlify
        site_id: 3f1c2e4a-5b6d-4e7f-8a9b-0c1d2e3f4a5b
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

# What `publish[i].token_env` and the like hold: the NAME of a variable, never its value. A
# token pasted here by mistake is lowercase or too long and is refused without being echoed.
ENV_NAME_RE = r"^[A-Z_][A-Z0-9_]{0,63}$"
# S3's own rules for new buckets: 3-63 of a-z, 0-9, '.', '-', starting and ending alphanumeric.
BUCKET_RE = r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"
REGION_RE = r"^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$"
# CloudFront distribution ids are 13-14 upper-case letters and digits ("E2QWRUHAPOMQZL").
DISTRIBUTION_RE = r"^[A-Z0-9]{10,20}$"
# A Netlify site is named by its API id (a UUID) or its name ("crumb-and-co").
SITE_ID_RE = r"^[A-Za-z0-9][A-Za-z0-9-]{0,99}$"
HOST_NAME_RE = r"^[a-z0-9][a-z0-9_-]{0,39}$"
HTTP_URL_RE = r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9\-._~%/]*)?$"
# Remotes git can push to without a shell: https/http, ssh:// or scp-like `git@host:path`,
# file:// and absolute local paths (a bare repository on this machine). Never starting with
# '-', so a remote is never read as an option.
REMOTE_RE = (
    r"^(https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?/[A-Za-z0-9\-._~%/]+"
    r"|ssh://[A-Za-z0-9._-]+@[A-Za-z0-9.-]+(:[0-9]{1,5})?/[A-Za-z0-9\-._~%/]+"
    r"|[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[A-Za-z0-9\-._~%/]+"
    r"|file:///[A-Za-z0-9\-._~%/]+"
    r"|/[A-Za-z0-9\-._~%/]+)$"
)


def _safe_prefix(value: str) -> str:
    parts = value.split("/")
    if any(p in {".", ".."} for p in parts) or "//" in value:
        raise ValueError("must be folder names separated by '/', without '.' or '..'")
    return value


def _ref_name(value: str) -> str:
    """The parts of `git check-ref-format` a branch name can break."""
    if value.startswith(("-", "/", ".")) or value.endswith(("/", ".", ".lock")) or ".." in value:
        raise ValueError("is not a valid git branch name")
    if "//" in value or "/." in value or "@{" in value:
        raise ValueError("is not a valid git branch name")
    return value


EnvName = Annotated[str, Field(pattern=ENV_NAME_RE)]
HttpUrl = Annotated[str, Field(max_length=500, pattern=HTTP_URL_RE)]


class _Host(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    name: Annotated[str, Field(pattern=HOST_NAME_RE)] | None = Field(
        default=None, description="What reports call this host; the host kind when unset."
    )

    @property
    def label(self) -> str:
        return self.name or self.host  # type: ignore[attr-defined]


class FolderHost(_Host):
    """The local `sites/<id>/` folder (the default), mirrored into `path` when one is given."""

    host: Literal["folder"]
    path: Annotated[str, Field(min_length=1, max_length=1000)] | None = None

    @field_validator("path")
    @classmethod
    def _absolute(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("/"):
            raise ValueError("must be an absolute folder path")
        if value is not None and "\x00" in value:
            raise ValueError("contains a NUL byte")
        return value


class S3Host(_Host):
    """A bucket and prefix; CloudFront is told which paths changed when a distribution is set."""

    host: Literal["s3"]
    bucket: Annotated[str, Field(pattern=BUCKET_RE)]
    prefix: Annotated[
        str, Field(max_length=500, pattern=r"^[A-Za-z0-9._/-]*$"), AfterValidator(_safe_prefix)
    ] = ""
    region: Annotated[str, Field(pattern=REGION_RE)] | None = None
    endpoint_url: HttpUrl | None = None
    cloudfront_distribution_id: Annotated[str, Field(pattern=DISTRIBUTION_RE)] | None = None
    url: HttpUrl | None = Field(default=None, description="Where visitors see the site.")
    access_key_id_env: EnvName = "AWS_ACCESS_KEY_ID"
    secret_access_key_env: EnvName = "AWS_SECRET_ACCESS_KEY"
    session_token_env: EnvName | None = None

    @field_validator("prefix")
    @classmethod
    def _trim(cls, value: str) -> str:
        return value.strip("/")


class GithubPagesHost(_Host):
    """A branch of a git remote (GitHub Pages serves `gh-pages` by default)."""

    host: Literal["github_pages"]
    remote: Annotated[str, Field(max_length=500, pattern=REMOTE_RE)]
    branch: Annotated[
        str, Field(max_length=100, pattern=r"^[A-Za-z0-9._/-]+$"), AfterValidator(_ref_name)
    ] = "gh-pages"
    token_env: EnvName | None = Field(
        default=None, description="A token for an https remote (GitHub: a fine-grained PAT)."
    )
    url: HttpUrl | None = Field(default=None, description="Where visitors see the site.")

    @field_validator("remote")
    @classmethod
    def _no_password(cls, value: str) -> str:
        # https://user:token@host/... would put the secret in the config file.
        if re.match(r"^https?://[^/]*@", value):
            raise ValueError("must not carry credentials; name a variable in token_env instead")
        return value


class NetlifyHost(_Host):
    """A Netlify site, deployed through the file-digest API."""

    host: Literal["netlify"]
    site_id: Annotated[str, Field(pattern=SITE_ID_RE)]
    token_env: EnvName = "NETLIFY_AUTH_TOKEN"
    api_url: HttpUrl = "https://api.netlify.com"


HOST_KINDS = ("folder", "s3", "github_pages", "netlify")
HostEntry = Annotated[
    FolderHost | S3Host | GithubPagesHost | NetlifyHost, Field(discriminator="host")
]
MAX_HOSTS = 10


def check_unique_names(
    entries: list[FolderHost | S3Host | GithubPagesHost | NetlifyHost],
) -> list[FolderHost | S3Host | GithubPagesHost | NetlifyHost]:
    """Two entries reported under one name could not be told apart; `name` separates them."""
    seen: set[str] = set()
    for entry in entries:
        if entry.label in seen:
            raise ValueError(f"two hosts are named '{entry.label}'; give each a distinct `name`")
        seen.add(entry.label)
    return entries
