"""Roles (SPEC §1) and the one way a view requires them.

A role is a Django group whose name is the role's id. Groups and their model
permissions are created by migrations (``mikrolaan/migrations/0002_roles``);
later apps grant their own permissions with :func:`grant_permissions` in a
data migration of their own.

Views:

    @role_required(*STAFF_ROLES)
    def case_list(request): ...

    class CaseDetail(RoleRequiredMixin, DetailView):
        allowed_roles = STAFF_ROLES

Anonymous users are sent to the login page; a signed-in user without one of
the roles gets 403. Object checks (a citizen sees only their own case) stay in
the view or selector, on top of this.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    TEAM_MEMBER = "team_member", _("Mikrolånsmedarbejder")
    TEAM_LEAD = "team_lead", _("Teamleder")
    CASEWORKER = "caseworker", _("Sagsbehandler")
    CITIZEN = "citizen", _("Iværksætter")
    MENTOR = "mentor", _("Mentor")
    ADMINISTRATOR = "administrator", _("Administrator")


ALL_ROLES = tuple(Role)
# The microloan team: everything about case work. The team lead does all a
# team member does, plus the second signature, reports and settings.
STAFF_ROLES = (Role.TEAM_MEMBER, Role.TEAM_LEAD)


def user_roles(user) -> frozenset[str]:
    """The role ids of a user, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_mikrolaan_roles", None)
    if cached is None:
        names = set(user.groups.filter(name__in=list(Role.values)).values_list("name", flat=True))
        if user.is_superuser:
            names.add(Role.ADMINISTRATOR)
        cached = frozenset(names)
        user._mikrolaan_roles = cached
    return cached


def has_role(user, *roles) -> bool:
    return bool(user_roles(user) & {str(r) for r in roles})


def is_staff_member(user) -> bool:
    return has_role(user, *STAFF_ROLES)


def primary_role(user) -> str | None:
    """The role whose start page a user sees, most powerful first."""
    order = [
        Role.TEAM_LEAD,
        Role.TEAM_MEMBER,
        Role.ADMINISTRATOR,
        Role.CASEWORKER,
        Role.MENTOR,
        Role.CITIZEN,
    ]
    roles = user_roles(user)
    return next((str(r) for r in order if r in roles), None)


def check_roles(request, roles) -> None:
    """Raise PermissionDenied unless the signed-in user has one of the roles."""
    if not has_role(request.user, *roles):
        raise PermissionDenied


def role_required(*roles):
    """Decorator: anonymous → login page; signed in without a role → 403."""
    if not roles:
        raise ValueError("role_required needs at least one role")

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            check_roles(request, roles)
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = tuple(str(r) for r in roles)
        return wrapped

    return decorator


class RoleRequiredMixin:
    """Class-based views: set ``allowed_roles``."""

    allowed_roles: tuple = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        check_roles(request, self.allowed_roles)
        return super().dispatch(request, *args, **kwargs)


def grant_permissions(apps, mapping: dict[str, list[str]]) -> None:
    """For data migrations: make sure each role's group exists and holds the
    listed permissions. Creates missing permissions first, since Django only
    creates them after all migrations have run (post_migrate)."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in mapping.items():
        group, _created = Group.objects.get_or_create(name=str(role))
        for perm in perms:
            app_label, codename = perm.split(".", 1)
            permission = Permission.objects.get(
                content_type__app_label=app_label, codename=codename
            )
            group.permissions.add(permission)
