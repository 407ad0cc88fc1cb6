"""The citizen's idle timeout slides with every request they make — the
start page, a letter, the withdrawal page — not only with the forms. To
spare a session write on every page, it slides at most once a minute
(the timeout is then exact to within that minute)."""

import time

from django.conf import settings

from mikrolaan.roles import Role, has_role, is_staff_member

TOUCHED_KEY = "portal_touched"
SLIDE_EVERY_SECONDS = 60


class PortalIdleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and has_role(user, Role.CITIZEN)
            and not is_staff_member(user)
        ):
            now = int(time.time())
            if now - request.session.get(TOUCHED_KEY, 0) >= SLIDE_EVERY_SECONDS:
                request.session[TOUCHED_KEY] = now
                request.session.set_expiry(settings.PORTAL_IDLE_MINUTES * 60)
        return self.get_response(request)
