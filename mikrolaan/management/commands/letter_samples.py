"""Render every registered letter kind with sample data, to look at.

    python manage.py letter_samples OUTDIR

The sample citizen, case and staff member are saved inside a transaction
that is rolled back, so the database is left as it was.
"""

import datetime
import uuid
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from mikrolaan.letters.registry import all_kinds
from mikrolaan.letters.rendering import render_letter_pdf
from mikrolaan.letters.services import build_letter


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Render a sample PDF of every letter kind into OUTDIR/<kind>.pdf."

    def add_arguments(self, parser):
        parser.add_argument("outdir")
        parser.add_argument("--kind", action="append", help="only this kind (repeatable)")

    def handle(self, *args, outdir, kind=None, **options):
        out = Path(outdir)
        out.mkdir(parents=True, exist_ok=True)
        written = []
        try:
            with transaction.atomic():
                case = self._sample_case()
                for letter_kind in all_kinds():
                    if kind and letter_kind.id not in kind:
                        continue
                    letter = build_letter(
                        kind=letter_kind.id,
                        case=case,
                        context=letter_kind.sample_context,
                    )
                    letter.pk = 0
                    path = out / f"{letter_kind.id}.pdf"
                    path.write_bytes(render_letter_pdf(letter))
                    written.append(path)
                raise _Rollback
        except _Rollback:
            pass
        for path in written:
            self.stdout.write(str(path))

    def _sample_case(self):
        from django.contrib.auth import get_user_model

        from applicants.models import Case, Citizen, Programme
        from mikrolaan.demo import seed_municipality

        # The demo letterhead, unless the municipality has set up its own.
        municipality = seed_municipality()
        staff = get_user_model().objects.create(
            username=f"letter-sample-staff-{uuid.uuid4().hex[:8]}",
            first_name="Søren",
            last_name="Ørsted Åberg",
            email="soeren.aaberg@eksempel.dk",
        )
        cpr = next(
            f"0101{n:06d}"
            for n in range(859999, 0, -1)
            if not Citizen.objects.filter(municipality=municipality, cpr=f"0101{n:06d}").exists()
        )
        citizen = Citizen.objects.create(
            municipality=municipality,
            first_name="Ærling Østergård",
            last_name="Å. Jensen",
            cpr=cpr,
            street="Søndergade 12, 2. tv.",
            postcode="8000",
            city="Aarhus C",
            email="borger@eksempel.dk",
        )
        programme = Programme.objects.create(
            municipality=municipality,
            name=f"Eksempelforløb {uuid.uuid4().hex[:8]}",
            start_date=datetime.date(2026, 1, 5),
        )
        prefix = f"{municipality.code}-2026"
        case_number = next(
            f"{prefix}-{n:05d}"
            for n in range(99999, 0, -1)
            if not Case.objects.filter(case_number=f"{prefix}-{n:05d}").exists()
        )
        return Case.objects.create(
            municipality=municipality,
            case_number=case_number,
            citizen=citizen,
            responsible=staff,
            programme=programme,
        )
