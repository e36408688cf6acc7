"""The conftest hook that makes a skipped test fail in CI (``CI``) and under
``make test`` (``QM_NO_SKIP=1``), run on small suites through pytest's pytester."""

from __future__ import annotations

import pytest

SUITE = """
import pytest

def test_passes():
    pass

def test_skips_inside():
    pytest.skip("pdftoppm missing")

@pytest.mark.skipif(True, reason="axe-core missing")
def test_skipped_by_mark():
    pass

def test_imports_or_skips():
    pytest.importorskip("no_such_module_here")

@pytest.mark.xfail(reason="a known bug")
def test_known_bug():
    assert False
"""

# the inner suites get the project's hook (and nothing else from the conftest)
HOOK = "from tests.conftest import pytest_runtest_makereport  # noqa: F401\n"
# in-process runs: no cache, and no second pytest-playwright (its soft-assertion
# scope cannot nest)
INNER = ("-p", "no:cacheprovider", "-p", "no:playwright")


def _suite(pytester, monkeypatch, **env: str):
    """The small suite with the hook, under exactly the settings ``env``."""
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("QM_NO_SKIP", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    pytester.makeconftest(HOOK)
    pytester.makepyfile(test_suite=SUITE)
    return pytester


def test_skips_stay_skips_on_a_developer_machine(pytester, monkeypatch):
    result = _suite(pytester, monkeypatch).runpytest(*INNER)
    result.assert_outcomes(passed=1, skipped=3, xfailed=1)


@pytest.mark.parametrize(
    "name,value", [("QM_NO_SKIP", "1"), ("CI", "true"), ("CI", "1")]
)
def test_every_skip_fails_in_ci(pytester, monkeypatch, name, value):
    result = _suite(pytester, monkeypatch, **{name: value}).runpytest(*INNER, "-rA")
    # a skip in the test body fails the test; a skip mark (evaluated in setup)
    # is reported as an error of the setup; an expected failure stays one
    result.assert_outcomes(passed=1, failed=2, errors=1, xfailed=1)
    result.stdout.fnmatch_lines(["*skips fail here*pdftoppm missing*"])
    result.stdout.fnmatch_lines(["*skips fail here*axe-core missing*"])
    result.stdout.fnmatch_lines(["*skips fail here*no_such_module_here*"])


@pytest.mark.parametrize(
    "name,value", [("CI", "false"), ("CI", "0"), ("QM_NO_SKIP", "0")]
)
def test_a_switched_off_setting_keeps_skips(pytester, monkeypatch, name, value):
    result = _suite(pytester, monkeypatch, **{name: value}).runpytest(*INNER)
    result.assert_outcomes(passed=1, skipped=3, xfailed=1)
