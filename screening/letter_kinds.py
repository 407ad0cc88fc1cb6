"""The screenings' letter kinds (SPEC §8), registered with the letters
engine. Contracts (the JSON context):

screening_decision, course_grant, extension_decision, support_end (decisions)
    title, decision, decided_on (ISO date), screening_label, outcome,
    favourable (bool), period, amount (null), facts, basis (list of lines),
    considerations, legal_basis ("" = the scheme's general text), hearing
    (null or {sent_on, comments_on, comments}); course_grant adds modules
    ([{title, starts_on, ends_on}]), extension_decision months, support_end
    ends_on and reason_kind ("self_supporting" | "business_stopped") and
    has_loan (bool: a paid-out loan keeps running; missing = false).
hearing
    about (what the decision would be about), information, deadline (ISO
    date), sent_on (ISO date)
"""

from django.utils.translation import gettext_lazy as _

from mikrolaan.formatting import to_date
from mikrolaan.letters.registry import LetterKind, register

DECISION_KEYS = [
    "title",
    "decision",
    "decided_on",
    "screening_label",
    "outcome",
    "favourable",
    "facts",
    "basis",
    "considerations",
    "legal_basis",
    "hearing",
]


def _prepare_decision(ctx: dict) -> dict:
    if not isinstance(ctx.get("basis"), list):
        raise ValueError("basis skal være en liste.")
    if not ctx.get("favourable") and not (ctx.get("facts") or "").strip():
        # "Oplysninger, vi har lagt vægt på" is never empty in an adverse decision.
        raise ValueError("facts skal udfyldes i en afgørelse, der ikke giver borgeren medhold.")
    hearing = ctx.get("hearing")
    prepared = {"decided_on": to_date(ctx["decided_on"])}
    if hearing:
        prepared["hearing"] = {
            **hearing,
            "sent_on": to_date(hearing["sent_on"]),
            "comments_on": to_date(hearing["comments_on"]),
        }
    if ctx.get("modules") is not None:
        prepared["modules"] = [
            {
                "title": m["title"],
                "starts_on": to_date(m["starts_on"]) if m.get("starts_on") else None,
                "ends_on": to_date(m["ends_on"]) if m.get("ends_on") else None,
            }
            for m in ctx["modules"]
        ]
    if ctx.get("ends_on"):
        prepared["ends_on"] = to_date(ctx["ends_on"])
    return prepared


def _prepare_hearing(ctx: dict) -> dict:
    if not (ctx.get("information") or "").strip():
        raise ValueError("information skal udfyldes.")
    return {"deadline": to_date(ctx["deadline"]), "sent_on": to_date(ctx["sent_on"])}


_SAMPLE = {
    "decided_on": "2026-11-26",
    "period": "",
    "amount": None,
    "basis": ["2. personlige møde, 3. november 2026", "Individuelt møde, 17. november 2026"],
    "legal_basis": "",
    "hearing": None,
}

SCREENING_STOP_SAMPLE = {
    **_SAMPLE,
    "title": "Afgørelse efter den 2. screening",
    "decision": (
        "Vi har besluttet, at dit mikrolånsforløb stopper efter den 2. screening.\n\n"
        "Du kan derfor ikke fortsætte i kommunens mikrolånsforløb, og du kan ikke gennem "
        "forløbet få et rente- og gebyrfrit lån efter aktivloven § 65 eller tilskud til "
        "forsørgelse efter aktivloven § 65, stk. 3."
    ),
    "screening_label": "2. screening",
    "outcome": "stop",
    "favourable": False,
    "facts": "Du er kommet til 2 af de 6 aftalte møder siden den 1. screening.",
    "considerations": (
        "Vi har lagt vægt på, at du ikke er kommet til de fleste møder, og at vi derfor ikke "
        "har kunnet arbejde videre med din forretningsplan sammen med dig.\n\n"
        "Mødestabilitet: vi vurderer det som svagt. Du har meldt afbud til flere møder."
    ),
    "legal_basis": "aktivloven § 65, stk. 3 og aktivloven § 65 (hjælp til etablering af "
    "selvstændig virksomhed)",
    "hearing": {
        "sent_on": "2026-11-02",
        "comments_on": "2026-11-10",
        "comments": "Jeg har været syg, men jeg vil gerne fortsætte.",
    },
}

