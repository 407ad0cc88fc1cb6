from pathlib import Path

from django.conf import settings
from django.utils import translation

from applicants.diagram import markdown


def test_the_committed_state_machine_picture_is_current():
    committed = (Path(settings.BASE_DIR) / "docs" / "state-machine.md").read_text(encoding="utf-8")
    with translation.override("da"):
        assert committed == markdown(), "run: python manage.py state_machine_diagram"
