from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicantsConfig(AppConfig):
    name = "applicants"
    verbose_name = _("Borgere og forløb")

    def ready(self):
        from mikrolaan.navigation import register_nav
        from mikrolaan.roles import STAFF_ROLES, Role

        from . import start_pages  # noqa: F401 - registers the start-page sections

        register_nav("applicants:case_list", _("Forløb"), roles=STAFF_ROLES, order=10)
        register_nav("applicants:inquiry_create", _("Ny henvendelse"), roles=STAFF_ROLES, order=15)
        register_nav("applicants:programme_list", _("Programmer"), roles=STAFF_ROLES, order=18)
        register_nav(
            "applicants:referral_create", _("Henvis en borger"), roles=[Role.CASEWORKER], order=10
        )
