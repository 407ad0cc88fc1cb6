"""Sign-in backend: Django's own, loading with the user what every page needs.

Every signed-in request needs the user, the municipality they belong to (the
scope of every query, the footer, the letterhead) and their roles (the check
on every view); one query brings all three instead of three."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db.models import Aggregate, CharField, OuterRef, Subquery

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


class MunicipalityModelBackend(ModelBackend):
    def get_user(self, user_id):
        User = get_user_model()
        try:
            user = (
                User._default_manager.select_related("profile__municipality")
                .annotate(_role_names=role_names_subquery())
                .get(pk=user_id)
            )
        except User.DoesNotExist:
            return None
        if not self.user_can_authenticate(user):
            return None
        # What roles.user_roles() would otherwise ask the database for.
        names = set(filter(None, (user._role_names or "").split(",")))
        if user.is_superuser:
            names.add(str(Role.ADMINISTRATOR))
        user._mikrolaan_roles = frozenset(names)
        return user
