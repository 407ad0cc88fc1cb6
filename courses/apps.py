from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

PAGE_LABELS = {
    "courses:cohort": _("Hold: deltagere og fremmøde"),
    "courses:session": _("Kursusgang: fremmøderegistrering"),
    "courses:session_cancel": _("Aflysning af kursusgang"),
    "courses:session_edit": _("Ændring af kursusgang"),
    "courses:observation": _("Observationer fra kursusinternatet"),
    "courses:mentors": _("Mentorer og deres iværksættere"),
    "courses:case_mentor": _("Kobling til mentor"),
    "courses:match": _("Mentorforløb"),
    "courses:network_days": _("Netværksdage"),
}


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Kurser og netværk")

    def ready(self):
        from applicants.case_sections import register_case_section
        from applicants.coming import register_coming_source
        from applicants.weeks import register_week_one_source
        from mikrolaan.access_log import register_page_labels
        from mikrolaan.navigation import register_nav
        from mikrolaan.roles import ALL_ROLES, STAFF_ROLES, Role

        from . import basis, letter_kinds, start_pages  # noqa: F401
        from .case_page import cohort_starts, coming_sessions, courses_section

        basis.register()
        register_page_labels(PAGE_LABELS)
        register_case_section("courses/includes/case_courses.html", courses_section, order=60)
        register_coming_source(coming_sessions)
        register_week_one_source(cohort_starts)
        register_nav("courses:cohorts", _("Hold"), roles=STAFF_ROLES, order=40, group="courses")
        register_nav("courses:mentors", _("Mentorer"), roles=STAFF_ROLES, order=45, group="courses")
        register_nav(
            "courses:modules",
            _("Kursusmoduler"),
            roles=[Role.TEAM_LEAD],
            order=65,
            group="courses",
        )
        register_nav(
            "courses:portal_sessions", _("Kurser og netværksdage"), roles=[Role.CITIZEN], order=20
        )
        register_nav("courses:calendar", _("Kalender"), roles=ALL_ROLES, order=90)
