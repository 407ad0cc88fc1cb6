"""The plan table's rows (120 on a ten-year loan), rendered in one pass.

A template loop over 120 instalments costs a dozen milliseconds of CPU per
page — five variable look-ups, a date filter and two money filters per row,
each escaping and localizing. The pages pass the rows as one escaped HTML
string built here instead, with each distinct amount formatted once (most
instalments of a plan are equal)."""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from mikrolaan.formatting import dansk_dato, format_kr


class _Kroner(dict):
    """Money → text, each amount formatted once per page."""

    def __missing__(self, amount):
        text = self[amount] = format_kr(amount)
        return text


def loan_page_rows(instalments) -> SafeString:
    """The loan page's plan (``selectors.loan_overview``'s instalments):
    rate, due date (dd.mm.yyyy), amount, paid, status."""
    kr = _Kroner()
    paid_label = _("Betalt")
    overdue = format_html('<span class="text-danger">{}</span>', _("Forfalden"))
    return format_html_join(
        "",
        '<tr><td>{}</td><td>{}</td><td class="text-end">{}</td>'
        '<td class="text-end">{}</td><td>{}</td></tr>',
        (
            (
                i.seq,
                i.due_date.strftime("%d.%m.%Y"),
                kr[i.amount],
                kr[i.paid],
                paid_label if i.is_paid else overdue if i.is_overdue else "–",
            )
            for i in instalments
        ),
    )


_BADGES = {"overdue": "danger", "paid": "success", "partial": "warning"}


def repayment_page_rows(instalments) -> SafeString:
    """The repayment page's plan (``repayment_context``'s instalments, with
    ``status`` and ``status_label``): rate, due date, amount, paid, status."""
    kr = _Kroner()
    return format_html_join(
        "",
        '<tr><td>{}</td><td class="text-nowrap">{}</td><td class="text-end">{}</td>'
        '<td class="text-end">{}</td><td>{}</td></tr>',
        (
            (
                i.seq,
                dansk_dato(i.due_date),
                kr[i.amount],
                kr[i.paid],
                format_html(
                    '<span class="badge text-bg-{}">{}</span>', _BADGES[i.status], i.status_label
                )
                if i.status in _BADGES
                else "",
            )
            for i in instalments
        ),
    )


def repayment_payment_rows(payments, csrf_token: str) -> SafeString:
    """The repayment page's payments (``repayment_context``'s, with
    ``reverse_url``, ``seqs``, ``over`` and ``is_reversed``), newest first:
    value date, amount, method, reference, the instalments it paid, who
    registered it, and its reversal or the form to reverse it. A loan five
    years in has some sixty; a template loop with a form per row cost more
    than the rest of the page."""
    from .repayment_models import PaymentMethod

    kr = _Kroner()
    methods = {key: str(label) for key, label in PaymentMethod.choices}
    recovery = format_html(' <span class="badge text-bg-secondary">{}</span>', _("inddrivelse"))
    automatic = _("Automatisk")
    form_texts = (
        _("Tilbagefør"),
        _("Begrundelse for tilbageførslen"),
        _("Tilbagefør indbetalingen"),
    )
    rows = []
    for p in payments:
        day = dansk_dato(p.value_date)
        paid = ""
        if p.seqs:
            paid = str(p.seqs[0]) + (f"–{p.seqs[-1]}" if len(p.seqs) > 1 else "")
        if p.over:
            paid += " " + _("(%(amount)s overskydende)") % {"amount": kr[p.over]}
        by = p.registered_by
        if p.is_reversed:
            undone = p.reversal.reversed_by
            last = format_html(
                "{}",
                _("Tilbageført: %(reason)s (%(by)s)")
                % {
                    "reason": p.reversal.reason,
                    "by": (undone.get_full_name() or undone.username) if undone else "",
                },
            )
        else:
            last = format_html(
                '<details><summary>{}</summary>\n        <form method="post" action="{}" '
                'class="mt-2"><input type="hidden" name="csrfmiddlewaretoken" value="{}">\n'
                '          <label class="form-label" for="reason-{}">{}</label>\n'
                '          <textarea class="form-control" name="reason" id="reason-{}" rows="2" '
                "required></textarea>\n"
                '          <button type="submit" class="btn btn-outline-danger btn-sm mt-2">{}'
                "</button>\n        </form></details>",
                form_texts[0],
                p.reverse_url,
                csrf_token,
                p.pk,
                form_texts[1],
                p.pk,
                form_texts[2],
            )
        rows.append(
            format_html(
                '<tr{}>\n      <td class="text-nowrap">{}</td>\n'
                '      <td class="text-end text-nowrap">{}{}</td>\n'
                "      <td>{}</td>\n      <td>{}</td>\n      <td>{}</td>\n"
                "      <td>{}</td>\n      <td>{}</td>\n    </tr>",
                mark_safe(' class="text-muted"') if p.is_reversed else "",
                format_html("<del>{}</del>", day) if p.is_reversed else day,
                kr[p.amount],
                recovery if p.is_recovery else "",
                methods.get(p.method, p.method),
                p.reference,
                paid,
                (by.get_full_name() or by.username) if by else automatic,
                last,
            )
        )
    return mark_safe("\n".join(rows))
