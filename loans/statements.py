"""Bank statements: a Danish bank's CSV export and ISO 20022 camt.053, read
into plain lines (SPEC §7).

A file is read whole or refused whole: the first thing wrong raises
``StatementError`` with a Danish message naming the line, and nothing is
imported. Only incoming money (credits) becomes a line; what the account
paid out is counted and left.

Which lines were imported before is decided by ``recognise``, the same
whichever format either file came in: a transaction is known by what a
bank's CSV and its camt.053 both carry — the booking day and the amount —
and told apart from other transactions of that day and amount by the +71
payment id, the bank's reference when both lines carry one, and the text
when both lines come from the same format (a CSV's text and a camt.053's
remittance information are written differently for the same payment). Two
equal payments on one day in one file are two payments; a file that overlaps
an earlier one recognises the nth such line as the nth (a bank exports whole
days).

The +71 payment id (FI-kort, 15 digits with a Luhn check digit) is found in
the reference or the text of a line.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError
from django.utils.translation import gettext as _

from .schedule import PAYMENT_ID_DIGITS, is_valid_payment_id

MAX_BYTES = 20 * 1024 * 1024
ØRE = Decimal("0.01")


class StatementError(ValueError):
    """The file is refused whole; the message is Danish and names the line."""


@dataclass(frozen=True)
class StatementLine:
    line_no: int  # the line in the file where the transaction starts
    booking_date: date
    value_date: date
    amount: Decimal
    text: str = ""
    reference: str = ""
    counterparty: str = ""
    bank_reference: str = ""
    payment_id: str = ""  # a valid +71 payment id found in the line, or ""

    @property
    def text_key(self) -> str:
        # As stored (``loans.StatementLine`` keeps this much of each).
        return text_key(self.text[:500], self.reference[:140], self.counterparty[:200])


@dataclass(frozen=True)
class Statement:
    format: str  # "csv" or "camt053"
    lines: list[StatementLine]
    debits_skipped: int = 0
    account: str = ""


# --- the +71 payment id ----------------------------------------------------------------


def payment_ids_in(*texts: str) -> list[str]:
    """Every distinct valid +71 payment id in the texts, in order: a run of
    exactly 15 digits whose check digit is right (the FI line
    ``+71<payment id+creditor<`` and a bare number both qualify)."""
    found = []
    for text in texts:
        run = []
        for ch in (text or "") + " ":
            if ch.isdigit() and ch.isascii():
                run.append(ch)
                continue
            candidate = "".join(run)
            run = []
            if (
                len(candidate) == PAYMENT_ID_DIGITS
                and is_valid_payment_id(candidate)
                and candidate not in found
            ):
                found.append(candidate)
    return found


def payment_id_in(*texts: str) -> str:
    """The one payment id the texts name, or "" if none or several (a line
    naming two loans goes to the matching queue)."""
    ids = payment_ids_in(*texts)
    return ids[0] if len(ids) == 1 else ""


# --- recognising lines imported before ----------------------------------------------


def _squash(text: str) -> str:
    """Letters and digits only, case folded: spacing and punctuation vary."""
    return "".join(ch for ch in (text or "").casefold() if ch.isalnum())


def text_key(text: str, reference: str, counterparty: str) -> str:
    return "|".join(_squash(t) for t in (text, reference, counterparty)).strip("|")


@dataclass(frozen=True)
class KnownLine:
    """A line imported before, as ``recognise`` compares it."""

    booking_date: date
    amount: Decimal
    occurrence: int
    format: str
    payment_id: str = ""
    bank_reference: str = ""
    text_key: str = ""


# How sure a pairing is: the same bank reference, the same payment id, the
# same text in the same format, or only nothing against it.
_BY_REFERENCE, _BY_PAYMENT_ID, _BY_TEXT, _UNCONTRADICTED = 3, 2, 1, 0


def _likeness(fmt: str, line: StatementLine, known: KnownLine) -> int | None:
    """How surely ``line`` is the transaction ``known`` (same day and
    amount), or None when something both carry differs."""
    mine, theirs = _squash(line.bank_reference), _squash(known.bank_reference)
    if mine and theirs:
        return _BY_REFERENCE if mine == theirs else None
    level = _UNCONTRADICTED
    if line.payment_id and known.payment_id:
        if line.payment_id != known.payment_id:
            return None
        level = _BY_PAYMENT_ID
    if fmt == known.format and line.text_key and known.text_key:
        if line.text_key != known.text_key:
            return None
        level = max(level, _BY_TEXT)
    return level


def _index(known: list[KnownLine], attribute) -> dict:
    found = defaultdict(list)
    for n, k in enumerate(known):
        value = attribute(k)
        if value:
            found[value].append(n)
    return found


def recognise(
    fmt: str, lines: list[StatementLine], known: list[KnownLine]
) -> tuple[list[tuple[StatementLine, int]], int]:
    """Which of a file's lines are new: ``([(line, occurrence), ...],
    duplicates)``. Lines are paired with lines imported before of the same
    booking day and amount — the surest pairings first (bank reference,
    payment id, text), then in order — and a line paired is a duplicate. A
    new line gets the next free occurrence number of its day and amount."""
    theirs_by_key = defaultdict(list)
    for k in known:
        theirs_by_key[k.booking_date, k.amount].append(k)
    mine_by_key = defaultdict(list)
    for line in lines:
        mine_by_key[line.booking_date, line.amount].append(line)

    fresh, duplicates = [], 0
    for key, mine in mine_by_key.items():
        theirs = sorted(theirs_by_key.get(key, ()), key=lambda k: k.occurrence)
        paired = [False] * len(mine)
        taken = [False] * len(theirs)
        if theirs:
            indexes = {
                _BY_REFERENCE: (_index(theirs, lambda k: _squash(k.bank_reference)), "ref"),
                _BY_PAYMENT_ID: (_index(theirs, lambda k: k.payment_id), "id"),
                _BY_TEXT: (_index(theirs, lambda k: k.text_key), "text"),
            }
            for level in (_BY_REFERENCE, _BY_PAYMENT_ID, _BY_TEXT, _UNCONTRADICTED):
                for i, line in enumerate(mine):
                    if paired[i]:
                        continue
                    if level == _UNCONTRADICTED:
                        candidates = range(len(theirs))
                    else:
                        index, what = indexes[level]
                        value = {
                            "ref": _squash(line.bank_reference),
                            "id": line.payment_id,
                            "text": line.text_key,
                        }[what]
                        candidates = index.get(value, ()) if value else ()
                    for j in candidates:
                        if not taken[j] and _likeness(fmt, line, theirs[j]) == level:
                            paired[i] = taken[j] = True
                            duplicates += 1
                            break
        occurrence = max((k.occurrence for k in theirs), default=0)
        for i, line in enumerate(mine):
            if not paired[i]:
                occurrence += 1
                fresh.append((line, occurrence))
    order = {id(line): n for n, line in enumerate(lines)}
    fresh.sort(key=lambda pair: order[id(pair[0])])
    return fresh, duplicates


# --- CSV -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CsvMapping:
    """Which column holds what: a municipality sets it to its bank's export.
    Column names are matched without regard to case or surrounding spaces."""

    date: str = "Dato"
    amount: str = "Beløb"
    text: str = "Tekst"
    value_date: str = ""  # empty: the value date is the booking date
    reference: str = ""
    counterparty: str = ""
    bank_reference: str = ""
    delimiter: str = ";"

    @classmethod
    def from_dict(cls, data: dict | None) -> CsvMapping:
        known = set(cls.__dataclass_fields__)
        return cls(**{k: str(v) for k, v in (data or {}).items() if k in known and v is not None})


def decode(data: bytes) -> str:
    """UTF-8 (with or without a BOM), else Windows-1252 — what Danish banks export."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="strict")


