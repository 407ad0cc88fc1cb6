"""The English catalogue is complete: every message has a translation and
none is marked fuzzy (run `make messages` and translate after adding text)."""

import shutil
import subprocess
from pathlib import Path

import pytest

PO = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"


@pytest.mark.skipif(shutil.which("msgattrib") is None, reason="GNU gettext is not installed")
@pytest.mark.parametrize("flag", ["--untranslated", "--only-fuzzy"])
def test_english_catalogue_has_no_untranslated_or_fuzzy_messages(flag):
    out = subprocess.run(
        ["msgattrib", flag, "--no-wrap", str(PO)], capture_output=True, text=True, check=True
    ).stdout
    messages = [
        line for line in out.splitlines() if line.startswith("msgid ") and line != 'msgid ""'
    ]
    assert messages == []
