"""CPR numbers in templates: ``{% load cpr %}``, then ``{{ value|cpr_masked }}``
(``010185-XXXX``) or ``{{ value|cpr }}`` (the full number, with its dash)."""

from django import template

from applicants.cpr import format_cpr, mask_cpr

register = template.Library()


@register.filter
def cpr_masked(value):
    return mask_cpr(value)


@register.filter
def cpr(value):
    return format_cpr(value)
