"""Rendering letters to PDF: letterhead, Danish text, decision elements, and
a URL fetcher that fetches nothing outside the project's static files."""

import urllib.request
from decimal import Decimal
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from weasyprint.urls import path2url

from mikrolaan.formatting import dansk_dato
from mikrolaan.letters import rendering
from mikrolaan.letters.registry import all_kinds
from mikrolaan.letters.rendering import (
    FetchRefused,
    RestrictedURLFetcher,
    html_to_pdf,
    render_letter_html,
    render_letter_pdf,
    static_file_url,
)
from mikrolaan.letters.services import build_letter
from tests.factories import municipality as home_municipality
from tests.letters.helpers import make_case, normalise, pdf_pages, pdf_text

pytestmark = pytest.mark.django_db

# A 1×1 transparent PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000105fe02fea70000000049454e44ae426082"
)


@pytest.fixture
def municipality(db):
    m = home_municipality()
    m.name = "Ærø Kommune"
    m.department = "Jobcenter Ærø – Mikrolånsteamet"
    m.street = "Statene 2"
    m.postcode = "5970"
    m.city = "Ærøskøbing"
    m.cvr = "29189811"
    m.phone = "63 52 50 00"
    m.email = "mikrolaan@aeroe.dk"
    m.website = "https://www.aeroekommune.dk"
    m.save()
    return m


@pytest.fixture
def case(municipality):
    return make_case(
        first_name="Åse Ødegård",
        last_name="Bæk",
        street="Østergade 5, 1. th.",
        postcode="5970",
        city="Ærøskøbing",
    )


def _decision(case, **overrides):
    context = {
        "title": "Afgørelse om tilskud til forsørgelse",
        "decision": "Du får tilskud til forsørgelse i 6 måneder, mens du starter »Æbleø ApS«.",
        "decided_on": "2026-11-26",
        "period": "1. december 2026 – 31. maj 2027",
        "amount": "12345.50",
        "facts": "Du har gennemført kompetenceforløbet og mødt op til 11 af 12 møder.",
        "considerations": "Vi vurderer, at forretningsplanen er realistisk og gennemførlig.",
        "legal_basis": "",
        **overrides,
    }
    return build_letter(kind="decision", case=case, context=context)


def test_decision_letter_holds_letterhead_and_every_decision_element(case):
    letter = _decision(case)
    pdf = render_letter_pdf(letter)
    text = normalise(pdf_text(pdf))
    # Letterhead and the letter's frame.
    for expected in [
        "Ærø Kommune",
        "Jobcenter Ærø – Mikrolånsteamet",
        "Statene 2",
        "5970 Ærøskøbing",
        "CVR",
        "29189811",
        "63 52 50 00",
        "mikrolaan@aeroe.dk",
        dansk_dato(letter.created_at),
        case.case_number,
        "Åse Ødegård Bæk",
        "Østergade 5, 1. th.",
        "Side 1 af",
    ]:
        assert expected in text, expected
    # What was decided: text, date, period, amount in Danish format.
    assert "Du får tilskud til forsørgelse i 6 måneder, mens du starter »Æbleø ApS«." in text
    # Labels float beside their values, so text extraction may list them apart.
    assert "Afgjort den" in text and "Periode" in text and "Beløb" in text
    assert "26. november 2026" in text
    assert "1. december 2026 – 31. maj 2027" in text
    assert "12.345,50 kr." in text
    # Reasons (forvaltningsloven §§ 22–24).
    assert "Begrundelse" in text
    assert "mødt op til 11 af 12 møder" in text
    assert "forretningsplanen er realistisk" in text
    # Legal basis from the scheme.
    assert "aktivloven) § 65" in text
    # Klagevejledning (§ 25): 4 weeks, writing or orally, reconsideration, Ankestyrelsen.
    assert "Klagevejledning" in text
    assert "senest 4 uger efter, at du har modtaget afgørelsen" in text
    assert "skriftligt eller mundtligt" in text
    assert "Ankestyrelsen senest 4 uger" in text
    # Aktindsigt, contact person and journalnummer.
    assert "Aktindsigt" in text
    assert "Søren Ørsted" in text
    assert f"journalnummer {case.case_number}" in text


