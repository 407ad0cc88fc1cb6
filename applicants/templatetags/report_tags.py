"""``{% load report_tags %}``: the export links under a report's table,
built in one pass (:func:`applicants.reports.dashboard_html.export_links`)."""

from django import template

from applicants.reports.dashboard_html import export_links as _export_links

register = template.Library()


@register.simple_tag(takes_context=True)
def export_links(context, report, label):
    """``{% export_links "faser" _("forløb pr. fase") %}``: the page's
    ``query`` (its filters) is carried over."""
    return _export_links(report, label, context.get("query") or "")
