from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "mikrolaan.letters"
    label = "letters"
    verbose_name = _("Breve")

    def ready(self):
        # The built-in letter kinds register themselves on import.
        from . import kinds  # noqa: F401