register(
    LetterKind(
        id="screening_decision",
        title=_("Afgørelse efter screening"),
        template="letters/kinds/screening_decision.html",
        version="1",
        is_decision=True,
        required_context=DECISION_KEYS,
        prepare=_prepare_decision,
        subject=lambda ctx: ctx["title"],
        sample_context=SCREENING_STOP_SAMPLE,
    )
)
register(
    LetterKind(
        id="course_grant",
        title=_("Afgørelse om kursusmoduler"),
        template="letters/kinds/course_grant.html",
        version="1",
        is_decision=True,
        required_context=[*DECISION_KEYS, "modules"],
        prepare=_prepare_decision,
        subject=lambda ctx: ctx["title"],
        sample_context={
            **_SAMPLE,
            "title": "Afgørelse om kursusmoduler i dit mikrolånsforløb",
            "decision": (
                "Vi har besluttet efter den 2. screening, at du fortsætter i mikrolånsforløbet "
                "og får bevilget de kollektive kursusmoduler, der står nedenfor."
            ),
            "screening_label": "2. screening",
            "outcome": "courses_granted",
            "favourable": True,
            "facts": "Du er kommet til alle aftalte møder, og din forretningsplan er konkret.",
            "considerations": "Vi har lagt vægt på din motivation og din stabilitet.",
            "modules": [
                {
                    "title": "Regnskab, revision og markedsføring/salg (8 uger à 3 timer)",
                    "starts_on": "2027-01-11",
                    "ends_on": "2027-03-01",
                },
                {"title": "Moms og skat (2 dage)", "starts_on": "", "ends_on": ""},
            ],
        },
    )
)
register(
    LetterKind(
        id="extension_decision",
        title=_("Afgørelse om forlængelse af tilskud til forsørgelse"),
        template="letters/kinds/extension_decision.html",
        version="1",
        is_decision=True,
        required_context=[*DECISION_KEYS, "months"],
        prepare=_prepare_decision,
        subject=lambda ctx: ctx["title"],
        sample_context={
            **_SAMPLE,
            "title": "Afgørelse om forlængelse af tilskud til forsørgelse",
            "decision": (
                "Vi har besluttet at forlænge dit tilskud til forsørgelse med 3 måneder, så du "
                "kan etablere og konsolidere din virksomhed."
            ),
            "screening_label": "4. screening / selvevaluering",
            "outcome": "extend",
            "favourable": True,
            "period": "3 måneder",
            "months": 3,
            "facts": "Din selvevaluering og handleplan viser, at du har fået de første kunder.",
            "considerations": "Vi vurderer, at forlængelsen har afgørende betydning.",
            "legal_basis": "aktivloven § 65, stk. 3",
        },
    )
)
register(
    LetterKind(
        id="support_end",
        title=_("Afgørelse om ophør af tilskud til forsørgelse"),
        template="letters/kinds/support_end.html",
        version="2",
        is_decision=True,
        required_context=[*DECISION_KEYS, "ends_on", "reason_kind"],
        prepare=_prepare_decision,
        subject=lambda ctx: ctx["title"],
        sample_context={
            **_SAMPLE,
            "title": "Afgørelse om ophør af tilskud til forsørgelse",
            "decision": (
                "Vi har besluttet, at dit tilskud til forsørgelse ophører den 31. december "
                "2026, fordi du nu kan forsørge dig selv ved din virksomhed."
            ),
            "screening_label": "4. screening / selvevaluering",
            "has_loan": True,
            "outcome": "self_supporting",
            "favourable": False,
            "facts": "Dit regnskab for de seneste tre måneder viser et overskud på 21.000 kr.",
            "considerations": "Vi vurderer, at virksomheden nu kan forsørge dig.",
            "legal_basis": "aktivloven § 65, stk. 3",
            "ends_on": "2026-12-31",
            "reason_kind": "self_supporting",
        },
    )
)
register(
    LetterKind(
        id="hearing",
        title=_("Partshøring"),
        template="letters/kinds/hearing.html",
        version="1",
        required_context=["about", "information", "deadline", "sent_on"],
        prepare=_prepare_hearing,
        subject=lambda ctx: _("Partshøring: vi vil gerne høre dine bemærkninger"),
        sample_context={
            "about": "dit mikrolånsforløb efter den 2. screening",
            "information": (
                "Du er ikke kommet til 4 af de 6 møder, vi har aftalt med dig siden september.\n"
                "Din erhvervscoach har noteret, at budgettet ikke er blevet færdigt."
            ),
            "deadline": "2026-12-10",
            "sent_on": "2026-11-26",
        },
    )
)