def test_a_given_legal_basis_is_quoted(case):
    letter = _decision(case, legal_basis="aktivloven § 65, stk. 3")
    text = normalise(pdf_text(render_letter_pdf(letter)))
    assert "Afgørelsen er truffet efter aktivloven § 65, stk. 3." in text


def test_letter_html_is_danish_with_a_title(case):
    html = render_letter_html(_decision(case))
    assert '<html lang="da">' in html
    assert "<title>Afgørelse om tilskud til forsørgelse</title>" in html


def test_long_letters_number_their_pages(case):
    letter = _decision(case, facts="Mange oplysninger. " * 600)
    pdf = render_letter_pdf(letter)
    pages = pdf_pages(pdf)
    assert pages >= 3
    text = normalise(pdf_text(pdf))
    assert f"Side 1 af {pages}" in text
    assert f"Side {pages} af {pages}" in text


def test_meeting_invitation_says_day_and_time_in_danish(case):
    letter = build_letter(
        kind="meeting_invitation",
        case=case,
        context={
            "meeting_kind": "1. personlige møde",
            "starts_at": "2026-12-01T09:00:00+00:00",
            "ends_at": "",
            "place": "Café Åen",
            "staff": ["Søren Ørsted", "Åse Bæk"],
            "notes": "",
        },
    )
    text = normalise(pdf_text(render_letter_pdf(letter)))
    assert "Invitation til 1. personlige møde" in text
    assert "tirsdag den 1. december 2026 kl. 10.00" in text
    assert "Søren Ørsted, Åse Bæk" in text


@pytest.mark.parametrize("has_loan", [True, False])
def test_withdrawal_confirmation_is_voluntary_and_mentions_the_loan_only_if_any(case, has_loan):
    letter = build_letter(
        kind="withdrawal_confirmation",
        case=case,
        context={
            "withdrawn_on": "2026-11-20",
            "initiated_by": "citizen",
            "reason": "Fast arbejde",
            "has_loan": has_loan,
        },
    )
    text = normalise(pdf_text(render_letter_pdf(letter)))
    assert "udtrådt af mikrolånsforløbet den 20. november 2026" in text
    assert "frivilligt tilbud" in text
    assert "ikke en sanktion" in text
    assert ("skal stadig betales tilbage" in text) is has_loan


@pytest.mark.parametrize("kind", [k.id for k in all_kinds()])
def test_every_kind_renders_its_sample_and_placeholders_say_so(case, kind):
    from mikrolaan.letters.registry import get_kind

    letter_kind = get_kind(kind)
    letter = build_letter(kind=kind, case=case, context=letter_kind.sample_context)
    text = normalise(pdf_text(render_letter_pdf(letter)))
    assert "Ærø Kommune" in text
    assert ("PLADSHOLDER" in text) is letter_kind.placeholder
    assert ("Klagevejledning" in text) is letter_kind.is_decision


# --- the URL fetcher -------------------------------------------------------


def test_fetcher_serves_project_static_files_and_data_urls():
    fetcher = RestrictedURLFetcher()
    response = fetcher.fetch(static_file_url("letters/letter.css"))
    assert b"@page" in response.read()
    assert fetcher.fetch("data:text/plain,hej").read() == b"hej"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/x.png",
        "https://example.com/x.png",
        "ftp://example.com/x.png",
        "file://example.com/etc/passwd",
    ],
)
def test_fetcher_refuses_network_and_other_files(url):
    fetcher = RestrictedURLFetcher()
    with (
        mock.patch.object(urllib.request.OpenerDirector, "open") as opener,
        pytest.raises(FetchRefused),
    ):
        fetcher.fetch(url)
    opener.assert_not_called()
    assert fetcher.refused == [url]


def test_fetcher_refuses_escaping_the_static_folder():
    fetcher = RestrictedURLFetcher()
    escape = static_file_url("letters/letter.css").replace("letter.css", "../../../etc/passwd")
    with pytest.raises(FetchRefused):
        fetcher.fetch(escape)


