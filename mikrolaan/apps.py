from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MikrolaanConfig(AppConfig):
    name = "mikrolaan"
    verbose_name = _("Mikrolån (fælles)")

    def ready(self):
        from . import formerrors, formsafety

        formerrors.install()
        formsafety.install()
