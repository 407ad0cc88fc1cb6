"""The team lead's writes behind the reports; each audited."""

from django.db import transaction
from django.utils import timezone

from mikrolaan.audit import record_event

from .models import BusinessCaseAssumptions, SetupCheck, SetupItem, TeamMember


@transaction.atomic
def save_assumptions(*, actor, assumptions: BusinessCaseAssumptions, data: dict):
    """Save the business case's assumptions (the municipality's one row)."""
    before = {k: str(getattr(assumptions, k)) for k in data}
    for key, value in data.items():
        setattr(assumptions, key, value)
    assumptions.updated_by = actor
    assumptions.updated_at = timezone.now()
    assumptions.full_clean(exclude=["municipality"])
    assumptions.save()
    record_event(
        actor=actor,
        action="business_case.assumptions_changed",
        obj=assumptions,
        data={"before": before, "after": {k: str(v) for k, v in data.items()}},
    )
    return assumptions


@transaction.atomic
def tick_setup_item(*, actor, programme, item: str, done: bool, note: str = "") -> SetupCheck:
    """Tick (or untick) one item of the programme's set-up checklist,
    recording who did it and when."""
    SetupItem(item)  # refuses an unknown item
    check, _created = SetupCheck.objects.select_for_update().get_or_create(
        programme=programme, item=item
    )
    check.done = done
    check.note = note[:300]
    check.ticked_by = actor
    check.ticked_at = timezone.now()
    check.full_clean(exclude=["municipality"])
    check.save()
    record_event(
        actor=actor,
        action="programme.setup_ticked" if done else "programme.setup_unticked",
        obj=programme,
        data={"item": item, "note": check.note},
    )
    return check


@transaction.atomic
def save_team_member(*, actor, member: TeamMember, data: dict) -> TeamMember:
    """Add a person to the competence matrix, or change their share and
    competences."""
    for key, value in data.items():
        setattr(member, key, value)
    member.competences = sorted(set(member.competences or []))
    member.updated_by = actor
    member.full_clean(exclude=["municipality"])
    member.save()
    record_event(
        actor=actor,
        action="team.member_saved",
        obj=member,
        object_repr=f"{member._meta.verbose_name} {member.user_id}",
        data={"fte": str(member.fte), "competences": member.competences},
    )
    return member


@transaction.atomic
def remove_team_member(*, actor, member: TeamMember) -> None:
    record_event(
        actor=actor,
        action="team.member_removed",
        obj=member,
        object_repr=f"{member._meta.verbose_name} {member.user_id}",
    )
    member.delete()
