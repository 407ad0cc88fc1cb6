"""Sign-in backend: Django's own, loading with the user what every page needs.

Every signed-in request needs the user, the municipality they belong to (the
scope of every query, the footer, the letterhead) and their roles (the check
on every view); one query brings all three instead of three."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import router
from django.db.models import Aggregate, CharField, OuterRef, Subquery

from .precompiled import CompiledOnce
from .roles import Role


class JoinedNames(Aggregate):
    """The names joined by commas (role ids hold none): STRING_AGG on
    PostgreSQL, GROUP_CONCAT elsewhere."""

    function = "GROUP_CONCAT"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s(%(expressions)s, ',')",
        )


def role_names_subquery():
    roles = (
        Group.objects.filter(user=OuterRef("pk"), name__in=Role.values)
        .order_by()
        .values("user")
        .annotate(names=JoinedNames("name"))
        .values("names")
    )
    return Subquery(roles, output_field=CharField())


def _user_with_municipality_and_roles(pk):
    return (
        get_user_model()
        ._default_manager.select_related("profile__municipality")
        .annotate(_role_names=role_names_subquery())
        .filter(pk=pk)
    )


# Compiled to SQL once per process: building this query cost more than
# running it, on every signed-in request.
_USER_QUERY = CompiledOnce(_user_with_municipality_and_roles)


class MunicipalityModelBackend(ModelBackend):
    def get_user(self, user_id):
        User = get_user_model()
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        user = _USER_QUERY.first(pk, using=router.db_for_read(User))
        if user is None:
            return None
        if not self.user_can_authenticate(user):
            return None
        # What roles.user_roles() would otherwise ask the database for.
        names = set(filter(None, (user._role_names or "").split(",")))
        if user.is_superuser:
            names.add(str(Role.ADMINISTRATOR))
        user._mikrolaan_roles = frozenset(names)
        return user
