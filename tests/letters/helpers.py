"""Building letters for tests."""

import hashlib
import io

from django.core.files.base import ContentFile
from django.utils import timezone
from pypdf import PdfReader

from mikrolaan.letters.models import Letter, LetterStatus
from mikrolaan.letters.registry import get_kind
from mikrolaan.letters.services import build_letter
from tests.factories import CaseFactory, CitizenFactory, UserFactory

FAKE_PDF = b"%PDF-1.4\n% test letter\n%%EOF\n"


def make_case(*, citizen_user=None, responsible=None, municipality=None, **citizen_fields):
    if municipality is not None:
        citizen_fields["municipality"] = municipality
    citizen = CitizenFactory(user=citizen_user, **citizen_fields)
    responsible = responsible or UserFactory(
        first_name="Søren", last_name="Ørsted", municipality=citizen.municipality
    )
    return CaseFactory(citizen=citizen, responsible=responsible)


def make_letter(
    *, case=None, kind="decision", status=LetterStatus.GENERATED, pdf=FAKE_PDF, **fields
) -> Letter:
    """A letter row without rendering: generated with a stand-in PDF, or
    pending / failed."""
    case = case or make_case()
    letter = build_letter(kind=kind, case=case, context=get_kind(kind).sample_context)
    for name, value in fields.items():
        setattr(letter, name, value)
    letter.save()
    if status == LetterStatus.GENERATED:
        letter.sha256 = hashlib.sha256(pdf).hexdigest()
        letter.generated_at = timezone.now()
        letter.pdf.save("letter.pdf", ContentFile(pdf), save=False)
    elif status == LetterStatus.FAILED:
        letter.attempts = 6
        letter.last_error = "RuntimeError: skabelonen gik ned"
    letter.status = status
    letter.save()
    return letter


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def pdf_pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def normalise(text: str) -> str:
    """PDF text with its line breaks and hyphenless wraps undone."""
    return " ".join(text.split())
