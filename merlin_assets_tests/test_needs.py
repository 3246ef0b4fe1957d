"""A test that needs what this machine lacks is skipped, naming the install; under CI it fails
(merlin_assets_tests/needs.py). `.ci/run` proves the skip side in a venv made from README
line 1 alone."""

from __future__ import annotations

import pytest

from merlin_assets_tests import needs

PRESENT = needs.Need("python itself", lambda: True, "nothing")
ABSENT = needs.Need("a program nobody has", lambda: False, "apt-get install nothing-such")
KINDS = {"present": PRESENT, "absent": ABSENT}


def test_what_is_present_is_not_missing():
    assert needs.missing(KINDS, ["present"]) == []
    needs.act_on(needs.missing(KINDS, ["present"]))  # neither skips nor fails


def test_a_missing_need_skips_with_what_to_install(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception) as skipped:
        needs.act_on(needs.missing(KINDS, ["present", "absent", "absent"]))
    assert str(skipped.value) == "needs a program nobody has (`apt-get install nothing-such`)"


@pytest.mark.parametrize("value", ["true", "1", "True"])
def test_under_ci_a_missing_need_fails(monkeypatch, value):
    monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.fail.Exception) as failed:
        needs.act_on(needs.missing(KINDS, ["absent"]))
    assert str(failed.value) == (
        f"CI={value} and this test needs a program nobody has (`apt-get install nothing-such`)"
    )


@pytest.mark.parametrize("value", ["", "0", "false"])
def test_ci_set_to_false_is_not_ci(monkeypatch, value):
    monkeypatch.setenv("CI", value)
    assert not needs.under_ci()


def test_a_misspelt_need_is_an_error_not_a_skip():
    with pytest.raises(KeyError, match="unknown need 'redis'"):
        needs.missing(needs.SERVICES, ["redis"])
