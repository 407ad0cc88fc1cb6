from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

PAGE_LABELS = {
    "loans:loan_detail": _("Lån"),
    "loans:loan_action": _("Lån: handling"),
    "loans:loan_bank": _("Lån: konto og samtykke"),
    "loans:support": _("Tilskud til forsørgelse"),
    "loans:payouts": _("Udbetalinger"),
    "loans:payouts_csv": _("Udbetalinger (CSV)"),
    "loans:portal_loan": _("Mit lån i portalen"),
    "loans:repayment": _("Lån: tilbagebetaling"),
    "loans:statement_line": _("Indbetalinger: linje i kontoudtog"),
    "loans:loan_book": _("Låneportefølje"),
    "loans:loan_book_csv": _("Låneportefølje (CSV)"),
    "loans:portal_statement": _("Mit kontoudtog (PDF)"),
}


class LoansConfig(AppConfig):
    name = "loans"
    verbose_name = _("Forsørgelse og lån")

    def ready(self):
        from applicants.borrowing import register_case_closed_hook, register_loan_facts
        from applicants.case_sections import register_case_section
        from mikrolaan.access_log import register_page_labels
        from mikrolaan.navigation import register_nav
        from mikrolaan.roles import Role

        # Registered on import: letter kinds, start pages and (repayment) the
        # reminders' daily job and the personal data; the dashboard (reports).
        from . import (  # noqa: F401
            letter_kinds,
            reminders,
            repayment_gdpr,
            repayment_letters,
            reports,
            start_pages,
        )
        from .case_page import loans_section
        from .hooks import end_support_with_case, loan_facts
        from .repayment import paid_provider
        from .selectors import register_paid_provider

        register_loan_facts(loan_facts)
        register_paid_provider(paid_provider)
        register_case_closed_hook(end_support_with_case)
        register_page_labels(PAGE_LABELS)
        register_case_section("loans/includes/case_loans.html", loans_section, order=60)
        register_nav(
            "loans:payouts",
            _("Udbetalinger"),
            roles=[Role.TEAM_MEMBER, Role.TEAM_LEAD],
            order=70,
            group="loans",
        )
        register_nav(
            "loans:payments_inbox",
            _("Indbetalinger"),
            roles=[Role.TEAM_MEMBER, Role.TEAM_LEAD],
            order=72,
            group="loans",
        )
        register_nav(
            "loans:loan_book",
            _("Låneportefølje"),
            roles=[Role.TEAM_MEMBER, Role.TEAM_LEAD],
            order=74,
            group="loans",
        )
        register_nav(
            "loans:repayment_settings",
            _("Tilbagebetaling"),
            roles=[Role.TEAM_LEAD],
            order=88,
            group="setup",
        )
        register_nav(
            "loans:scheme_edit",
            _("Ordning"),
            roles=[Role.TEAM_LEAD, Role.ADMINISTRATOR],
            order=90,
            group="setup",
        )
