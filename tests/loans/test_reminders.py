"""The daily payment reminders: the first at 10 days, the second at 30
(settings); each instalment and level once however often the job runs; one
letter per borrower naming what is due and the FI line, never a fee; none
in an agreed pause, none when paid."""

import datetime
from decimal import Decimal

import pytest

from loans.models import PaymentReminder, RepaymentSettings
from loans.reminders import send_payment_reminders
from loans.repayment import register_payment, reschedule_loan
from mikrolaan.jobs import run_daily_jobs
from mikrolaan.letters.models import Letter
from mikrolaan.letters.rendering import render_letter_html
from tests.loans.helpers import make_loan

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def loan():
    # Paid out 31 August 2026: instalments of 100 kr due 30 September, 31 October, …
    return make_loan(principal=D(12000), disbursed_on=datetime.date(2026, 8, 31))


def test_reminders_go_out_once_per_instalment_and_level(loan):
    today = datetime.date(2026, 11, 12)  # September 43 days late, October 12 days late
    result = send_payment_reminders(today=today)
    assert result == {"reminders": 2, "letters": 1, "tasks": 1}
    levels = dict(PaymentReminder.objects.values_list("instalment__seq", "level"))
    assert levels == {1: 2, 2: 1}
    # Again the same day, and the next day: nothing more.
    assert send_payment_reminders(today=today)["reminders"] == 0
    assert send_payment_reminders(today=today + datetime.timedelta(days=1))["reminders"] == 0
    # October reaches 30 days: its second reminder, once.
    later = send_payment_reminders(today=datetime.date(2026, 11, 30))
    assert later["reminders"] == 1
    assert PaymentReminder.objects.filter(instalment__seq=2, level=2).count() == 1


def test_the_letter_states_what_is_due_and_the_fi_line_and_no_fee(loan):
    send_payment_reminders(today=datetime.date(2026, 11, 12))
    letter = Letter.objects.get(kind="payment_reminder")
    assert letter.context["level"] == 2
    assert [i["seq"] for i in letter.context["instalments"]] == [1, 2]
    assert letter.context["total"] == "200.00"
    html = render_letter_html(letter)
    assert loan.payment_id in html
    assert "aldrig gebyr" in html
    assert "betalingspause" in html


def test_the_settings_move_the_days(loan):
    RepaymentSettings.objects.create(
        municipality_id=loan.municipality_id, first_reminder_days=20, second_reminder_days=60
    )
    send_payment_reminders(today=datetime.date(2026, 11, 12))
    assert dict(PaymentReminder.objects.values_list("instalment__seq", "level")) == {1: 1}


def test_a_paid_loan_gets_none(loan, team_member):
    register_payment(
        actor=team_member, loan=loan, value_date=datetime.date(2026, 10, 1), amount=D(200)
    )
    assert send_payment_reminders(today=datetime.date(2026, 11, 12))["reminders"] == 0


def test_a_borrower_in_a_pause_gets_none(loan, team_lead):
    reschedule_loan(
        actor=team_lead,
        loan=loan,
        kind="pause",
        pause_months=3,
        reasons="Sygdom i familien",
        decided_on=datetime.date(2026, 11, 1),
    )
    assert send_payment_reminders(today=datetime.date(2026, 11, 12))["reminders"] == 0
    assert send_payment_reminders(today=datetime.date(2027, 2, 27))["reminders"] == 0


def test_the_job_is_registered_with_the_daily_jobs(loan):
    results = run_daily_jobs(today=datetime.date(2026, 11, 12), only=["payment_reminders"])
    assert results["payment_reminders"]["ok"]
    assert results["payment_reminders"]["result"]["reminders"] == 2
