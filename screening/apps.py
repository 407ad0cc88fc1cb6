from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

PAGE_LABELS = {
    "screening:start": _("Ny screening"),
    "screening:edit": _("Screening (kladde)"),
    "screening:preview": _("Screening: afgørelse og brev"),
    "screening:detail": _("Screening"),
    "screening:correct": _("Rettelse af screening"),
    "screening:assessment_pdf": _("Vurdering og indstilling (PDF)"),
    "screening:hearing_create": _("Partshøring"),
    "screening:hearing_exception": _("Undtagelse fra partshøring"),
    "screening:hearing_comments": _("Bemærkninger til partshøring"),
    "screening:portal_hearing": _("Partshøring i portalen"),
    "screening:criteria": _("Screeningskriterier"),
    "screening:criterion_create": _("Nyt screeningskriterium"),
    "screening:criterion_edit": _("Screeningskriterium"),
}


class ScreeningConfig(AppConfig):
    name = "screening"
    verbose_name = _("Screeninger")

    def ready(self):
        from applicants.case_sections import register_case_section
        from mikrolaan.access_log import register_page_labels
        from mikrolaan.navigation import register_nav
        from mikrolaan.roles import Role

        from . import conditions, letter_kinds, portal_basis, start_pages  # noqa: F401
        from .case_page import screenings_section

        conditions.register()
        portal_basis.register()
        register_page_labels(PAGE_LABELS)
        register_case_section("screening/includes/case_screenings.html", screenings_section)
        register_nav(
            "screening:criteria",
            _("Kriterier"),
            roles=[Role.TEAM_LEAD],
            order=60,
            group="setup",
        )
