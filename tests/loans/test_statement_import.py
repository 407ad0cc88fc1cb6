"""Importing bank statements: matched lines registered as payments, the rest
queued; the same file or an overlapping one registers nothing twice; a
broken file imports nothing; staff assign or dismiss queued lines."""

import datetime
from decimal import Decimal

import pytest

from loans.models import (
    LineStatus,
    LoanBalance,
    Payment,
    PaymentMethod,
    RepaymentSettings,
    StatementImport,
    StatementLine,
)
from loans.services import LoanRefused
from loans.statement_import import assign_line, dismiss_line, import_statement
from loans.statements import StatementError
from tests.loans.helpers import make_loan

pytestmark = pytest.mark.django_db
D = Decimal
TODAY = datetime.date.today()


def day(n):
    return (TODAY - datetime.timedelta(days=n)).strftime("%d-%m-%Y")


@pytest.fixture
def loan(team_member):
    return make_loan(principal=D(12000), disbursed_on=TODAY - datetime.timedelta(days=100))


def csv(*rows):
    return ("Dato;Tekst;Beløb\n" + "".join(f"{r}\n" for r in rows)).encode("cp1252")


def test_matched_lines_are_registered_and_the_rest_queued(loan, team_member):
    data = csv(
        f"{day(5)};Afdrag +71<{loan.payment_id}+85012345<;100,00",
        f"{day(4)};Fra Søren;250,00",
        f"{day(3)};Udbetaling;-80,00",
    )
    record = import_statement(
        actor=team_member, municipality_id=loan.municipality_id, filename="a.csv", data=data
    )
    assert (record.registered, record.queued, record.duplicates, record.debits_skipped) == (
        1,
        1,
        0,
        1,
    )
    payment = Payment.objects.get(loan=loan)
    assert payment.method == PaymentMethod.FI_CARD and payment.amount == D(100)
    assert LoanBalance.objects.get(loan=loan).allocated == D(100)
    assert StatementLine.objects.get(status=LineStatus.QUEUED).counterparty == ""


def test_the_same_file_and_an_overlapping_one_register_nothing_twice(loan, team_member):
    first = csv(
        f"{day(5)};{loan.payment_id};100,00",
        f"{day(5)};{loan.payment_id};100,00",  # two equal payments on one day: both count
        f"{day(4)};{loan.payment_id};50,00",
    )
    overlap = csv(
        f"{day(4)};{loan.payment_id};50,00",
        f"{day(2)};{loan.payment_id};75,00",
    )
    m = loan.municipality_id
    import_statement(actor=team_member, municipality_id=m, filename="a.csv", data=first)
    again = import_statement(actor=team_member, municipality_id=m, filename="a.csv", data=first)
    assert (again.registered, again.duplicates) == (0, 3)
    more = import_statement(actor=team_member, municipality_id=m, filename="b.csv", data=overlap)
    assert (more.registered, more.duplicates) == (1, 1)
    assert sorted(Payment.objects.values_list("amount", flat=True)) == [
        D(50),
        D(75),
        D(100),
        D(100),
    ]


def test_a_camt_file_imports_once(loan, team_member):
    entry = f"""<Ntry><Amt Ccy="DKK">417.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>
      <BookgDt><Dt>{TODAY.isoformat()}</Dt></BookgDt><AcctSvcrRef>X-1</AcctSvcrRef>
      <NtryDtls><TxDtls><RmtInf><Strd><CdtrRefInf><Ref>{loan.payment_id}</Ref></CdtrRefInf>
      </Strd></RmtInf></TxDtls></NtryDtls></Ntry>"""
    data = (
        '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">'
        f"<BkToCstmrStmt><Stmt><Acct><Id><IBAN>DK1</IBAN></Id></Acct>{entry}</Stmt>"
        "</BkToCstmrStmt></Document>"
    ).encode()
    m = loan.municipality_id
    assert (
        import_statement(
            actor=team_member, municipality_id=m, filename="c.xml", data=data
        ).registered
        == 1
    )
    assert (
        import_statement(
            actor=team_member, municipality_id=m, filename="c.xml", data=data
        ).registered
        == 0
    )
    assert Payment.objects.get().amount == D(417)


