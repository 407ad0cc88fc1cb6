"""The letter kinds. Adding a kind is one template and one ``register`` call:

    register(LetterKind(
        id="payment_reminder",
        title=_("Påmindelse om betaling"),
        template="letters/kinds/payment_reminder.html",
        version="2",
        required_context=["instalment_due_on", "amount"],
        sample_context={"instalment_due_on": "2027-01-31", "amount": "417"},
    ))

``version`` is the template's version: bump it when the text changes, so each
stored letter says which text it was made from. ``prepare`` turns the JSON
context into what the template shows (dates parsed, amounts as Decimal) and
raises ValueError with a clear message on bad input; it runs when a letter is
requested, so mistakes surface in the caller, not in the background job.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


class LetterKindError(LookupError):
    """An unknown letter kind."""


class LetterContextError(ValueError):
    """A letter's context lacks required keys or holds unusable values."""


@dataclass(frozen=True)
class LetterKind:
    id: str
    title: str
    template: str
    version: str
    is_decision: bool = False
    sample_context: dict = field(default_factory=dict)
    required_context: list[str] | tuple[str, ...] = ()
    # (context) -> dict of extra template variables; raises ValueError.
    prepare: Callable[[dict], dict] | None = None
    # (context) -> subject line, when the caller gives none.
    subject: Callable[[dict], str] | None = None
    # Content still to be written by a later issue; the PDF says so.
    placeholder: bool = False

    def missing_keys(self, context: dict) -> list[str]:
        return [key for key in self.required_context if key not in context]

    def validate(self, context: dict) -> dict:
        """Check a context; return the template variables ``prepare`` adds."""
        if not isinstance(context, dict):
            raise LetterContextError(f"Brevtypen {self.id!r}: context skal være en dict.")
        missing = self.missing_keys(context)
        if missing:
            raise LetterContextError(
                f"Brevtypen {self.id!r} mangler disse nøgler i context: {', '.join(missing)}"
            )
        if self.prepare is None:
            return {}
        try:
            return self.prepare(context)
        except (ValueError, TypeError, KeyError) as exc:
            raise LetterContextError(f"Brevtypen {self.id!r}: {exc}") from exc

    def default_subject(self, context: dict) -> str:
        if self.subject is not None:
            return str(self.subject(context))
        return str(self.title)


_KINDS: dict[str, LetterKind] = {}


def register(kind: LetterKind) -> LetterKind:
    if kind.id in _KINDS and _KINDS[kind.id] != kind:
        raise ValueError(f"Letter kind {kind.id!r} is already registered")
    _KINDS[kind.id] = kind
    return kind


def get_kind(kind_id: str) -> LetterKind:
    try:
        return _KINDS[kind_id]
    except KeyError:
        raise LetterKindError(f"Ukendt brevtype: {kind_id!r}") from None


def all_kinds() -> list[LetterKind]:
    return list(_KINDS.values())
