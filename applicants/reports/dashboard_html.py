"""The dashboard's table bodies, rendered in one pass like the timeline's
(:mod:`applicants.reports.cohort_table`): the stages, the conversion per
screening, the pilots' comparison and where citizens left, and the export
links under each table. A template loop resolved, localized and escaped
every cell and cost more than the page's queries; the markup is the same."""

from __future__ import annotations

from html import escape

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def _n(value) -> str:
    """A figure as the template would show it (a decimal with a comma)."""
    return str(value) if isinstance(value, int) else number_format(value)


def _rate(value) -> str:
    return "–" if value is None else f"{_n(value)} %"


def _row(header: str, cells) -> str:
    """One row: ``header`` (markup, escaped by the caller) and the figures
    right-aligned."""
    figures = "".join(f'<td class="text-end">{cell}</td>' for cell in cells)
    return f'<tr><th scope="row" class="fw-normal">{header}</th>{figures}</tr>'


def stage_rows(stages, programme=None) -> SafeString:
    """``stages``: :class:`applicants.reports.selectors.StageCount`; a stage
    with cases links to the case list filtered by it (and the programme)."""
    url = reverse("applicants:case_list")
    extra = f"&amp;programme={programme.pk}" if programme is not None else ""
    parts = []
    for s in stages:
        label = escape(s.label)
        if s.count:
            label = f'<a href="{url}?stage={escape(s.stage)}{extra}">{label}</a>'
        parts.append(_row(label, [s.count]))
    return mark_safe("".join(parts))  # every text is escaped above


def conversion_rows(screenings) -> SafeString:
    """``screenings``: :class:`applicants.reports.selectors.ScreeningConversion`."""
    parts = []
    for s in screenings:
        label = escape(s.label)
        if s.extended:
            text = ngettext("%(counter)s forlænget", "%(counter)s forlænget", s.extended) % {
                "counter": s.extended
            }
            label += f' <span class="text-muted">({escape(text)})</span>'
        cells = [s.entered, s.passed, s.stopped, s.withdrawn, _rate(s.rate)]
        parts.append(_row(label, cells))
    return mark_safe("".join(parts))  # every text is escaped above


def pilot_rows(pilots) -> SafeString:
    """The funnel's comparison with the handbook's pilots (dicts)."""
    parts = []
    for p in pilots:
        ours = f"{p['ours_from']} → {p['ours_to']}"
        if p["ours_rate"] is not None:
            ours += f" ({_n(p['ours_rate'])} %)"
        pilot = f"{p['pilot_from']} → {p['pilot_to']} ({_n(p['pilot_rate'])} %)"
        parts.append(_row(escape(str(p["label"])), [ours, pilot]))
    return mark_safe("".join(parts))  # every text is escaped above


def exit_rows(exits) -> SafeString:
    """``exits``: (stage label, declined, withdrawn)."""
    rows = (_row(escape(label), [declined, withdrawn]) for label, declined, withdrawn in exits)
    return mark_safe("".join(rows))  # every label is escaped


def export_links(report: str, label: str, query: str = "") -> SafeString:
    """The CSV and Excel links of one report's table (the page's filters
    carried over), named for screen readers by ``label``."""
    suffix = f"?{escape(query)}" if query else ""
    name = f'<span class="visually-hidden"> ({escape(str(label))})</span>'
    links = " · ".join(
        f'<a href="{reverse("reports:export", args=[report, fmt])}{suffix}">{text}{name}</a>'
        for fmt, text in (("csv", "CSV"), ("xlsx", "Excel"))
    )
    return mark_safe(  # the label and the query are escaped
        f'<p class="small mb-2">{escape(_("Hent tabellen"))}: {links}</p>'
    )
