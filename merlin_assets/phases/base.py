"""What a node of the site graph declares: what it needs, what it holds, and how it is made.

A node is one asset of the graph (a phase, the images, the pages, the site, its quality report).
Each lives in one module of `merlin_assets.phases` and declares itself there; the scheduler, the
Dagster specs, the critical path and the CLI totals are all derived from these declarations.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from merlin_assets.config.project import ProjectConfig
from merlin_assets.types.pages import SitePage
from merlin_assets.types.phase_model import PhaseModel

if TYPE_CHECKING:
    from merlin_assets.content_gate import CopyField
    from merlin_assets.engine.scheduler import ItemEvent, Scheduler


@dataclass(frozen=True)
class NodeInputs:
    """What a node knows when it starts: the config, then one typed field per upstream node.

    Subclasses add a field per upstream node, named after it; those fields *are* the node's
    dependencies, so a writer that reads something its phase does not depend on fails loudly.
    """

    config: ProjectConfig

    def seed(self, salt: str) -> int:
        """A stable seed per project and purpose, so offline output is deterministic."""
        digest = hashlib.sha256(f"{self.config.content_hash()}:{salt}".encode()).digest()
        return int.from_bytes(digest[:8], "big")


Scope = Literal["project", "all", "own"]


@dataclass(frozen=True)
class Need:
    """An upstream node. For a partitioned upstream, `all` means every one of its items and
    `own` the items this node's own item uses (a page's images); `project` is the whole node."""

    name: str
    scope: Scope = "project"


@dataclass(frozen=True)
class Partitioning:
    """A node made once per item of an upstream plan (an image per planned image)."""

    dimension: str  # the Dagster multi-partition dimension, e.g. "image"
    # The dynamic partitions definition of the places in a plan (`01`, `02`, ...) that key the
    # items in Dagster; `key` is the item's own name inside Merlin (files, timings, links).
    slots: str
    plan: str  # the node whose value lists the items
    items: Callable[[Any], list[Any]]  # the plan's items
    key: Callable[[Any], str]  # an item's partition key


Preview = Callable[[Any], dict[str, Any]]

# What a node is to the site. An essential node's failure fails the run (a page, an image, the
# site itself); a polish node's (fonts, icons, a review) costs only its part: the run goes on
# with the node's `degraded` value, and its `complete_check` fails with the error.
Role = Literal["essential", "polish"]


def no_preview(value: Any) -> dict[str, Any]:
    return {}


@dataclass(frozen=True, kw_only=True)
class Node:
    """One asset of the graph.

    `needs` must exist before the node starts (they set its depth); `waits` are awaited while it
    runs (a page renders with its images), so that time counts as blocked, not as its work.
    """

    name: str
    group: str
    description: str
    kinds: frozenset[str]
    needs: tuple[Need, ...]
    waits: tuple[Need, ...] = ()
    partitioning: Partitioning | None = None
    preview: Preview = no_preview
    # Asset checks, by name and description, recorded on the asset `checks_on`.
    checks: Mapping[str, str] = field(default_factory=dict)
    checks_on: str | None = None
    # Checks whose failure breaks the site for a visitor; the rest are findings to act on.
    error_checks: frozenset[str] = frozenset()
    # The node's own item count towards `merlin generate`'s "phases" figure.
    counts_as_phase: bool = True
    # A node whose `site_files` go into the published site, and the node that publishes it.
    ships_files: bool = False
    collects_files: bool = False
    # Pages among those files, each linked from every page's footer and listed in the sitemap;
    # the pages node reads these declarations, so a new page is published by its node alone.
    pages: tuple[SitePage, ...] = ()
    # The visitor-facing copy in the node's value (an item's, for a partitioned node), as
    # `(item, value) -> fields`: the content gate reads a phase's answer by it as it is written,
    # and the node that `collects_copy` (the content review) reads every declaring node's.
    copy_fields: Callable[[str, Any], list[CopyField]] | None = None
    collects_copy: bool = False
    role: Role = "essential"
    # For a polish node: what the site is published with when the node fails ("system fonts").
    degrades_to: str = ""

    def __post_init__(self) -> None:
        if self.role == "polish" and not self.degrades_to:
            raise ValueError(f"polish node '{self.name}' must say what it `degrades_to`")
        # Its check sits on the project-level asset; items of a plan are pages and images.
        if self.role == "polish" and self.partitioning is not None:
            raise ValueError(f"polish node '{self.name}' must be made once per project")
        if self.pages and not self.ships_files:
            raise ValueError(f"node '{self.name}' declares pages, so it must set `ships_files`")

    async def build(self, run: Scheduler, item: Any = None) -> ItemEvent:
        raise NotImplementedError

    def load(self, run: Scheduler, key: str | None = None) -> Any:
        """A result stored by an earlier run, for a node this run does not make."""
        raise NotImplementedError(f"'{self.name}' cannot be loaded from the artifact store")

    def degraded(self, error: str) -> Any:
        """What a polish node's value is when it raised `error`: one its downstream nodes take
        as "without this part" (no files, no CSS). It is not stored, so a later run that loads
        the node gets its last good value."""
        raise NotImplementedError(f"'{self.name}' is not a polish node")

    @property
    def complete_check(self) -> str | None:
        """The asset check, on the node itself, that fails when a polish node degraded."""
        return f"{self.name}_complete" if self.role == "polish" else None

    def site_files(self, run: Scheduler, value: Any) -> Mapping[str, Path | bytes]:
        """Files this node adds to the published site, by path inside the site."""
        return {}

    def sitemap_slugs(self, value: Any) -> list[str]:
        """The slugs of this node's pages that sitemap.xml lists (an item's, when partitioned)."""
        return [page.slug for page in self.pages if page.sitemap]

    def copy_item(self, key: str | None) -> str:
        """The item name the copy of the node's value, or of its item `key`, is read under."""
        if key is None or self.partitioning is None:
            return self.name
        return f"{self.partitioning.dimension}:{key}"

    def site_css(self, run: Scheduler, value: Any) -> str:
        """CSS this node puts first in the site's stylesheet (its @font-face rules, say); the
        node that collects files gathers it from every node it needs, in need order."""
        return ""

    def css_stacks(self, value: Any) -> Mapping[str, str] | None:
        """Font stacks ({"heading": ..., "body": ...}) the site's stylesheet uses instead of
        the ones it guesses from the style's font names, or None."""
        return None

    @property
    def upstream(self) -> tuple[str, ...]:
        """Every upstream node, in declaration order, once."""
        return tuple(dict.fromkeys(n.name for n in (*self.needs, *self.waits)))