def test_injected_html_in_user_text_is_escaped_and_nothing_is_fetched(case):
    hostile = '<img src="file:///etc/passwd"> <img src="http://example.com/x.png">'
    letter = _decision(case, facts=hostile, considerations="Se http://example.com/x.png")
    html = render_letter_html(letter)
    assert "<img" not in html.split("<body>")[1]
    fetcher = RestrictedURLFetcher()
    with mock.patch.object(urllib.request.OpenerDirector, "open") as opener:
        pdf = render_letter_pdf(letter, fetcher=fetcher)
    opener.assert_not_called()
    assert fetcher.refused == []
    assert not any("passwd" in url or "example.com" in url for url in fetcher.served)
    text = normalise(pdf_text(pdf))
    assert '<img src="file:///etc/passwd">' in text
    assert "Klagevejledning" in text  # the letter still rendered in full


def test_raw_html_asking_for_forbidden_urls_renders_without_them():
    html = (
        '<html lang="da"><head><title>t</title>'
        '<link rel="stylesheet" href="http://example.com/evil.css"></head><body>'
        '<img src="file:///etc/passwd"><img src="http://example.com/x.png">'
        "<p>Brevet blev dannet</p></body></html>"
    )
    fetcher = RestrictedURLFetcher()
    with mock.patch.object(urllib.request.OpenerDirector, "open") as opener:
        pdf = html_to_pdf(html, fetcher=fetcher)
    opener.assert_not_called()
    assert set(fetcher.refused) == {
        "http://example.com/evil.css",
        "file:///etc/passwd",
        "http://example.com/x.png",
    }
    assert "Brevet blev dannet" in pdf_text(pdf)


def test_the_municipality_logo_is_fetched_from_media_root(municipality, case):
    municipality.logo.save("logo.png", ContentFile(PNG), save=True)
    letter = _decision(case)
    logo = rendering.logo_path(letter.snapshot)
    assert logo is not None
    fetcher = RestrictedURLFetcher(extra_files=[logo])
    render_letter_pdf(letter, fetcher=fetcher)
    assert fetcher.served == [path2url(str(logo))]
    assert fetcher.refused == []


def test_other_media_files_are_refused(settings, municipality):
    other = settings.MEDIA_ROOT / "private.png"
    other.parent.mkdir(parents=True, exist_ok=True)
    other.write_bytes(PNG)
    with pytest.raises(FetchRefused):
        RestrictedURLFetcher().fetch(path2url(str(other)))


def test_amounts_in_context_are_never_floats(case):
    from mikrolaan.letters.registry import LetterContextError

    with pytest.raises(LetterContextError):
        _decision(case, amount=1234.5)
    assert _decision(case, amount=Decimal("10")).context["amount"] == "10"


def test_letters_are_pdf_a_3u_and_tagged(case):
    from pypdf import PdfReader

    reader = PdfReader(__import__("io").BytesIO(render_letter_pdf(_decision(case))))
    xmp = reader.xmp_metadata
    assert xmp is not None
    raw = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert "<pdfaid:part>3</pdfaid:part>" in raw or 'pdfaid:part="3"' in raw
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert reader.trailer["/Root"]["/Lang"] == "da"
    assert reader.metadata.title == "Afgørelse om tilskud til forsørgelse"


def test_rendering_gives_the_garbage_collector_back_as_it_was(case):
    import gc

    letter = _decision(case)
    assert gc.isenabled()
    render_letter_pdf(letter)
    assert gc.isenabled()
    gc.disable()
    try:
        render_letter_pdf(letter)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_logo_is_read_once_per_thread_until_it_changes(municipality, case, monkeypatch):
    monkeypatch.setattr(rendering._local, "image_cache", None, raising=False)
    municipality.logo.save("logo.png", ContentFile(PNG), save=True)
    fetched = []
    original = RestrictedURLFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(RestrictedURLFetcher, "fetch", spy)
    pdfs = [render_letter_pdf(_decision(case)) for _ in range(2)]
    assert len(fetched) == 1
    assert all(b"/Image" in pdf for pdf in pdfs)

    municipality.logo.save("logo.png", ContentFile(PNG + b"\0"), save=True)
    assert b"/Image" in render_letter_pdf(_decision(case))
    assert len(fetched) == 2