def parse_amount(value: str) -> Decimal:
    """A Danish amount: ``-1.234,50``, ``1234,5``, ``+250``; whole øre."""
    text = (value or "").strip().replace("\xa0", "").replace(" ", "")
    if not text or text.count(",") > 1:
        raise ValueError(value)
    whole, _sep, fraction = text.partition(",")
    sign = ""
    if whole[:1] in "+-":
        sign, whole = ("-" if whole[0] == "-" else ""), whole[1:]
    groups = whole.split(".")
    if len(groups) > 1 and (not 1 <= len(groups[0]) <= 3 or any(len(g) != 3 for g in groups[1:])):
        raise ValueError(value)
    digits = "".join(groups)
    if not digits.isdigit() or (fraction and not fraction.isdigit()) or len(fraction) > 2:
        raise ValueError(value)
    try:
        return Decimal(f"{sign}{digits}.{fraction or '0'}").quantize(ØRE)
    except InvalidOperation as exc:
        raise ValueError(value) from exc


def parse_date(value: str) -> date:
    text = (value or "").strip()
    for fmt in ("%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def parse_csv(data: bytes, mapping: CsvMapping | None = None) -> Statement:
    mapping = mapping or CsvMapping()
    if len(data) > MAX_BYTES:
        raise StatementError(_("Filen er for stor."))
    try:
        text = decode(data)
    except UnicodeDecodeError as exc:
        raise StatementError(_("Filen kan ikke læses som tekst.")) from exc
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=mapping.delimiter or ";")
    try:
        header = next(reader)
    except StopIteration:
        raise StatementError(_("Filen er tom.")) from None
    except csv.Error as exc:
        raise StatementError(_("Linje 1 kan ikke læses: %(error)s") % {"error": exc}) from exc
    columns = {name.strip().casefold(): n for n, name in enumerate(header)}

    def index(name: str, *, required: bool) -> int | None:
        if not name:
            return None
        found = columns.get(name.strip().casefold())
        if found is None and required:
            raise StatementError(
                _("Linje 1: kolonnen »%(column)s« findes ikke i filen. Ret kolonneopsætningen.")
                % {"column": name}
            )
        return found

    cols = {
        "date": index(mapping.date, required=True),
        "amount": index(mapping.amount, required=True),
        "text": index(mapping.text, required=False),
        "value_date": index(mapping.value_date, required=True),
        "reference": index(mapping.reference, required=True),
        "counterparty": index(mapping.counterparty, required=True),
        "bank_reference": index(mapping.bank_reference, required=True),
    }
    lines, debits = [], 0
    try:
        for row in reader:
            line_no = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) < len(header):
                raise StatementError(
                    _("Linje %(line)s har %(found)s kolonner, men overskriften har %(expected)s.")
                    % {"line": line_no, "found": len(row), "expected": len(header)}
                )

            def cell(key, row=row):
                n = cols[key]
                return row[n].strip() if n is not None else ""

            try:
                booking = parse_date(cell("date"))
                value = booking
                if cols["value_date"] is not None:
                    value = parse_date(cell("value_date"))
            except ValueError as exc:
                raise StatementError(
                    _("Linje %(line)s: »%(value)s« er ikke en dato (dd-mm-åååå eller dd.mm.åååå).")
                    % {"line": line_no, "value": exc.args[0]}
                ) from None
            try:
                amount = parse_amount(cell("amount"))
            except ValueError:
                raise StatementError(
                    _("Linje %(line)s: »%(value)s« er ikke et beløb (fx 1.234,50).")
                    % {"line": line_no, "value": cell("amount")}
                ) from None
            if amount <= 0:
                debits += 1
                continue
            lines.append(
                StatementLine(
                    line_no=line_no,
                    booking_date=booking,
                    value_date=value,
                    amount=amount,
                    text=cell("text"),
                    reference=cell("reference"),
                    counterparty=cell("counterparty"),
                    bank_reference=cell("bank_reference"),
                    payment_id=payment_id_in(cell("reference"), cell("text")),
                )
            )
    except csv.Error as exc:
        raise StatementError(
            _("Linje %(line)s kan ikke læses: %(error)s") % {"line": reader.line_num, "error": exc}
        ) from exc
    return Statement("csv", lines, debits)


