"""Bank statement files: Danish CSV (semicolons, decimal comma, two date
styles, UTF-8 with BOM or Windows-1252, the municipality's columns) and
camt.053 (XML through defusedxml); a broken file refused whole with the line
named; the +71 payment id; lines imported before recognised whatever the
format (``recognise``)."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loans.schedule import with_check_digit
from loans.statements import (
    CsvMapping,
    KnownLine,
    StatementError,
    StatementLine,
    parse,
    parse_amount,
    parse_camt053,
    parse_csv,
    payment_id_in,
    payment_ids_in,
    recognise,
)

PID = with_check_digit("00000000001234")
OTHER = with_check_digit("12345678901234")

CSV = (
    "Dato;Tekst;Beløb;Saldo\n"
    f"02-03-2026;Indbetaling +71<{PID}+87654321<;417,00;10.417,00\n"
    "02.03.2026;Overførsel Søren Ærø;1.250,50;11.667,50\n"
    "03-03-2026;Gebyr;-25,00;11.642,50\n"
)


def test_a_danish_csv_in_utf8_with_bom_and_in_windows_1252_read_alike():
    utf8 = parse_csv(b"\xef\xbb\xbf" + CSV.encode("utf-8"))
    cp1252 = parse_csv(CSV.encode("cp1252"))
    assert utf8.lines == cp1252.lines
    first, second = utf8.lines
    assert (first.line_no, first.booking_date, first.amount) == (2, date(2026, 3, 2), Decimal(417))
    assert first.payment_id == PID
    assert second.amount == Decimal("1250.50") and second.text == "Overførsel Søren Ærø"
    assert second.payment_id == ""
    assert utf8.debits_skipped == 1


def test_the_columns_follow_the_municipalitys_mapping():
    data = (
        "Bogføringsdato;Rentedato;Beløb;Navn;Betalings-id\n"
        f"31.01.2026;30.01.2026;100;Jens Hansen;{PID}\n"
    ).encode()
    mapping = CsvMapping.from_dict(
        {
            "date": "bogføringsdato",
            "value_date": "Rentedato",
            "amount": "Beløb",
            "text": "",
            "counterparty": "Navn",
            "reference": "Betalings-id",
            "nonsense": "x",
        }
    )
    (line,) = parse_csv(data, mapping).lines
    assert line.value_date == date(2026, 1, 30) and line.booking_date == date(2026, 1, 31)
    assert line.counterparty == "Jens Hansen" and line.payment_id == PID
    with pytest.raises(StatementError, match="kolonnen »Dato« findes ikke"):
        parse_csv(data)


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("32-01-2026;x;100,00;0", "Linje 3: »32-01-2026« er ikke en dato"),
        ("01-02-2026;x;1,234.00;0", "Linje 3: »1,234.00« er ikke et beløb"),
        ("01-02-2026;x;12.34;0", "Linje 3: »12.34« er ikke et beløb"),
        ("01-02-2026;x", "Linje 3 har 2 kolonner, men overskriften har 4"),
    ],
)
def test_a_broken_csv_is_refused_whole_naming_the_line(row, problem):
    data = f"Dato;Tekst;Beløb;Saldo\n01-02-2026;ok;100,00;0\n{row}\n".encode()
    with pytest.raises(StatementError) as refused:
        parse_csv(data)
    assert problem in str(refused.value)


def test_danish_amounts():
    assert parse_amount("1.234,50") == Decimal("1234.50")
    assert parse_amount("-0,5") == Decimal("-0.50")
    assert parse_amount("+250") == Decimal("250.00")
    for bad in ("", "1,2,3", "12.3456,00", "1,234", "abc", "1.23"):
        with pytest.raises(ValueError):
            parse_amount(bad)


def test_identical_csv_lines_on_one_day_are_two_payments_and_overlaps_match():
    header = "Dato;Tekst;Beløb;Saldo\n"
    day1 = "01-03-2026;Husleje;100,00;0\n01-03-2026;Husleje;100,00;0\n"
    day2 = "02-03-2026;Husleje;100,00;0\n"
    day3 = "03-03-2026;Anden;50,00;0\n"
    first = parse_csv((header + day1 + day2).encode())
    overlap = parse_csv((header + day2 + day3).encode("cp1252"))
    numbered, duplicates = recognise("csv", first.lines, [])
    assert duplicates == 0 and [n for _line, n in numbered] == [1, 2, 1]
    fresh, duplicates = recognise("csv", overlap.lines, stored("csv", numbered))
    assert duplicates == 1 and [line.text for line, _n in fresh] == ["Anden"]
    # The same whole day again, with a third equal payment: only that one is new.
    more = parse_csv((header + day1 + "01-03-2026;Husleje;100,00;0\n").encode())
    fresh, duplicates = recognise("csv", more.lines, stored("csv", numbered))
    assert duplicates == 2 and [n for _line, n in fresh] == [3]


def stored(fmt, numbered):
    """Lines as the import stores them, for the next ``recognise``."""
    return [
        KnownLine(
            line.booking_date,
            line.amount,
            n,
            fmt,
            line.payment_id,
            line.bank_reference,
            line.text_key,
        )
        for line, n in numbered
    ]


def line(amount="100.00", *, payment_id="", ref="", text="", day=date(2026, 3, 2)):
    return StatementLine(1, day, day, Decimal(amount), text, "", "", ref, payment_id)


def test_a_bank_reference_both_lines_carry_decides():
    before = stored("camt053", [(line(ref="R-1", payment_id=PID), 1)])
    fresh, duplicates = recognise("camt053", [line(ref="R-2", payment_id=PID)], before)
    assert (len(fresh), duplicates) == (1, 0) and fresh[0][1] == 2
    fresh, duplicates = recognise("camt053", [line(ref="r 1", payment_id=PID, text="x")], before)
    assert (fresh, duplicates) == ([], 1)
    # A CSV without the bank's reference: the day, amount and payment id do.
    fresh, duplicates = recognise("csv", [line(payment_id=PID, text="Indbet. kort")], before)
    assert (fresh, duplicates) == ([], 1)


def test_payment_ids_and_same_format_texts_tell_lines_apart():
    before = stored("csv", [(line(payment_id=PID, text="Afdrag"), 1), (line(text="Husleje"), 2)])
    assert recognise("csv", [line(payment_id=OTHER, text="Afdrag")], before)[1] == 0
    assert recognise("csv", [line(text="Gebyr retur")], before)[1] == 0
    assert recognise("csv", [line(text=" HUSLEJE. ")], before)[1] == 1
    # Another format words the same payment differently: the text is not held against it.
    assert recognise("camt053", [line(text="Overfoersel")], before)[1] == 1
    # The surest pairing wins, whatever the order in the file.
    fresh, duplicates = recognise(
        "camt053", [line(text="Overfoersel"), line(payment_id=PID)], before
    )
    assert (fresh, duplicates) == ([], 2)


def camt(entries: str, ns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="{ns}">
 <BkToCstmrStmt>
  <GrpHdr><MsgId>1</MsgId></GrpHdr>
  <Stmt>
   <Acct><Id><IBAN>DK5000400440116243</IBAN></Id></Acct>
{entries}
  </Stmt>
 </BkToCstmrStmt>
</Document>
""".encode()


