from django import template

from mikrolaan.roles import is_staff_member as _is_staff_member

register = template.Library()


@register.filter
def is_staff_member(user) -> bool:
    """``{% if user|is_staff_member %}``: the microloan team (members and lead)."""
    return _is_staff_member(user)