# --- camt.053 --------------------------------------------------------------------------


class _LineTreeBuilder(TreeBuilder):
    """A tree builder that remembers the line each element starts on, read
    from the expat parser while it reports the element."""

    def __init__(self):
        super().__init__()
        self.parser = None
        self.lines: dict[int, int] = {}

    def start(self, tag, attrs):
        element = super().start(tag, attrs)
        self.lines[id(element)] = self.parser.parser.CurrentLineNumber
        return element


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element: Element | None, *path: str) -> Element | None:
    for name in path:
        if element is None:
            return None
        element = next((c for c in element if _local(c.tag) == name), None)
    return element


def _children(element: Element | None, name: str) -> list[Element]:
    return [] if element is None else [c for c in element if _local(c.tag) == name]


def _text(element: Element | None, *path: str) -> str:
    found = _child(element, *path)
    return (found.text or "").strip() if found is not None else ""


def parse_camt053(data: bytes) -> Statement:
    if len(data) > MAX_BYTES:
        raise StatementError(_("Filen er for stor."))
    builder = _LineTreeBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True)
    builder.parser = parser
    try:
        parser.feed(data)
        root = parser.close()
    except ParseError as exc:
        line = getattr(exc, "position", (0, 0))[0]
        raise StatementError(
            _("Linje %(line)s: filen er ikke gyldig XML (%(error)s).")
            % {"line": line, "error": exc.msg if hasattr(exc, "msg") else exc}
        ) from exc
    except DefusedXmlException as exc:
        raise StatementError(
            _("Filen indeholder XML-konstruktioner, der ikke er tilladt (%(error)s).")
            % {"error": type(exc).__name__}
        ) from exc
    lines_of = builder.lines

    def at(element):
        return lines_of.get(id(element), 0)

    if _local(root.tag) != "Document" or _child(root, "BkToCstmrStmt") is None:
        raise StatementError(
            _("Linje %(line)s: filen er ikke et kontoudtog i formatet camt.053.")
            % {"line": at(root)}
        )
    statements = _children(_child(root, "BkToCstmrStmt"), "Stmt")
    if not statements:
        raise StatementError(_("Filen indeholder intet kontoudtog (Stmt)."))

    lines, debits, accounts = [], 0, []
    for stmt in statements:
        account = _text(stmt, "Acct", "Id", "IBAN") or _text(stmt, "Acct", "Id", "Othr", "Id")
        accounts.append(account)
        for entry in _children(stmt, "Ntry"):
            line_no = at(entry)

            def refuse(message, line_no=line_no):
                raise StatementError(
                    _("Linje %(line)s: %(problem)s") % {"line": line_no, "problem": message}
                )

            indicator = _text(entry, "CdtDbtInd")
            if indicator not in ("CRDT", "DBIT"):
                refuse(_("posteringen mangler CdtDbtInd (CRDT eller DBIT)."))
            if _text(entry, "RvslInd").lower() == "true":
                # A bank's own reversal of an entry is not a payment.
                debits += 1
                continue
            if indicator == "DBIT":
                debits += 1
                continue
            booking_text = _text(entry, "BookgDt", "Dt") or _text(entry, "BookgDt", "DtTm")[:10]
            value_text = _text(entry, "ValDt", "Dt") or _text(entry, "ValDt", "DtTm")[:10]
            try:
                booking = date.fromisoformat(booking_text)
                value = date.fromisoformat(value_text) if value_text else booking
            except ValueError:
                refuse(_("posteringen har ingen gyldig bogføringsdato (BookgDt)."))
            entry_ref = _text(entry, "AcctSvcrRef") or _text(entry, "NtryRef")
            transactions = [
                tx for d in _children(entry, "NtryDtls") for tx in _children(d, "TxDtls")
            ] or [None]
            for n, tx in enumerate(transactions):
                amount_el = _child(entry, "Amt")
                if tx is not None and len(transactions) > 1:
                    amount_el = _child(tx, "AmtDtls", "TxAmt", "Amt")
                    if amount_el is None:  # an Element without children is falsy: no `or`
                        amount_el = _child(tx, "Amt")
                    if amount_el is None:
                        refuse(_("en transaktion i en samlepostering har intet beløb."))
                if amount_el is None:
                    refuse(_("posteringen har intet beløb (Amt)."))
                if amount_el.get("Ccy", "DKK") != "DKK":
                    refuse(
                        _("beløbet er i %(currency)s; kun kroner (DKK) kan registreres.")
                        % {"currency": amount_el.get("Ccy")}
                    )
                try:
                    amount = Decimal((amount_el.text or "").strip())
                except InvalidOperation:
                    refuse(_("»%(value)s« er ikke et beløb.") % {"value": amount_el.text})
                if amount <= 0 or amount != amount.quantize(ØRE):
                    refuse(_("beløbet skal være positivt og i hele øre."))
                reference = _text(tx, "RmtInf", "Strd", "CdtrRefInf", "Ref")
                text = " ".join(
                    t for t in (e.text or "" for e in _children(_child(tx, "RmtInf"), "Ustrd")) if t
                ) or _text(entry, "AddtlNtryInf")
                tx_ref = _text(tx, "Refs", "AcctSvcrRef") or _text(tx, "Refs", "EndToEndId")
                if tx_ref == "NOTPROVIDED":
                    tx_ref = ""
                bank_ref = ""
                if entry_ref:
                    bank_ref = f"{entry_ref}/{tx_ref or n}" if len(transactions) > 1 else entry_ref
                lines.append(
                    StatementLine(
                        line_no=at(tx) if len(transactions) > 1 else line_no,
                        booking_date=booking,
                        value_date=value,
                        amount=amount.quantize(ØRE),
                        text=text,
                        reference=reference,
                        counterparty=_text(tx, "RltdPties", "Dbtr", "Nm")
                        or _text(tx, "RltdPties", "Dbtr", "Pty", "Nm"),
                        bank_reference=bank_ref,
                        payment_id=payment_id_in(reference, text),
                    )
                )
    account = ",".join(sorted(set(accounts)))
    return Statement("camt053", lines, debits, account)


def parse(data: bytes, *, mapping: CsvMapping | None = None) -> Statement:
    """Either format, told apart by content: camt.053 is XML."""
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return parse_camt053(data)
    return parse_csv(data, mapping)
