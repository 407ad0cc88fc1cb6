"""CSV exports: the one way the project writes a spreadsheet file.

Every export goes through :func:`csv_response` (or :func:`csv_lines`), so
every export gets the same three things:

- Cells cannot become formulas. A text cell that begins with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return (also after leading spaces) is
  opened by Excel and LibreOffice as a formula: a citizen's first name
  ``=HYPERLINK(…)`` would be a live link in a caseworker's spreadsheet (OWASP
  "CSV injection"). Such a cell gets a leading apostrophe, which spreadsheets
  show as plain text. Numbers (``int``, ``Decimal``, ``float``) are written as
  they are: they cannot carry a formula.
- Semicolons between cells, decimal commas (``1250,50``), and UTF-8 with a
  byte-order mark, which is what Danish Excel opens correctly (æ, ø, å) with
  a double click, numbers as numbers.
- Streamed, so a long list never sits in memory.

The same table can be had as an Excel workbook (:func:`xlsx_response`), with
numbers as numbers and the same neutralised text. :func:`table_response`
serves either, by format, and writes the audit row of the export.
"""

import csv
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.http import StreamingHttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
DELIMITER = ";"


def csv_text(value) -> str | int:
    """One neutralised cell as Danish Excel reads it: a decimal comma in
    numbers with a fraction (no thousands separator, which would make it
    text)."""
    value = neutralise(value)
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    return value


def neutralise(value) -> str | int | float | Decimal:
    """One cell's value, safe to open in a spreadsheet."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    text = str(value)
    if text.lstrip(" ").startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


class _Echo:
    """A file-like object whose write() hands the line back (for streaming)."""

    def write(self, value):
        return value


def csv_lines(header: Iterable, rows: Iterable[Iterable]) -> Iterator[str]:
    """The file's text, one line at a time: the byte-order mark and the
    header first, every cell neutralised."""
    writer = csv.writer(_Echo(), delimiter=DELIMITER)
    yield BOM + writer.writerow([csv_text(cell) for cell in header])
    for row in rows:
        yield writer.writerow([csv_text(cell) for cell in row])


def csv_response(filename: str, header: Iterable, rows: Iterable[Iterable]):
    """A streaming download of ``rows`` under ``header`` as ``filename``."""
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in csv_lines(header, rows)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(title: str, header: Iterable, rows: Iterable[Iterable]) -> bytes:
    """The table as an Excel workbook of one sheet: a bold header, numbers
    as numbers (Decimal as float: Excel has no other number), text
    neutralised as in the CSV."""
    import io

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    # Excel refuses sheet titles over 31 characters and some punctuation.
    sheet = workbook.create_sheet(title="".join(c for c in title if c not in "[]:*?/\\")[:31])
    bold = Font(bold=True)
    head = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=str(neutralise(text)))
        cell.font = bold
        head.append(cell)
    sheet.append(head)
    for row in rows:
        values = []
        for value in row:
            value = neutralise(value)
            if isinstance(value, Decimal):
                value = float(value)
            values.append(value)
        sheet.append(values)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_response(filename: str, title: str, header: Iterable, rows: Iterable[Iterable]):
    """A download of the table as an .xlsx workbook."""
    from django.http import HttpResponse

    response = HttpResponse(xlsx_bytes(title, header, rows), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


FORMATS = ("csv", "xlsx")


def table_response(request, *, fmt: str, name: str, title: str, header, rows, data=None):
    """The table as ``name.csv`` or ``name.xlsx``, with an audit row naming
    who exported what. Citizens whose data the rows were read from get their
    access-log rows from the middleware (the rows are loaded through models
    that reveal a citizen)."""
    from .audit import record_event

    if fmt not in FORMATS:
        raise ValueError(fmt)
    record_event(
        actor=request.user,
        action="report.exported",
        data={"report": name, "format": fmt, **(data or {})},
    )
    if fmt == "xlsx":
        return xlsx_response(f"{name}.xlsx", title, header, rows)
    return csv_response(f"{name}.csv", header, rows)
