from django.utils.functional import SimpleLazyObject

from .navigation import nav_items
from .roles import Role, primary_role, user_roles


def site(request):
    """The municipality (footer, letterhead) and the user's roles, for every template.
    Both are lazy: a page that never shows them costs no query."""
    from .models import MunicipalitySettings

    user = getattr(request, "user", None)
    return {
        "municipality": SimpleLazyObject(MunicipalitySettings.load),
        "user_roles": SimpleLazyObject(lambda: user_roles(user) if user else frozenset()),
        "primary_role": SimpleLazyObject(lambda: primary_role(user) if user else None),
        "Role": Role,
        "nav_items": SimpleLazyObject(lambda: nav_items(request, user_roles(user)) if user else []),
    }
