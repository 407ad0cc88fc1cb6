"""Statement lines imported before the duplicate key became
format-independent: the migration numbers them per municipality, booking
day and amount, and a later file of those days — in either format — is
recognised against them."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("loans", "0007_repayment_payments_statements")]
DAY = datetime.date(2026, 3, 2)


@pytest.mark.bare_database
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_lines_imported_before_are_numbered_and_still_recognised():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Municipality = old.get_model("mikrolaan", "Municipality")
    User = old.get_model("auth", "User")
    StatementImport = old.get_model("loans", "StatementImport")
    StatementLine = old.get_model("loans", "StatementLine")

    home = Municipality.objects.create(name="Gamle Kommune", code="901")
    other = Municipality.objects.create(name="Anden Kommune", code="902")
    staff = User.objects.create(username="gammel-bogholder")
    old_rows = [
        # (municipality, amount, text): two equal transfers on one day, one other.
        (home, "100.00", "Husleje"),
        (home, "100.00", "Husleje"),
        (home, "250.00", "Fra Jens"),
        (other, "100.00", "Husleje"),
    ]
    for n, (municipality, amount, text) in enumerate(old_rows, 1):
        statement = StatementImport.objects.create(
            municipality=municipality,
            filename="gammel.csv",
            format="csv",
            sha256="0" * 64,
            imported_by=staff,
        )
        StatementLine.objects.create(
            municipality=municipality,
            statement=statement,
            line_no=n + 1,
            booking_date=DAY,
            value_date=DAY,
            amount=Decimal(amount),
            text=text,
            fingerprint=f"old-{n}",
            status="queued",
        )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from loans.models import StatementLine as Line
    from loans.statement_import import import_statement
    from mikrolaan.tenancy import unscoped

    with unscoped():
        numbers = sorted(Line.objects.values_list("municipality__code", "amount", "occurrence"))
    assert numbers == [
        ("901", Decimal("100.00"), 1),
        ("901", Decimal("100.00"), 2),
        ("901", Decimal("250.00"), 1),
        ("902", Decimal("100.00"), 1),
    ]
    from django.contrib.auth.models import User as NewUser

    # The same day again from the bank, now as camt.053 and with a third transfer.
    entries = "".join(
        f"""<Ntry><Amt Ccy="DKK">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd>
        <BookgDt><Dt>{DAY.isoformat()}</Dt></BookgDt><AcctSvcrRef>R{n}</AcctSvcrRef>
        <NtryDtls><TxDtls><RmtInf><Ustrd>{text}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"""
        for n, (amount, text) in enumerate(
            [("100.00", "HUSLEJE"), ("100.00", "HUSLEJE"), ("250.00", "JENS"), ("100.00", "X")]
        )
    )
    data = (
        '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">'
        f"<BkToCstmrStmt><Stmt><Acct><Id><IBAN>DK1</IBAN></Id></Acct>{entries}</Stmt>"
        "</BkToCstmrStmt></Document>"
    ).encode()
    with unscoped():
        record = import_statement(
            actor=NewUser.objects.get(username="gammel-bogholder"),
            municipality_id=home.pk,
            filename="ny.xml",
            data=data,
        )
        assert (record.lines_read, record.duplicates, record.queued) == (4, 3, 1)
        assert Line.objects.get(statement=record).occurrence == 3
