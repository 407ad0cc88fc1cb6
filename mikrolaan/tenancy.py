"""The municipality boundary, in one place.

One installation serves many municipalities (SPEC §1). Every model that
holds a citizen's data inherits :class:`mikrolaan.models.MunicipalityOwned`,
whose default manager filters by the municipality of the request being
served. :class:`MunicipalityMiddleware` sets that scope from the signed-in
user for the duration of the request, so that selectors, object lookups,
form choices and uniqueness checks all see their own municipality's rows
only: a row of another municipality is simply not found (a 404, never a
403, so ids cannot be probed).

Outside a request — Celery tasks, management commands, migrations, and tests
that call services directly — nothing is filtered: that code acts on ids it
was given, not on what a user typed. Django's superuser is the one user who
sees across municipalities, and only in Django's admin site, where every
read of a citizen is written to the access log like any other page.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models

# Inside a request: the municipality's id, or NOBODY (a signed-in user with no
# municipality, or an anonymous visitor: sees no citizen data at all).
# Outside a request: UNSCOPED.
UNSCOPED = object()
NOBODY = 0  # no municipality has id 0
_scope: ContextVar = ContextVar("mikrolaan_municipality_scope", default=UNSCOPED)


def current_scope():
    """The municipality id that querysets are filtered by, NOBODY, or UNSCOPED."""
    return _scope.get()


def current_municipality_id() -> int | None:
    """The municipality id of the request being served, if any."""
    scope = _scope.get()
    return scope if isinstance(scope, int) and scope != NOBODY else None


@contextmanager
def scoped_to(municipality_id):
    """Run a block as if serving a request of this municipality (NOBODY and
    UNSCOPED are accepted too). Used by the middleware and by tests."""
    token = _scope.set(municipality_id if municipality_id is not None else NOBODY)
    try:
        yield
    finally:
        _scope.reset(token)


@contextmanager
def unscoped():
    """Lift the filter for a block: only for code that must see across
    municipalities on purpose (the superuser's admin site, system jobs)."""
    token = _scope.set(UNSCOPED)
    try:
        yield
    finally:
        _scope.reset(token)


class MunicipalityOwnedQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """Bulk inserts skip ``save()``: rows take their parent's municipality
        here too, and a mismatch is refused the same way."""
        objs = list(objs)
        for obj in objs:
            parents = obj._parent_municipality_ids()
            if obj.municipality_id is None:
                obj.municipality_id = next(iter(parents), None) or current_municipality_id()
            if parents - {obj.municipality_id}:
                raise ValueError(f"{type(obj).__name__} refers to another municipality's rows")
        return super().bulk_create(objs, *args, **kwargs)


class MunicipalityScopedManager(models.Manager.from_queryset(MunicipalityOwnedQuerySet)):
    """The default manager of every municipality-owned model."""

    def get_queryset(self):
        return scope_queryset(super().get_queryset())


def scope_queryset(qs):
    """Filter a queryset of a municipality-owned model to the current scope."""
    scope = _scope.get()
    if scope is UNSCOPED:
        return qs
    return qs.filter(municipality_id=scope)


def scope_users(qs):
    """Users (not a municipality-owned model: Django's own) limited to the
    request's municipality, through their profile."""
    scope = _scope.get()
    if scope is UNSCOPED:
        return qs
    return qs.filter(profile__municipality_id=scope)


# Callables (user) -> municipality id or None, asked when a user has no
# profile: the applicants app answers for a citizen from their case.
USER_MUNICIPALITY_RESOLVERS: list = []


def user_municipality(user):
    """The Municipality a user belongs to (staff, caseworker, mentor,
    administrator and citizen alike), loaded with their profile in one query
    and cached on the user for the request."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_mikrolaan_municipality"):
        from .models import Municipality, UserProfile

        if "profile" in user._state.fields_cache:  # loaded with the user
            profile = user._state.fields_cache["profile"]
        else:
            profile = (
                UserProfile.objects.filter(user_id=user.pk).select_related("municipality").first()
            )
        found = profile.municipality if profile else None
        for resolve in USER_MUNICIPALITY_RESOLVERS if found is None else ():
            municipality_id = resolve(user)
            if municipality_id is not None:
                found = Municipality.objects.get(pk=municipality_id)
                break
        user._mikrolaan_municipality = found
    return user._mikrolaan_municipality


def user_municipality_id(user) -> int | None:
    municipality = user_municipality(user)
    return municipality.pk if municipality is not None else None


def scope_for_request(request):
    """What the request may see: its user's municipality; everything for a
    superuser in Django's admin site (or a superuser with no municipality);
    nothing for anyone else."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return NOBODY
    if user.is_superuser:
        from django.urls import reverse

        in_admin = request.path.startswith(reverse("admin:index"))
        municipality_id = user_municipality_id(user)
        if in_admin or municipality_id is None:
            return UNSCOPED
        return municipality_id
    return user_municipality_id(user) or NOBODY


def request_municipality(request):
    """The Municipality of the request's user (None for a user without one)."""
    return user_municipality(getattr(request, "user", None))


def public_municipality(request):
    """The municipality whose name and links an anonymous visitor sees in the
    footer (the sign-in page): the user's own once signed in, else the first
    one of the installation."""
    from .models import Municipality

    return request_municipality(request) or Municipality.objects.order_by("pk").first()


class MunicipalityMiddleware:
    """Scope every query of the request to the signed-in user's municipality.
    Streaming responses keep the scope while their content is produced."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        scope = scope_for_request(request)
        token = _scope.set(scope)
        try:
            response = self.get_response(request)
        finally:
            _scope.reset(token)
        if getattr(response, "streaming", False):
            response.streaming_content = streaming_with(
                _scope, scope, response.streaming_content, reset_to=UNSCOPED
            )
        return response


def streaming_with(var: ContextVar, value, content, *, reset_to, after=None):
    """Stream ``content`` with the context variable set as it was for the
    view (a streamed export reads its rows after the middleware returned),
    then call ``after``."""
    token = var.set(value)
    try:
        yield from content
    finally:
        try:
            var.reset(token)
        except ValueError:  # finished in another context than it started
            var.set(reset_to)
    if after is not None:
        after()
