"""verify_letters: every generated letter's PDF is in the store and hashes
to its recorded SHA-256 (the check behind the restore drill)."""

import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mikrolaan.letters.integrity import verify_letters
from mikrolaan.letters.models import LetterStatus
from mikrolaan.letters.storage import letters_root
from tests.letters.helpers import make_case, make_letter

pytestmark = pytest.mark.django_db


@pytest.fixture
def letters():
    case = make_case()
    return [
        make_letter(case=case, pdf=b"%PDF-1.7\n% first\n%%EOF\n"),
        make_letter(case=case, pdf=b"%PDF-1.7\n% second\n%%EOF\n"),
        make_letter(case=case, pdf=b"%PDF-1.7\n% third\n%%EOF\n"),
        make_letter(case=case, status=LetterStatus.PENDING),
        make_letter(case=case, status=LetterStatus.FAILED),
    ]


def test_an_intact_store_passes(letters, capsys):
    result = verify_letters()
    assert (result.checked, result.ok, result.problems) == (3, 3, 0)
    assert (result.pending, result.failed) == (1, 1)
    call_command("verify_letters")
    assert "3 generated letters checked: 3 ok, 0 missing, 0 differ" in capsys.readouterr().out


def test_a_changed_and_a_missing_pdf_are_named(letters):
    changed, gone = letters[0], letters[1]
    (letters_root() / changed.pdf.name).write_bytes(b"%PDF-1.7\n% tampered\n%%EOF\n")
    (letters_root() / gone.pdf.name).unlink()
    result = verify_letters()
    assert result.mismatched == [(changed.pk, changed.pdf.name)]
    assert result.missing == [(gone.pk, gone.pdf.name)]
    assert result.ok == 1
    with pytest.raises(CommandError, match="1 ok, 1 missing, 1 differ"):
        call_command("verify_letters")


def test_a_copy_of_the_store_elsewhere_can_be_checked(letters, tmp_path, capsys):
    copy = tmp_path / "restored-letters"
    shutil.copytree(letters_root(), copy)
    shutil.rmtree(letters_root())
    with pytest.raises(CommandError, match="3 missing"):
        call_command("verify_letters")
    call_command("verify_letters", letters=str(copy))
    assert "3 ok" in capsys.readouterr().out
