"""Danish formatting in templates: ``{% load danish %}``.

``{{ amount|kr }}`` → ``1.234,50 kr.`` (whole kroner: ``1.234 kr.``);
``{{ day|dansk_dato }}`` → ``26. november 2026``; see mikrolaan.formatting.
Empty values (None, "") render as an empty string; anything else that is not
an amount or a date raises, so a wrong letter fails loudly instead of being
sent with a blank where the amount should be.
"""

from django import template

from mikrolaan import formatting

register = template.Library()


def _blank(value) -> bool:
    return value is None or value == ""


@register.filter
def kr(value):
    return "" if _blank(value) else formatting.format_kr(value)


@register.filter
def kr_uden_enhed(value):
    return "" if _blank(value) else formatting.format_kr(value, suffix=False)


@register.filter
def dansk_dato(value):
    return "" if _blank(value) else formatting.dansk_dato(value)


@register.filter
def dansk_dato_lang(value):
    return "" if _blank(value) else formatting.dansk_dato_lang(value)


@register.filter
def dansk_klokkeslaet(value):
    return "" if _blank(value) else formatting.dansk_klokkeslaet(value)


@register.filter
def dansk_tidspunkt(value, end=None):
    return "" if _blank(value) else formatting.dansk_tidspunkt(value, end or None)
