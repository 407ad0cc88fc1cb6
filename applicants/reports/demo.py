"""Demo data of the reports: the team's competence matrix (one competence
missing, so the warning shows) and the programmes' set-up checklists (the
older programme complete, the newer half-way)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from .models import Competence, SetupCheck, SetupItem, TeamMember

# (share of a full-time equivalent, competences) per team member, in order.
DEMO_MATRIX = [
    (
        Decimal("1.00"),
        [Competence.SELF_EMPLOYMENT, Competence.BUSINESS_ECONOMICS, Competence.MARKETING_SALES],
    ),
    (
        Decimal("0.50"),
        [Competence.SOCIAL_WORK, Competence.CASE_HANDLING, Competence.MUNICIPALITY],
    ),
    (Decimal("0.20"), [Competence.CASE_HANDLING]),
]


def seed_reports(municipality, team, older, newer) -> None:
    """Idempotent: rows that exist are left alone."""
    lead = team[-1]
    for user, (fte, competences) in zip(team, DEMO_MATRIX, strict=False):
        TeamMember.objects.get_or_create(
            municipality=municipality,
            user=user,
            defaults={"fte": fte, "competences": [str(c) for c in competences]},
        )
    items = list(SetupItem)
    for programme, done in ((older, items), (newer, items[:3])):
        for i, item in enumerate(done):
            SetupCheck.objects.get_or_create(
                programme=programme,
                item=item,
                defaults={
                    "municipality": municipality,
                    "done": True,
                    "ticked_by": lead,
                    "ticked_at": timezone.make_aware(
                        datetime.datetime.combine(
                            programme.start_date + datetime.timedelta(weeks=i + 1),
                            datetime.time(10),
                        )
                    ),
                },
            )
