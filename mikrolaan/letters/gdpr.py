"""Letters are personal data of their recipient (see mikrolaan.privacy.registry).

A generated letter is immutable; anonymisation is the one sanctioned change:
the recipient block and CPR are replaced, the letter's data emptied and the
PDF deleted from the letter storage once the transaction has committed. The
SHA-256 stays, as proof of what was sent."""

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from mikrolaan.privacy.registry import PersonalData, register_personal_data
from mikrolaan.privacy.retention import ANONYMISED_NAME, pseudonym_cpr

from .models import Letter
from .storage import get_letter_storage


def letter_files(letter):
    if letter.pdf:
        yield f"breve/brev-{letter.pk}-v{letter.version}.pdf", letter.pdf


def anonymise_letters(rows, *, now) -> int:
    # Past LetterQuerySet on purpose: its update() refuses generated letters.
    base = models.QuerySet(model=Letter).filter(pk__in=list(rows.values_list("pk", flat=True)))
    files = list(base.exclude(pdf="").values_list("pdf", flat=True))
    changed = 0
    for pk, recipient_id in base.values_list("pk", "recipient_id"):
        changed += base.filter(pk=pk).update(
            recipient_name=ANONYMISED_NAME,
            recipient_address="",
            recipient_cpr=pseudonym_cpr(recipient_id),
            context={},
            pdf="",
        )
    storage = get_letter_storage()

    def delete_files():
        for name in files:
            storage.delete(name)

    # Only once the database has let go of them: a rollback keeps the PDFs.
    transaction.on_commit(delete_files)
    return changed


register_personal_data(
    PersonalData(
        key="letters",
        title=_("Breve"),
        model=Letter,
        subject_path="recipient",
        case_path="case",
        exclude=("claim_token", "claimed_at"),
        files=letter_files,
        anonymise=anonymise_letters,
        order=30,
    )
)
