"""The corpus audit's own arithmetic and reading, on small corpora written here: which cases
count as caught, missed or wrongly caught, the rates and verdict per kind, and the errors a
bad corpus file gets. (test_corpus.py scores the real corpus.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from merlin_assets.content_gate import audit
from merlin_assets.content_gate.audit import CorpusError, KindScore

PEOPLE = """\
kind: people
cases:
  - {config: crumb-and-co-bakery, text: 'Meet Fiona Grant, our head baker.', label: invented}
  - {config: crumb-and-co-bakery, text: 'Freshly baked every morning.', label: invented}
  - {config: crumb-and-co-bakery, text: 'Freshly baked every morning.', label: grounded}
  - config: crumb-and-co-bakery
    field: quote
    text: 'The best sourdough in Scotland, says our whole street.'
    label: grounded
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_cases_are_read_with_their_config_field_and_place(tmp_path: Path):
    write(tmp_path, "people.yaml", PEOPLE)
    cases = audit.load_corpus(tmp_path)
    assert [(c.kind, c.config, c.label, c.field_kind, c.source) for c in cases] == [
        ("people", "crumb-and-co-bakery", "invented", "body", "people.yaml: case 1"),
        ("people", "crumb-and-co-bakery", "invented", "body", "people.yaml: case 2"),
        ("people", "crumb-and-co-bakery", "grounded", "body", "people.yaml: case 3"),
        ("people", "crumb-and-co-bakery", "grounded", "quote", "people.yaml: case 4"),
    ]
    # One config is read once: every case holds the same facts, the example's.
    assert len({id(c.facts) for c in cases}) == 1
    assert cases[0].facts.name == "Crumb & Co Bakery"


def test_a_case_is_caught_when_the_gate_errs_on_its_one_field(tmp_path: Path):
    cases = audit.load_file(write(tmp_path, "people.yaml", PEOPLE))
    [(kind, s)] = audit.score(cases).items()
    assert kind == "people"
    assert (s.invented, s.caught, s.grounded, s.false_positives) == (2, 1, 2, 1)
    assert [c.text for c in s.misses] == ["Freshly baked every morning."]
    # A quote none of the bakery's customers gave, saying "the best": the false positive.
    [(case, findings)] = s.wrongly_caught
    assert case.field_kind == "quote"
    assert {f.check for f in findings} == {"unmatched_quote", "unsupported_claim"}
    assert all(f.severity == "error" for f in findings)
    assert (s.recall, s.false_positive_rate, s.meets_targets) == (0.5, 0.5, False)


def test_the_check_is_asked_about_one_field_of_the_cases_kind(tmp_path: Path):
    cases = audit.load_file(write(tmp_path, "people.yaml", PEOPLE))
    asked = []

    def check(fields, facts):
        asked.append([(f.item, f.field, f.kind, f.text) for f in fields])
        return []

    audit.score(cases, check=check)
    assert asked[3] == [
        (
            "page:home",
            "sections[0].quote",
            "quote",
            "The best sourdough in Scotland, says our whole street.",
        )
    ]


def test_warnings_do_not_catch_a_case(tmp_path: Path):
    from merlin_assets.content_gate import Finding

    cases = audit.load_file(write(tmp_path, "people.yaml", PEOPLE))

    def warn(fields, facts):
        return [Finding("page:home", fields[0].field, "repeated_phrase", "x", "warning")]

    s = audit.score(cases, check=warn)["people"]
    assert (s.caught, s.false_positives, len(s.misses), s.wrongly_caught) == (0, 0, 2, [])


def test_kinds_are_scored_apart_and_in_order(tmp_path: Path):
    write(tmp_path, "people.yaml", PEOPLE)
    write(
        tmp_path,
        "awards.yaml",
        "cases:\n"
        "  - {config: crumb-and-co-bakery, text: 'Voted the best bakery in Scotland.', "
        "label: invented}\n",
    )
    scores = audit.score(audit.load_corpus(tmp_path))
    # A file without `kind:` is named for the file.
    assert list(scores) == ["awards", "people"]
    awards = scores["awards"]
    assert (awards.invented, awards.caught, awards.grounded) == (1, 1, 0)
    assert (awards.recall, awards.false_positive_rate, awards.meets_targets) == (1.0, 0.0, True)


@pytest.mark.parametrize(
    ("counts", "recall", "false_positives", "meets"),
    [
        ((0, 0, 0, 0), 1.0, 0.0, True),  # nothing to score fails nothing
        ((20, 19, 100, 3), 0.95, 0.03, True),  # both targets met exactly
        ((20, 18, 100, 3), 0.9, 0.03, False),
        ((20, 19, 100, 4), 0.95, 0.04, False),
    ],
)
def test_targets_are_recall_and_false_positive_rate(counts, recall, false_positives, meets):
    invented, caught, grounded, wrong = counts
    s = KindScore("figures", invented, caught, grounded, wrong)
    assert (s.recall, s.false_positive_rate, s.meets_targets) == (recall, false_positives, meets)


