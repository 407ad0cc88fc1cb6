"""Login throttling on top of django-axes, with one limit per kind of client.

Axes counts failed logins per lockout parameter group (settings
``AXES_LOCKOUT_PARAMETERS``) but compares every group with the same limit.
Here a group keyed on the username is compared with ``AXES_FAILURE_LIMIT``
(5: one person's typos), and a group without the username — the client
address across usernames — with ``AXES_IP_FAILURE_LIMIT`` (30). A jobcentre
whose staff share one address is then not locked as a whole by one user's
typos, and one address trying many usernames is still stopped.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit, get_lockout_parameters
from django.conf import settings
from django.db.models import Sum


def _counts_username(group) -> bool:
    return group == "username" or (not isinstance(group, str) and "username" in group)


class AxesHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        """The worst group's failures, scaled to ``AXES_FAILURE_LIMIT``.

        Axes locks when this reaches ``AXES_FAILURE_LIMIT``; scaling a group's
        count by ``limit // group_limit`` (floor) makes that happen exactly
        when the group reaches its own limit."""
        limit = get_failure_limit(request, credentials)
        groups = get_lockout_parameters(request, credentials)
        attempts_per_group = self.get_user_attempts(request, credentials)
        worst = 0
        for group, attempts in zip(groups, attempts_per_group, strict=True):
            failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            group_limit = limit if _counts_username(group) else settings.AXES_IP_FAILURE_LIMIT
            worst = max(worst, failures * limit // group_limit)
        return worst


def client_ip_address(request) -> str | None:
    """The address the login came from. Behind the TLS proxy
    (``DJANGO_BEHIND_PROXY``) every request comes from the proxy, so the
    address the proxy appended to X-Forwarded-For is used; a client can put
    anything before it, but not after."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR")