def entry(ref, amount, *, ind="CRDT", creditor_ref="", ustrd="", txs=""):
    details = (
        txs
        or f"""
     <NtryDtls><TxDtls>
      <RltdPties><Dbtr><Nm>Jens Hansen</Nm></Dbtr></RltdPties>
      <RmtInf><Ustrd>{ustrd}</Ustrd>
       <Strd><CdtrRefInf><Ref>{creditor_ref}</Ref></CdtrRefInf></Strd></RmtInf>
     </TxDtls></NtryDtls>"""
    )
    return f"""   <Ntry>
    <Amt Ccy="DKK">{amount}</Amt>
    <CdtDbtInd>{ind}</CdtDbtInd>
    <Sts>BOOK</Sts>
    <BookgDt><Dt>2026-03-02</Dt></BookgDt>
    <ValDt><Dt>2026-03-01</Dt></ValDt>
    <AcctSvcrRef>{ref}</AcctSvcrRef>{details}
   </Ntry>
"""


def test_camt053_credits_become_lines_with_the_banks_reference():
    data = camt(
        entry("A1", "417.00", creditor_ref=PID)
        + entry("A2", "80.00", ind="DBIT")
        + entry("A3", "99.50", ustrd=f"Afdrag {OTHER}")
    )
    statement = parse(data)
    assert statement.format == "camt053" and statement.account == "DK5000400440116243"
    first, second = statement.lines
    assert (first.amount, first.value_date, first.booking_date) == (
        Decimal("417.00"),
        date(2026, 3, 1),
        date(2026, 3, 2),
    )
    assert first.payment_id == PID and first.counterparty == "Jens Hansen"
    assert first.line_no == 7
    assert second.payment_id == OTHER and second.text == f"Afdrag {OTHER}"
    assert statement.debits_skipped == 1
    # Another camt version and an overlapping file: A3 is recognised.
    again = parse_camt053(
        camt(entry("A3", "99.50", ustrd="x"), ns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08")
    )
    before = stored("camt053", recognise("camt053", statement.lines, [])[0])
    assert recognise("camt053", again.lines, before) == ([], 1)


def test_a_batch_entry_gives_one_line_per_transaction():
    txs = "".join(
        f"""<NtryDtls><TxDtls><Refs><EndToEndId>E{n}</EndToEndId></Refs>
        <AmtDtls><TxAmt><Amt Ccy="DKK">{amount}</Amt></TxAmt></AmtDtls>
        <RmtInf><Strd><CdtrRefInf><Ref>{pid}</Ref></CdtrRefInf></Strd></RmtInf>
        </TxDtls></NtryDtls>"""
        for n, (amount, pid) in enumerate([("100.00", PID), ("200.00", OTHER)])
    )
    lines = parse(camt(entry("B1", "300.00", txs=txs))).lines
    assert [(line.amount, line.payment_id) for line in lines] == [
        (Decimal("100.00"), PID),
        (Decimal("200.00"), OTHER),
    ]
    assert recognise("camt053", lines, [])[1] == 0


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (camt(entry("A1", "1O.00")), "Linje 7: »1O.00« er ikke et beløb"),
        (camt(entry("A1", "10.00", ind="X")), "Linje 7: posteringen mangler CdtDbtInd"),
        (camt(entry("A1", "10.00")).replace(b"</Stmt>", b"</Stmtx>"), "Linje 21: filen er ikke"),
        (camt(entry("A1", "10.00")).replace(b"DKK", b"EUR"), "kun kroner"),
        (b"<Document><Other/></Document>", "ikke et kontoudtog"),
        (
            b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><Document>&a;</Document>',
            "ikke er tilladt",
        ),
    ],
)
def test_a_broken_camt_file_is_refused_whole_naming_the_line(data, problem):
    with pytest.raises(StatementError) as refused:
        parse(data)
    assert problem in str(refused.value)


def test_payment_ids_are_15_digits_with_a_right_check_digit():
    wrong = PID[:-1] + str((int(PID[-1]) + 1) % 10)
    assert payment_id_in(f"+71<{PID}+87654321<") == PID
    assert payment_id_in(f"ref {wrong}") == ""
    assert payment_id_in(f"1{PID}") == ""  # 16 digits is not a payment id
    assert payment_id_in(PID, f"igen {PID}") == PID
    assert payment_id_in(f"{PID} og {OTHER}") == ""  # two loans: the queue decides
    assert payment_ids_in(f"{PID} og {OTHER}") == [PID, OTHER]


@given(st.integers(0, 10**14 - 1))
def test_every_generated_payment_id_is_found(payload):
    pid = with_check_digit(f"{payload:014d}")
    assert payment_id_in(f"Indbetaling {pid}.") == pid