def test_a_broken_file_imports_nothing(loan, team_member):
    data = csv(f"{day(5)};{loan.payment_id};100,00", f"{day(4)};x;abc")
    with pytest.raises(StatementError, match="Linje 3"):
        import_statement(
            actor=team_member, municipality_id=loan.municipality_id, filename="x.csv", data=data
        )
    assert not StatementImport.objects.exists() and not Payment.objects.exists()


def test_the_municipalitys_columns_are_used(loan, team_member):
    RepaymentSettings.objects.create(
        municipality_id=loan.municipality_id,
        csv_columns={"date": "Bogført", "amount": "Beløb DKK", "text": "Besked"},
    )
    data = f"Bogført;Besked;Beløb DKK\n{day(1)};{loan.payment_id};12,50\n".encode()
    record = import_statement(
        actor=team_member, municipality_id=loan.municipality_id, filename="n.csv", data=data
    )
    assert record.registered == 1


def test_another_municipalitys_loan_is_not_matched(team_member, team_lead):
    from mikrolaan.tenancy import unscoped
    from tests.factories import OTHER_CODE, CaseFactory, CitizenFactory, municipality

    other = municipality(OTHER_CODE)
    with unscoped():
        foreign = make_loan(
            case=CaseFactory(citizen=CitizenFactory(municipality=other), stage="establishment")
        )
    mine = make_loan(recommender=team_member, approver=team_lead)
    record = import_statement(
        actor=team_member,
        municipality_id=mine.municipality_id,
        filename="a.csv",
        data=csv(f"{day(1)};{foreign.payment_id};100,00"),
    )
    assert (record.registered, record.queued) == (0, 1)


def test_staff_assign_or_dismiss_a_queued_line(loan, team_member):
    import_statement(
        actor=team_member,
        municipality_id=loan.municipality_id,
        filename="q.csv",
        data=csv(f"{day(3)};Fra Søren;250,00", f"{day(2)};Forkert konto;99,00"),
    )
    first, second = StatementLine.objects.order_by("booking_date")
    payment = assign_line(actor=team_member, line=first, loan=loan)
    first.refresh_from_db()
    assert first.status == LineStatus.ASSIGNED and first.payment == payment
    assert payment.amount == D(250)
    with pytest.raises(LoanRefused):
        assign_line(actor=team_member, line=first, loan=loan)
    with pytest.raises(LoanRefused):
        dismiss_line(actor=team_member, line=second, reason=" ")
    dismiss_line(actor=team_member, line=second, reason="Ikke et mikrolån")
    second.refresh_from_db()
    assert second.status == LineStatus.DISMISSED and second.dismissed_reason == "Ikke et mikrolån"


# --- the same transactions in the other format ------------------------------------------


def five_days(loan):
    """Five incoming transactions: four +71 payments (two of them equal, on
    one day) and one transfer without a payment id."""
    d = [TODAY - datetime.timedelta(days=n) for n in (6, 6, 5, 4, 3)]
    amounts = ["417.00", "417.00", "100.00", "250.50", "99.00"]
    ids = [loan.payment_id] * 4 + [""]
    return list(zip(d, amounts, ids, strict=True))


def csv_of(rows):
    return csv(
        *(
            f"{day.strftime('%d-%m-%Y')};"
            + (f"Indbet.kort +71<{pid}+85012345<" if pid else "Overførsel fra Søren Ærø")
            + f";{amount.replace('.', ',')}"
            for day, amount, pid in rows
        )
    )


