from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "mikrolaan.privacy"
    label = "privacy"
    verbose_name = _("Databeskyttelse")

    def ready(self):
        from mikrolaan.navigation import register_nav
        from mikrolaan.roles import Role

        # Every app's gdpr.py registers its personal data and retention rules.
        autodiscover_modules("gdpr")
        roles = [Role.TEAM_LEAD, Role.ADMINISTRATOR]
        register_nav("privacy:access_log", _("Adgangslog"), roles=roles, order=80, group="setup")
        register_nav(
            "privacy:retention_report", _("Sletning"), roles=roles, order=85, group="setup"
        )
