"""CSV for spreadsheets: semicolons (Danish Excel), UTF-8 with a BOM, and no
cell that a spreadsheet would run as a formula (CSV injection)."""

import csv

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    """A cell beginning with = + - @ tab or CR gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


class _Echo:
    def write(self, value):
        return value


def csv_rows(header, rows):
    """Yield the CSV's lines: the BOM with the header, then each row."""
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow([neutralise(c) for c in header])
    for row in rows:
        yield writer.writerow([neutralise(c) for c in row])
