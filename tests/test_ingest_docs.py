"""The worked example in docs/IMPORT.md runs as written."""

from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_worked_example_in_import_md_runs(capsys):
    text = (ROOT / "docs" / "IMPORT.md").read_text(encoding="utf-8")
    example = text.split("## Worked example", 1)[1]
    code = re.search(r"```python\n(.*?)```", example, re.S).group(1)
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        exec(compile(code, "docs/IMPORT.md", "exec"), {})
    finally:
        os.chdir(cwd)
    assert "passt zu keinem Gebiet" in capsys.readouterr().out
