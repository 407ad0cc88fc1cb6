"""Sign-in backend: Django's own, loading the user with their municipality.

Every signed-in request needs the user and the municipality they belong to
(the scope of every query, the footer, the letterhead); one query brings
both instead of two."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class MunicipalityModelBackend(ModelBackend):
    def get_user(self, user_id):
        User = get_user_model()
        try:
            user = User._default_manager.select_related("profile__municipality").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
