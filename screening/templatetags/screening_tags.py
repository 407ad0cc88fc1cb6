from django import template

register = template.Library()


@register.filter
def field(form, name):
    """A bound field of a form by name: ``{{ form|field:"score_3" }}``."""
    return form[name]
