"""Building blocks for the portal's tests: a case far enough along for every
form, a valid draft, a submitted version, an attachment."""

from django.core.files.uploadedfile import SimpleUploadedFile

from applicants.models import Case
from applicants.portal import services
from applicants.portal.definitions import FormKind

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = bytes.fromhex("89504e470d0a1a0a0000000d49484452") + b"\x00" * 32

BUSINESS_PLAN = {
    "product": "Keramik: kopper og skåle",
    "customers": "Turister og folk fra lokalområdet",
    "competitors": "Kunsthåndværkere på markedet",
    "pricing": "Kopper 150 kr., skåle 250 kr.",
    "marketing": "Instagram og markeder",
    "goals": "Sælge 1.000 stykker",
    "risks": "Ovnen går i stykker: leasing",
}


def at_stage(case, stage="business_development"):
    Case.objects.filter(pk=case.pk).update(stage=stage)
    case.refresh_from_db()
    return case


def pdf_upload(name="tilbud.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def submitted_business_plan(case, actor):
    form = services.form_for(case, FormKind.BUSINESS_PLAN)
    services.save_draft(actor=actor, form=form, values=BUSINESS_PLAN)
    return services.submit_form(actor=actor, form=form)


def submitted_person_profile(case, actor):
    """The person profile, sent: leaving the second meeting needs it."""
    from applicants.portal.demo import PERSON_PROFILE

    form = services.form_for(case, FormKind.PERSON_PROFILE)
    services.save_draft(actor=actor, form=form, values=PERSON_PROFILE)
    return services.submit_form(actor=actor, form=form)