def test_the_printed_table_and_json_rows(tmp_path: Path):
    cases = audit.load_file(write(tmp_path, "people.yaml", PEOPLE))
    scores = audit.score(cases)
    assert audit.table(scores) == [["people", "2", "0.500", "2", "0.500", "MISSED"]]
    ok = KindScore("awards", 3, 3, 3, 0)
    assert audit.table({"awards": ok}) == [["awards", "3", "1.000", "3", "0.000", "ok"]]
    row = KindScore("years", 3, 2, 3, 1).as_dict()
    assert (row["recall"], row["false_positive_rate"]) == (0.6667, 0.3333)
    people = scores["people"].as_dict()
    assert people["kind"] == "people" and people["meets_targets"] is False
    assert (people["invented"], people["grounded"]) == (2, 2)
    assert people["misses"] == ["Freshly baked every morning."]
    [wrong] = people["false_positives"]
    assert wrong["text"] == "The best sourdough in Scotland, says our whole street."
    assert wrong["findings"] == [f.message for _, fs in scores["people"].wrongly_caught for f in fs]


def test_configs_inline_and_from_the_long_tail(tmp_path: Path):
    write(
        tmp_path,
        "places.yaml",
        "kind: places\ncases:\n"
        "  - {config: long_tail/soot-sons-chimney-sweeps, text: 'Sweeping in Hebden Bridge.', "
        "label: grounded}\n"
        "  - config: {name: Ferry Fish, industry: Fishmonger, location: Whitby}\n"
        "    text: Fresh fish in Whitby.\n"
        "    label: grounded\n"
        "  - config: {industry: Fishmonger}\n"
        "    text: Fresh fish.\n"
        "    label: grounded\n",
    )
    first, inline, unnamed = audit.load_corpus(tmp_path)
    assert first.config == "long_tail/soot-sons-chimney-sweeps"
    assert first.facts.name == "Soot & Sons Chimney Sweeps"
    assert first.facts.location == "Hebden Bridge, West Yorkshire"
    assert (inline.config, inline.facts.name, inline.facts.location) == (
        "Ferry Fish",
        "Ferry Fish",
        "Whitby",
    )
    assert unnamed.config == "inline"


def case_file(case: str) -> str:
    return f"kind: x\ncases:\n  - {case}\n"


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("kind: x\ncases: [oops: [", "bad.yaml: not valid YAML"),
        ("- just a list\n", "bad.yaml: needs `kind:` and a list of `cases:`"),
        ("kind: x\ncases: {a: 1}\n", "bad.yaml: needs `kind:` and a list of `cases:`"),
        (
            case_file("just text"),
            "bad.yaml: case 1: a case is a mapping with config, text and label",
        ),
        (
            case_file("{config: ledgerly, text: Hi., label: maybe}"),
            "bad.yaml: case 1: label must be invented or grounded, not 'maybe'",
        ),
        (
            case_file("{config: ledgerly, text: '  ', label: grounded}"),
            "bad.yaml: case 1: text is empty",
        ),
        (case_file("{config: ledgerly, label: grounded}"), "bad.yaml: case 1: text is empty"),
        (
            case_file("{config: ledgerly, text: Hi., label: grounded, field: foo}"),
            "bad.yaml: case 1: field 'foo' is not one of heading, eyebrow, button, body",
        ),
        (
            case_file("{text: Hi., label: grounded}"),
            "bad.yaml: case 1: config must be an example stem, long_tail/<slug> or a mapping",
        ),
        (
            case_file("{config: '', text: Hi., label: grounded}"),
            "bad.yaml: case 1: config must be an example stem",
        ),
        (
            case_file("{config: long_tail/nobody-at-all, text: Hi., label: grounded}"),
            "bad.yaml: case 1: no long-tail config 'long_tail/nobody-at-all'",
        ),
        (
            case_file("{config: nowhere, text: Hi., label: grounded}"),
            "bad.yaml: case 1: no example config 'nowhere' in ",
        ),
    ],
)
def test_a_bad_corpus_file_gets_an_error_naming_file_and_case(tmp_path: Path, content, said):
    write(tmp_path, "bad.yaml", content)
    with pytest.raises(CorpusError) as raised:
        audit.load_corpus(tmp_path)
    assert str(raised.value).startswith(said)


def test_an_empty_corpus_folder_is_an_error(tmp_path: Path):
    with pytest.raises(CorpusError) as raised:
        audit.load_corpus(tmp_path)
    assert str(raised.value) == f"{tmp_path}: no corpus files (*.yaml)"


def test_a_second_bad_case_is_named_by_its_number(tmp_path: Path):
    write(
        tmp_path,
        "bad.yaml",
        "kind: x\ncases:\n"
        "  - {config: ledgerly, text: Hi., label: grounded}\n"
        "  - {config: ledgerly, text: Hi., label: nope}\n",
    )
    with pytest.raises(CorpusError, match=r"^bad\.yaml: case 2: label"):
        audit.load_corpus(tmp_path)


def test_every_false_positive_counts_and_a_file_s_kind_names_it(tmp_path: Path):
    # Named `who.yaml` but of kind `people`; two grounded quotes the gate both rejects, then
    # a grounded sentence it passes: the count stays two.
    write(
        tmp_path,
        "who.yaml",
        "kind: people\ncases:\n"
        "  - {config: crumb-and-co-bakery, field: quote, text: 'Best cakes ever.', "
        "label: grounded}\n"
        "  - {config: crumb-and-co-bakery, field: quote, text: 'Best loaves in town.', "
        "label: grounded}\n"
        "  - {config: crumb-and-co-bakery, text: 'Freshly baked every morning.', "
        "label: grounded}\n",
    )
    [(kind, s)] = audit.score(audit.load_corpus(tmp_path)).items()
    assert kind == "people" and s.kind == "people"
    assert (s.grounded, s.false_positives, len(s.wrongly_caught)) == (3, 2, 2)
