"""The labelled corpus holds the content gate to account: every kind meets its targets, and
the same corpus scored with the gate switched off misses them.

Every `merlin_assets_tests/corpus/*.yaml` file is scored, including files added later.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from merlin_assets.cli.app import app
from merlin_assets.content_gate import audit

FILES = sorted(audit.CORPUS_DIR.glob("*.yaml"))
# The kinds of checkable statements this corpus must cover (issue 17), at least 20 invented
# and 20 grounded sentences each.
CLAIM_KINDS = {"contact", "people", "places", "hours", "years", "figures", "awards"}
CLAIM_KINDS |= {"contradictions"}


@pytest.fixture(scope="module")
def cases() -> list[audit.Case]:
    return audit.load_corpus()


@pytest.fixture(scope="module")
def scores(cases) -> dict[str, dict[str, audit.KindScore]]:
    """Corpus file name -> its scores per kind, with the gate on."""
    by_file: dict[str, list[audit.Case]] = {}
    for case in cases:
        by_file.setdefault(case.source.split(":")[0], []).append(case)
    return {name: audit.score(found) for name, found in by_file.items()}


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_every_kind_meets_its_targets(path, scores):
    for kind, s in scores[path.name].items():
        missed = [c.text for c in s.misses]
        wrong = [(c.text, [f.message for f in fs]) for c, fs in s.wrongly_caught]
        assert s.recall >= audit.RECALL_TARGET, (kind, s.recall, missed)
        assert s.false_positive_rate <= audit.FALSE_POSITIVE_TARGET, (kind, wrong)


def test_the_gate_switched_off_misses_every_target(cases, scores):
    """Scored with a check that finds nothing, no kind keeps its recall: the targets test
    above fails without the gate."""
    off = audit.score(cases, check=lambda fields, facts: [])
    assert off and all(s.recall == 0.0 and not s.meets_targets for s in off.values())
    on = {kind for by_kind in scores.values() for kind, s in by_kind.items() if s.meets_targets}
    assert on == set(off)


def test_the_corpus_is_big_and_covers_every_kind(cases):
    assert len(cases) >= 300
    counts: dict[tuple[str, str], int] = {}
    for c in cases:
        counts[c.kind, c.label] = counts.get((c.kind, c.label), 0) + 1
    for kind in CLAIM_KINDS:
        assert counts.get((kind, "invented"), 0) >= 20, kind
        assert counts.get((kind, "grounded"), 0) >= 20, kind
    # Several configs: the examples and businesses from the long tail.
    configs = {c.config for c in cases}
    assert len([c for c in configs if c.startswith("long_tail/")]) >= 5
    assert len([c for c in configs if "/" not in c]) >= 5


def test_audit_command_prints_the_table_and_fails_on_a_missed_target(tmp_path):
    runner = CliRunner()
    good, bad = tmp_path / "good", tmp_path / "bad"
    good.mkdir(), bad.mkdir()
    (good / "people.yaml").write_text(
        "kind: people\ncases:\n"
        "  - {config: crumb-and-co-bakery, text: 'Meet Fiona Grant, our head baker.', "
        "label: invented}\n"
        "  - {config: crumb-and-co-bakery, text: 'Morag Reid has been a regular since 2016.', "
        "label: grounded}\n",
        encoding="utf-8",
    )
    ok = runner.invoke(app, ["audit-corpus", "--json", "--corpus", str(good)])
    assert ok.exit_code == 0, ok.output
    rows = json.loads(ok.output)
    assert [(r["kind"], r["invented"], r["recall"], r["grounded"]) for r in rows] == [
        ("people", 1, 1.0, 1)
    ]

    (bad / "people.yaml").write_text(
        "kind: people\ncases:\n"
        "  - {config: crumb-and-co-bakery, text: 'Meet Fiona Grant, our head baker.', "
        "label: grounded}\n"
        "  - {config: crumb-and-co-bakery, text: 'Freshly baked every morning.', "
        "label: invented}\n",
        encoding="utf-8",
    )
    failed = runner.invoke(app, ["audit-corpus", "--corpus", str(bad)])
    assert failed.exit_code == 1
    assert "MISSED" in failed.output
    assert "missed  people: Freshly baked every morning." in failed.output
    assert "false + people: Meet Fiona Grant, our head baker." in failed.output


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("kind: x\ncases: [{config: nowhere, text: Hi., label: grounded}]", "no example config"),
        ("kind: x\ncases: [{config: ledgerly, text: Hi., label: maybe}]", "label must be"),
        ("kind: x\ncases: [{config: ledgerly, text: Hi., label: grounded, field: foo}]", "field"),
        ("kind: x\n", "needs `kind:`"),
    ],
)
def test_a_bad_corpus_file_is_named_with_its_case(tmp_path: Path, content, said):
    (tmp_path / "bad.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(audit.CorpusError, match=said) as raised:
        audit.load_corpus(tmp_path)
    assert "bad.yaml" in str(raised.value)
