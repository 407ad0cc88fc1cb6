from django.utils.functional import SimpleLazyObject

from .navigation import nav_items
from .roles import Role, primary_role, user_roles


def site(request):
    """The user's municipality (footer, letterhead) and roles, for every template.
    Both are lazy: a page that never shows them costs no query."""
    from .tenancy import public_municipality

    user = getattr(request, "user", None)
    return {
        "municipality": SimpleLazyObject(lambda: public_municipality(request)),
        "user_roles": SimpleLazyObject(lambda: user_roles(user) if user else frozenset()),
        "primary_role": SimpleLazyObject(lambda: primary_role(user) if user else None),
        "Role": Role,
        "nav_items": SimpleLazyObject(lambda: nav_items(request, user_roles(user)) if user else []),
    }
