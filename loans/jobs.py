"""The support watch (SPEC §9): support ending within four weeks (a setting)
makes a staff task and sends the citizen the request for self-evaluation —
once per end date. Running it again changes nothing; an extension moves the
end date, and the watch warns again before the new one."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from mikrolaan.audit import record_event
from mikrolaan.jobs import daily_job

from . import letters, selectors
from .models import StaffTask, SupportGrant, SupportState, TaskKind


def _watch_one(grant_id: int, *, today: datetime.date) -> bool:
    with transaction.atomic():
        grant = (
            SupportGrant.objects.select_for_update(of=("self",))
            .select_related("case", "case__responsible", "case__citizen")
            .get(pk=grant_id)
        )
        # Claimed by the conditional check under the row lock: a second run
        # (or a second worker) finds watched_end already set and does nothing.
        if grant.state != SupportState.GRANTED or grant.watched_end == grant.ends_on:
            return False
        key = f"support_ending:{grant.pk}:{grant.ends_on.isoformat()}"
        try:
            with transaction.atomic():
                StaffTask.objects.create(
                    case=grant.case,
                    kind=TaskKind.SUPPORT_ENDING,
                    key=key,
                    title=_(
                        "Tilskuddet til forsørgelse udløber den %(day)s: 4. screening og "
                        "selvevaluering"
                    )
                    % {"day": grant.ends_on.strftime("%d.%m.%Y")},
                    due_on=grant.ends_on,
                    assigned_to=grant.case.responsible,
                )
        except IntegrityError:
            pass  # made by an earlier run that stopped before the grant was marked
        deadline = min(
            today + datetime.timedelta(days=settings.SELF_EVALUATION_DAYS), grant.ends_on
        )
        letter = letters.send_self_evaluation_request(grant, deadline=deadline)
        grant.watched_end = grant.ends_on
        grant.self_evaluation_letter = letter
        grant.save(update_fields=["watched_end", "self_evaluation_letter"])
        record_event(
            actor=None,
            action="support.watch",
            obj=grant.case,
            data={"grant": grant.pk, "ends_on": grant.ends_on.isoformat(), "letter": letter.pk},
        )
        return True


@daily_job("support_watch")
def support_watch(*, today: datetime.date) -> int:
    """Grants ending within ``SUPPORT_WATCH_DAYS``; returns how many were warned."""
    until = today + datetime.timedelta(days=settings.SUPPORT_WATCH_DAYS)
    rows = list(
        selectors.running_grants_ending(until=until)
        .filter(ends_on__gte=today)
        .exclude(watched_end=F("ends_on"))
        .values_list("pk", flat=True)
    )
    return sum(_watch_one(pk, today=today) for pk in rows)
