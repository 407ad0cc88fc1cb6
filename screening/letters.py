"""The screenings' letters: the decision after each screening, the course
grant, the extension, the end of support and the hearing.

The considerations are written from the record's reasons and scores in
plain Danish (never a list of numbers); the facts from what the team wrote,
the basis it chose and the citizen's comments on a hearing."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.borrowing import loan_facts
from applicants.letters import decline_legal_basis, refused_offer_text
from mikrolaan.formatting import dansk_dato
from mikrolaan.letters.services import request_letter

from .models import Hearing, HearingPurpose, Outcome

# What a score says, in a sentence ("Vi vurderer det som …").
SCORE_WORDS = {
    1: _("meget svagt"),
    2: _("svagt"),
    3: _("tilstrækkeligt, men med forbehold"),
    4: _("godt"),
    5: _("meget godt"),
}


def score_sentences(scores) -> str:
    """One plain sentence per criterion: what we looked at, how we judge it,
    and the team's note."""
    lines = []
    for s in scores:
        if s.score is None:
            continue
        line = _("%(title)s: vi vurderer det som %(word)s.") % {
            "title": s.title,
            "word": SCORE_WORDS[s.score],
        }
        if s.note.strip():
            line = f"{line} {s.note.strip()}"
        lines.append(line)
    return "\n".join(lines)


def basis_lines(screening) -> list[str]:
    tz = timezone.get_current_timezone()
    lines = [
        f"{m.get_kind_display()}, {dansk_dato(m.starts_at.astimezone(tz).date())}"
        for m in screening.basis_meetings.order_by("starts_at")
    ]
    for item in screening.basis_items or []:
        day = item.get("date")
        lines.append(f"{item['label']}, {dansk_dato(day)}" if day else item["label"])
    return lines


def hearing_context(screening) -> dict | None:
    """The citizen's comments on the hearing, quoted as considered."""
    ids = [screening.pk] + ([screening.replaces_id] if screening.replaces_id else [])
    hearing = (
        Hearing.objects.filter(screening_id__in=ids, comments_on__isnull=False)
        .order_by("-comments_on")
        .first()
    )
    if hearing is None:
        return None
    return {
        "sent_on": timezone.localtime(hearing.created_at).date().isoformat(),
        "comments_on": hearing.comments_on.isoformat(),
        "comments": hearing.comments,
    }


def _title(screening) -> str:
    return {
        Outcome.REFERRED: _("Afgørelse efter den 1. screening: du er visiteret"),
        Outcome.NOT_REFERRED: _("Afgørelse efter den 1. screening"),
        Outcome.STOP: _("Afgørelse efter den %(n)s. screening") % {"n": screening.number},
        Outcome.COURSES_GRANTED: _("Afgørelse om kursusmoduler i dit mikrolånsforløb"),
        Outcome.EXTEND: _("Afgørelse om forlængelse af tilskud til forsørgelse"),
        Outcome.SELF_SUPPORTING: _("Afgørelse om ophør af tilskud til forsørgelse"),
        Outcome.BUSINESS_STOPPED: _("Afgørelse om ophør af tilskud til forsørgelse"),
    }[screening.outcome]


def _decision_text(screening, scheme) -> str:
    n = screening.number
    outcome = screening.outcome
    if outcome == Outcome.REFERRED:
        return _(
            "Vi har besluttet at visitere dig til mikrolånsteamet efter den 1. screening. Du "
            "fortsætter i mikrolånsforløbet med individuelle møder med din erhvervscoach, hvor "
            "du arbejder videre med din forretningsplan og dine første budgetter."
        )
    if outcome in (Outcome.NOT_REFERRED, Outcome.STOP):
        first = (
            _("Vi har besluttet ikke at visitere dig til mikrolånsteamet efter den 1. screening.")
            if n == 1
            else _("Vi har besluttet, at dit mikrolånsforløb stopper efter den %(n)s. screening.")
            % {"n": n}
        )
        return f"{first}\n\n{refused_offer_text(scheme)}"
    if outcome == Outcome.COURSES_GRANTED:
        return _(
            "Vi har besluttet efter den 2. screening, at du fortsætter i mikrolånsforløbet og "
            "får bevilget de kollektive kursusmoduler, der står nedenfor."
        )
    if outcome == Outcome.EXTEND:
        return _(
            "Vi har besluttet at forlænge dit tilskud til forsørgelse med %(months)s måneder, "
            "så du kan etablere og konsolidere din virksomhed."
        ) % {"months": screening.extension_months}
    if outcome == Outcome.SELF_SUPPORTING:
        return _(
            "Vi har besluttet, at dit tilskud til forsørgelse ophører den %(day)s, fordi du nu "
            "kan forsørge dig selv ved din virksomhed."
        ) % {"day": dansk_dato(screening.support_ends_on)}
    return _(
        "Vi har besluttet, at dit tilskud til forsørgelse ophører den %(day)s, fordi din "
        "virksomhed er stoppet."
    ) % {"day": dansk_dato(screening.support_ends_on)}


