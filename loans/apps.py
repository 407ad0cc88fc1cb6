from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoansConfig(AppConfig):
    name = "loans"
    verbose_name = _("Forsørgelse og lån")

    def ready(self):
        from mikrolaan.navigation import register_nav
        from mikrolaan.roles import Role

        register_nav(
            "loans:scheme_edit", _("Ordning"), roles=[Role.TEAM_LEAD, Role.ADMINISTRATOR], order=90
        )
