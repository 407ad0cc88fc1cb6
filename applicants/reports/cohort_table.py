"""The timeline's table body (one row per open case of the programme,
hundreds on a large one), rendered in one pass like the case list's: a
template loop cost more than the rest of the page, every value resolved,
localized and escaped by the template engine. The markup is the same."""

from __future__ import annotations

from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _


def cohort_rows(rows) -> SafeString:
    """``rows``: :class:`applicants.reports.selectors.CohortRow`."""
    url = reverse("applicants:case_detail", args=[0]).removesuffix("0/")
    behind = f"<strong>{escape(_('Bagud'))}</strong>"
    on_time = escape(_("Til tiden"))
    danger = ' class="table-danger"'
    parts = []
    for r in rows:
        if not r.planned_first:
            planned = "–"
        elif r.planned_last:
            planned = f"{r.planned_first}–{r.planned_last}"
        else:
            planned = escape(_("fra %(first)s") % {"first": r.planned_first})
        parts.append(
            f"<tr{danger if r.behind else ''}>"
            f'<td><a href="{url}{r.case.pk}/">{escape(r.case.case_number)}</a> '
            f"{escape(r.case.citizen.full_name)}</td>"
            f"<td>{escape(r.stage_label)}</td>"
            f"<td>{planned}</td>"
            f'<td class="text-end">{r.since_week}</td>'
            f'<td class="text-end">{r.weeks_in_stage}</td>'
            f"<td>{behind if r.behind else on_time}</td></tr>"
        )
    return mark_safe("\n".join(parts))  # every text is escaped above
