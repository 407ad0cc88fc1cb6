from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoansConfig(AppConfig):
    name = "loans"
    verbose_name = _("Forsørgelse og lån")

    def ready(self):
        # Repayment: its letter kinds and its daily job register on import.
        from mikrolaan.navigation import register_nav
        from mikrolaan.roles import Role

        from . import reminders, repayment_gdpr, repayment_letters  # noqa: F401

        register_nav(
            "loans:scheme_edit", _("Ordning"), roles=[Role.TEAM_LEAD, Role.ADMINISTRATOR], order=90
        )
