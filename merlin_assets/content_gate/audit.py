"""The labelled corpus that holds the content gate to account, and its score per kind.

A corpus folder holds one YAML file per kind of claim or check (`<kind>.yaml`):

    kind: awards
    cases:
      - config: crumb-and-co-bakery        # examples/projects/<stem>.*
        field: body                        # optional CopyField kind; body by default
        text: "Voted Edinburgh's best bakery."
        label: invented                    # or grounded

`config` may also be `long_tail/<slug of the business name>` (an entry of the long-tail test
configs) or an inline mapping. A case is caught when `check_copy` returns an error for the
one field; a grounded case that is caught is a false positive. Targets per kind: recall at
least `RECALL_TARGET` on invented cases, false positives at most `FALSE_POSITIVE_TARGET`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from merlin_assets.content_gate import CopyField, Facts, Finding, check_copy
from merlin_assets.content_gate.findings import KINDS

RECALL_TARGET = 0.95
FALSE_POSITIVE_TARGET = 0.03
LABELS = ("invented", "grounded")
ROOT = Path(__file__).resolve().parents[2]
CORPUS_DIR = ROOT / "merlin_assets_tests" / "corpus"
EXAMPLES_DIR = ROOT / "examples" / "projects"
LONG_TAIL = ROOT / "merlin_assets_tests" / "long_tail" / "configs.yaml"

Check = Callable[[list[CopyField], Facts], list[Finding]]


class CorpusError(ValueError):
    """A corpus file that cannot be read: names the file and the case."""


@dataclass(frozen=True)
class Case:
    kind: str
    config: str  # the name it was given, for reports
    facts: Facts = field(repr=False)
    text: str
    label: str
    field_kind: str = "body"
    source: str = ""  # file:case number


@dataclass
class KindScore:
    kind: str
    invented: int = 0
    caught: int = 0
    grounded: int = 0
    false_positives: int = 0
    misses: list[Case] = field(default_factory=list)  # invented, not caught
    wrongly_caught: list[tuple[Case, list[Finding]]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.caught / self.invented if self.invented else 1.0

    @property
    def false_positive_rate(self) -> float:
        return self.false_positives / self.grounded if self.grounded else 0.0

    @property
    def meets_targets(self) -> bool:
        return self.recall >= RECALL_TARGET and self.false_positive_rate <= FALSE_POSITIVE_TARGET

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "invented": self.invented,
            "recall": round(self.recall, 4),
            "grounded": self.grounded,
            "false_positive_rate": round(self.false_positive_rate, 4),
            "meets_targets": self.meets_targets,
            "misses": [c.text for c in self.misses],
            "false_positives": [
                {"text": c.text, "findings": [f.message for f in fs]}
                for c, fs in self.wrongly_caught
            ],
        }


def load_corpus(folder: Path = CORPUS_DIR) -> list[Case]:
    """Every case of every `*.yaml` file in the folder, configs resolved to `Facts`."""
    files = sorted(Path(folder).glob("*.yaml"))
    if not files:
        raise CorpusError(f"{folder}: no corpus files (*.yaml)")
    configs = _Configs()
    return [case for path in files for case in _read(path, configs)]


def load_file(path: Path) -> list[Case]:
    """The cases of one corpus file."""
    return _read(Path(path), _Configs())


def score(cases: Iterable[Case], check: Check = check_copy) -> dict[str, KindScore]:
    """Recall and false positives per kind, with the cases each kind got wrong."""
    out: dict[str, KindScore] = {}
    for case in cases:
        s = out.setdefault(case.kind, KindScore(case.kind))
        errors = [f for f in check([_field(case)], case.facts) if f.severity == "error"]
        if case.label == "invented":
            s.invented += 1
            s.caught += bool(errors)
            if not errors:
                s.misses.append(case)
        else:
            s.grounded += 1
            s.false_positives += bool(errors)
            if errors:
                s.wrongly_caught.append((case, errors))
    return dict(sorted(out.items()))


def _field(case: Case) -> CopyField:
    return CopyField("page:home", f"sections[0].{case.field_kind}", case.field_kind, case.text)  # type: ignore[arg-type]


def _read(path: Path, configs: _Configs) -> list[Case]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CorpusError(f"{path.name}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
        raise CorpusError(f"{path.name}: needs `kind:` and a list of `cases:`")
    kind = str(data.get("kind") or path.stem)
    out = []
    for i, raw in enumerate(data["cases"], 1):
        where = f"{path.name}: case {i}"
        if not isinstance(raw, dict):
            raise CorpusError(f"{where}: a case is a mapping with config, text and label")
        label, text = raw.get("label"), raw.get("text")
        if label not in LABELS:
            raise CorpusError(f"{where}: label must be invented or grounded, not {label!r}")
        if not isinstance(text, str) or not text.strip():
            raise CorpusError(f"{where}: text is empty")
        field_kind = raw.get("field", "body")
        if field_kind not in KINDS:
            raise CorpusError(f"{where}: field {field_kind!r} is not one of {', '.join(KINDS)}")
        name, facts = configs.resolve(raw.get("config"), where)
        out.append(Case(kind, name, facts, text, label, field_kind, where))
    return out


class _Configs:
    """Config references -> `Facts`, each read once."""

    def __init__(self) -> None:
        self._cache: dict[str, Facts] = {}
        self._long_tail: dict[str, Any] | None = None

    def resolve(self, ref: object, where: str) -> tuple[str, Facts]:
        if isinstance(ref, dict):
            return str(ref.get("name", "inline")), Facts.from_config(ref)
        if not isinstance(ref, str) or not ref:
            raise CorpusError(
                f"{where}: config must be an example stem, long_tail/<slug> or a mapping"
            )
        if ref not in self._cache:
            self._cache[ref] = Facts.from_config(self._load(ref, where))
        return ref, self._cache[ref]

    def _load(self, ref: str, where: str) -> Any:
        from merlin_assets.config.project import ProjectConfig, load_config

        if ref.startswith("long_tail/"):
            entry = self._long_tail_configs().get(ref.removeprefix("long_tail/"))
            if entry is None:
                raise CorpusError(f"{where}: no long-tail config {ref!r}")
            return ProjectConfig.model_validate(entry)
        found = sorted(EXAMPLES_DIR.glob(f"{ref}.*"))
        if not found:
            raise CorpusError(f"{where}: no example config {ref!r} in {EXAMPLES_DIR}")
        return load_config(found[0])

    def _long_tail_configs(self) -> dict[str, Any]:
        if self._long_tail is None:
            from slugify import slugify

            entries = yaml.safe_load(LONG_TAIL.read_text(encoding="utf-8"))
            self._long_tail = {slugify(e["config"]["name"]): e["config"] for e in entries}
        return self._long_tail


def table(scores: dict[str, KindScore]) -> list[list[str]]:
    """Rows for printing: kind, invented n, recall, grounded n, false positives, verdict."""
    rows = []
    for s in scores.values():
        rows.append(
            [
                s.kind,
                str(s.invented),
                f"{s.recall:.3f}",
                str(s.grounded),
                f"{s.false_positive_rate:.3f}",
                "ok" if s.meets_targets else "MISSED",
            ]
        )
    return rows
