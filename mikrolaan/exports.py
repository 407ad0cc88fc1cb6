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
- Semicolons between cells, and UTF-8 with a byte-order mark, which is what
  Danish Excel opens correctly (æ, ø, å) with a double click.
- Streamed, so a long list never sits in memory.
"""

import csv
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.http import StreamingHttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
DELIMITER = ";"


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
    yield BOM + writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row])


def csv_response(filename: str, header: Iterable, rows: Iterable[Iterable]):
    """A streaming download of ``rows`` under ``header`` as ``filename``."""
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in csv_lines(header, rows)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
