"""The README stays true: every environment variable the settings read is
in its table."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_environment_variable_is_documented():
    settings_src = (ROOT / "mikrolaan" / "settings.py").read_text()
    names = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', settings_src))
    readme = (ROOT / "README.md").read_text()
    assert names, "no env reads found: the pattern is out of date"
    assert sorted(n for n in names if f"`{n}`" not in readme) == []
