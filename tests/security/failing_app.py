"""Test entry point: the app with one view that always fails (the Methodik page's
disclosure text), for the browser test of the German error page
(tests/security/test_hostile_browser.py). Never used outside tests.

``streamlit run tests/security/failing_app.py`` from the repository root: the
failure is patched into the module before app.py runs, as a bug would be.
"""

import runpy
from pathlib import Path

import monitor.views.disclosure as disclosure

FAILURE = "forced failure for the error-page test"


def _fail(*_args, **_kwargs):
    raise RuntimeError(FAILURE)


if __name__ == "__main__":  # as Streamlit runs it; importing FAILURE patches nothing
    disclosure.disclosure_paragraphs = _fail
    runpy.run_path(
        str(Path(__file__).resolve().parents[2] / "app.py"), run_name="__main__"
    )