def _legal_basis(screening, scheme) -> str:
    if screening.outcome in (Outcome.NOT_REFERRED, Outcome.STOP):
        return decline_legal_basis(scheme)
    if screening.outcome in (Outcome.EXTEND, Outcome.SELF_SUPPORTING, Outcome.BUSINESS_STOPPED):
        return scheme.legal_basis_support
    return ""  # the scheme's general text


def decision_context(screening) -> dict:
    """The letter's context for a decided (or about to be decided) record."""
    scheme = screening.case.municipality.current_scheme()
    scores = list(screening.scores.all())
    considerations = screening.reasons.strip()
    sentences = score_sentences(scores)
    if sentences:
        considerations = f"{considerations}\n\n{sentences}" if considerations else sentences
    context = {
        "title": _title(screening),
        "decision": _decision_text(screening, scheme),
        "decided_on": (
            timezone.localtime(screening.decided_at).date()
            if screening.decided_at
            else timezone.localdate()
        ).isoformat(),
        "screening_label": str(screening.get_number_display()),
        "outcome": screening.outcome,
        "favourable": not screening.is_adverse,
        "period": "",
        "amount": None,
        "facts": screening.facts.strip(),
        "basis": basis_lines(screening),
        "considerations": considerations,
        "legal_basis": _legal_basis(screening, scheme),
        "hearing": hearing_context(screening),
    }
    if screening.outcome == Outcome.COURSES_GRANTED:
        context["modules"] = [
            {
                "title": str(g.get_module_display()),
                "starts_on": g.starts_on.isoformat() if g.starts_on else "",
                "ends_on": g.ends_on.isoformat() if g.ends_on else "",
            }
            for g in screening.course_grants.all()
        ]
    if screening.outcome == Outcome.EXTEND:
        context["months"] = screening.extension_months
        context["period"] = _("%(n)s måneder") % {"n": screening.extension_months}
    if screening.outcome in (Outcome.SELF_SUPPORTING, Outcome.BUSINESS_STOPPED):
        context["ends_on"] = screening.support_ends_on.isoformat()
        context["reason_kind"] = screening.outcome
        context["has_loan"] = loan_facts(screening.case)["has_loan"]
    return context


def send_decision_letter(screening, *, author, context: dict | None = None):
    return request_letter(
        kind=screening.spec.letter_kind,
        case=screening.case,
        author=author,
        context=context or decision_context(screening),
    )


def hearing_letter_context(hearing) -> dict:
    if hearing.purpose == HearingPurpose.END_CASE:
        about = _("at afslutte dit mikrolånsforløb, fordi du ikke er kommet til de aftalte møder")
    elif hearing.screening is not None:
        about = _("dit mikrolånsforløb efter den %(n)s. screening") % {
            "n": hearing.screening.number
        }
    else:
        about = _("dit mikrolånsforløb")
    return {
        "about": about,
        "information": hearing.information,
        "deadline": hearing.deadline.isoformat(),
        "sent_on": timezone.localdate().isoformat(),
    }


def send_hearing_letter(hearing, *, author):
    return request_letter(
        kind="hearing", case=hearing.case, author=author, context=hearing_letter_context(hearing)
    )