# Every node's inputs carry the config as `config`; the node that holds it is the source.
CONFIG_FIELD, CONFIG_NODE = "config", "project_config"


def _node_of(field_name: str) -> str:
    return CONFIG_NODE if field_name == CONFIG_FIELD else field_name


def needs_of(inputs: type[NodeInputs], item_field: str | None = None) -> tuple[Need, ...]:
    """A phase's upstream nodes: its typed inputs' fields, the config first."""
    return tuple(Need(_node_of(f.name)) for f in dataclasses.fields(inputs) if f.name != item_field)


Prompt = Callable[[Any], str]
Fallback = Callable[[Any], PhaseModel]
Repair = Callable[[Any, Any, Callable[[], PhaseModel]], tuple[PhaseModel, list[str]]]


def keep(value: PhaseModel, inputs: Any, rules: Callable[[], PhaseModel]):
    """A phase whose output needs no cross-checks."""
    return value, []


@dataclass(frozen=True, kw_only=True)
class Phase(Node):
    """One structured-output LLM call with its prompt, rule-based fallback and repair."""

    inputs: type[NodeInputs]
    model: type[PhaseModel]
    prompt: Prompt
    fallback: Fallback
    repair: Repair = keep
    kinds: frozenset[str] = frozenset({"python", "openai"})
    # A per-item phase (page copy) is asked once per item under this input field.
    item_field: str | None = None
    # Most tokens one answer may take (capped by MERLIN_MAX_OUTPUT_TOKENS); None: that cap.
    max_output_tokens: int | None = None

    def make_inputs(self, values: Mapping[str, Any]) -> NodeInputs:
        """The typed inputs from whatever upstream values are at hand (extra ones ignored)."""
        fields = {f.name: _node_of(f.name) for f in dataclasses.fields(self.inputs)}
        fields = {f: (f if f == self.item_field else node) for f, node in fields.items()}
        missing = [node for node in fields.values() if node not in values]
        if missing:
            raise KeyError(f"'{self.name}' needs {missing}")
        return self.inputs(**{f: values[node] for f, node in fields.items()})

    async def build(self, run: Scheduler, item: Any = None) -> ItemEvent:
        inputs = self.make_inputs(await run.gather(self.needs))
        clock = run.clock()
        answer = await run.ask(self, self.name, inputs, clock)
        run.store.save(run.project_id, self.name, answer.value)
        return clock.event(self.name, None, answer.value, **answer.event_fields())

    def load(self, run: Scheduler, key: str | None = None) -> PhaseModel:
        return run.store.load(run.project_id, self.name, self.model)

    def write_by_rules(self, inputs: NodeInputs) -> PhaseModel:
        value = self.fallback(inputs)
        assert isinstance(value, self.model)
        return value


def bullets(items: list[str]) -> str:
    """A markdown list, for metadata previews."""
    return "\n".join(f"- {i}" for i in items)
