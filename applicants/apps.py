from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# What each page shows, for the access log (mikrolaan.access_log).
PAGE_LABELS = {
    "home": _("Startsiden"),
    "applicants:case_list": _("Forløbslisten"),
    "applicants:case_export": _("Eksport af forløbslisten (CSV)"),
    "applicants:referral_status": _("Status på henvisning"),
    "applicants:referral_list": _("Mine henviste borgere"),
    "applicants:case_detail": _("Forløbssiden"),
    "applicants:citizen_edit": _("Borgerens oplysninger"),
    "applicants:case_edit": _("Forløbets oplysninger"),
    "applicants:phone_interview_create": _("Telefonsamtale"),
    "applicants:meeting_create": _("Planlægning af møde"),
    "applicants:meeting_record": _("Registrering af møde"),
    "applicants:meeting_move": _("Flytning af møde"),
    "applicants:meeting_cancel": _("Aflysning af møde"),
    "applicants:case_transition": _("Skift af fase"),
    "applicants:inquiry_create": _("Ny henvendelse"),
    "applicants:referral_create": _("Henvisning"),
    "applicants:form_review": _("Borgerens skema"),
    "applicants:portal_invite": _("Invitation til portalen"),
    "applicants:person_profile_for_citizen": _("Registrering af personprofilen for borgeren"),
    "portal:attachment_download": _("Bilag til skema"),
    "portal:version_pdf": _("Skema som PDF"),
    "privacy:access_log": _("Adgangsloggen"),
    "privacy:access_log_export": _("Eksport af adgangsloggen (CSV)"),
    "privacy:subject_export": _("Udtræk af alle borgerens data (GDPR)"),
    "privacy:retention_report": _("Rapport om sletning"),
    "letters:download": _("Brev (PDF)"),
    "letters:digital_post": _("Brev til Digital Post"),
    "reports:cohorts": _("Tidslinje for et program"),
    "reports:export": _("Eksport af en rapport"),
    "reports:submissions": _("Nye skemaer fra borgerne"),
}


def _citizen_municipality(user):
    """A citizen's municipality follows their case: the newest one's."""
    from .models import Case

    return (
        Case._base_manager.filter(citizen__user=user)
        .order_by("-created_at")
        .values_list("municipality_id", flat=True)
        .first()
    )


def _connect_filter_choice_signals():
    """The case list's cached filter choices (staff, programmes) start a new
    generation whenever what they are read from changes."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from mikrolaan.models import UserProfile

    from .models import Programme
    from .selectors import forget_filter_choices

    User = get_user_model()
    for model in (Programme, User, UserProfile, Group):
        for signal in (post_save, post_delete):
            signal.connect(
                forget_filter_choices, sender=model, dispatch_uid=f"choices-{signal}-{model}"
            )
    m2m_changed.connect(
        forget_filter_choices, sender=User.groups.through, dispatch_uid="choices-groups"
    )


class ApplicantsConfig(AppConfig):
    name = "applicants"
    verbose_name = _("Borgere og forløb")

    def ready(self):
        from mikrolaan.access_log import register_page_labels
        from mikrolaan.navigation import register_nav
        from mikrolaan.roles import STAFF_ROLES, Role
        from mikrolaan.tenancy import USER_MUNICIPALITY_RESOLVERS

        from . import letter_kinds, start_pages  # noqa: F401 - letter kinds, start-page sections
        from .portal import conditions as portal_conditions
        from .reports import start_pages as report_start_pages  # noqa: F401 - my tasks
        from .reports import tables as report_tables  # noqa: F401 - the exports

        portal_conditions.register()

        USER_MUNICIPALITY_RESOLVERS.append(_citizen_municipality)
        _connect_filter_choice_signals()
        register_page_labels(PAGE_LABELS)

        register_nav("applicants:case_list", _("Forløb"), roles=STAFF_ROLES, order=10)
        register_nav("applicants:inquiry_create", _("Ny henvendelse"), roles=STAFF_ROLES, order=15)
        register_nav(
            "applicants:programme_list",
            _("Programmer"),
            roles=STAFF_ROLES,
            order=18,
            group="setup",
        )
        register_nav(
            "applicants:question_texts_index",
            _("Skemaernes spørgsmål"),
            roles=[Role.TEAM_LEAD],
            order=19,
            group="setup",
        )
        register_nav(
            "applicants:referral_create", _("Henvis en borger"), roles=[Role.CASEWORKER], order=10
        )
        register_nav("reports:dashboard", _("Rapporter"), roles=[Role.TEAM_LEAD], order=70)
        register_nav("reports:team", _("Team"), roles=[Role.TEAM_LEAD], order=72, group="setup")
        register_nav(
            "reports:caseworker_information",
            _("Om mikrolån"),
            roles=[Role.CASEWORKER],
            order=20,
        )