def camt_of(rows, *, refs=True):
    entries = "".join(
        f"""<Ntry><Amt Ccy="DKK">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd>
        <BookgDt><Dt>{day.isoformat()}</Dt></BookgDt><ValDt><Dt>{day.isoformat()}</Dt></ValDt>
        {f"<AcctSvcrRef>BANK-{day.isoformat()}-{n}</AcctSvcrRef>" if refs else ""}
        <NtryDtls><TxDtls><RmtInf>
        {f"<Strd><CdtrRefInf><Ref>{pid}</Ref></CdtrRefInf></Strd>" if pid else ""}
        <Ustrd>{"Afdrag mikrolån" if pid else "SØREN ÆRØ"}</Ustrd></RmtInf>
        </TxDtls></NtryDtls></Ntry>"""
        for n, (day, amount, pid) in enumerate(rows)
    )
    return (
        '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">'
        f"<BkToCstmrStmt><Stmt><Acct><Id><IBAN>DK1</IBAN></Id></Acct>{entries}</Stmt>"
        "</BkToCstmrStmt></Document>"
    ).encode()


def summary(record):
    return (record.lines_read, record.registered, record.queued, record.duplicates)


@pytest.mark.parametrize("order", ["csv_then_camt", "camt_then_csv"])
def test_a_csv_and_a_camt_of_the_same_days_register_nothing_twice(loan, team_member, order):
    rows = five_days(loan)
    files = [("udtog.csv", csv_of(rows)), ("udtog.xml", camt_of(rows))]
    if order == "camt_then_csv":
        files.reverse()
    m = loan.municipality_id
    first, second = (
        import_statement(actor=team_member, municipality_id=m, filename=name, data=data)
        for name, data in files
    )
    assert summary(first) == (5, 4, 1, 0)  # the two equal payments are both registered
    assert summary(second) == (5, 0, 0, 5)
    assert sorted(Payment.objects.values_list("amount", flat=True)) == [
        D("100"),
        D("250.50"),
        D("417"),
        D("417"),
    ]
    assert StatementLine.objects.count() == 5
    assert LoanBalance.objects.get(loan=loan).paid == D("1184.50")


def test_an_overlapping_file_in_the_other_format_adds_only_the_new_days(loan, team_member):
    rows = five_days(loan)
    m = loan.municipality_id
    import_statement(actor=team_member, municipality_id=m, filename="a.csv", data=csv_of(rows[:3]))
    later = [*rows[2:], (TODAY - datetime.timedelta(days=1), "417.00", loan.payment_id)]
    record = import_statement(
        actor=team_member, municipality_id=m, filename="b.xml", data=camt_of(later)
    )
    assert summary(record) == (4, 2, 1, 1)
    # A third, equal payment on the day that had two: the nth is the nth, the third is new.
    day6 = rows[0][0]
    again = import_statement(
        actor=team_member,
        municipality_id=m,
        filename="c.xml",
        data=camt_of([(day6, "417.00", loan.payment_id)] * 3, refs=False),
    )
    assert summary(again) == (3, 1, 0, 2)
    assert Payment.objects.filter(value_date=day6).count() == 3
    assert sorted(
        StatementLine.objects.filter(booking_date=day6).values_list("occurrence", flat=True)
    ) == [1, 2, 3]


def test_the_upload_tells_how_many_lines_were_imported_before(client, loan, team_member):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    rows = five_days(loan)
    client.force_login(team_member)
    url = reverse("loans:statement_upload")
    client.post(url, {"file": SimpleUploadedFile("a.csv", csv_of(rows))})
    response = client.post(url, {"file": SimpleUploadedFile("a.xml", camt_of(rows))}, follow=True)
    text = [str(m) for m in response.context["messages"]]
    assert (
        "Kontoudtoget er indlæst: 0 registreret, 0 til matchning. 5 linjer var allerede "
        "indlæst fra denne eller en tidligere fil (CSV eller camt.053) og er sprunget over."
    ) in text
