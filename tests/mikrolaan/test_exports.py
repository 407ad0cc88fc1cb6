"""The shared CSV writer (mikrolaan.exports): no cell can become a formula,
semicolons and UTF-8 with a byte-order mark for Danish Excel."""

import csv
import io
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from mikrolaan.exports import FORMULA_PREFIXES, csv_lines, csv_response, csv_text, neutralise

# Text biased towards what spreadsheets treat as formulas.
dangerous_text = st.one_of(
    st.text(),
    st.builds(lambda p, t: p + t, st.sampled_from((*FORMULA_PREFIXES, " =", "  +")), st.text()),
)
cells = st.one_of(
    dangerous_text,
    st.integers(),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.none(),
)


def _read(lines) -> list[list[str]]:
    text = "".join(lines)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";"))


@given(st.text())
def test_no_text_cell_begins_like_a_formula(text):
    cell = neutralise(text)
    assert not cell.lstrip(" ").startswith(FORMULA_PREFIXES)
    # Either unchanged, or the original behind one apostrophe: nothing is lost.
    assert cell in (text, "'" + text)


@given(st.lists(st.lists(cells, min_size=1, max_size=6), max_size=8))
def test_every_cell_survives_the_round_trip_neutralised(rows):
    header = ["Navn", "Beløb"]
    read = _read(csv_lines(header, rows))
    assert read[0] == header
    assert len(read) == len(rows) + 1
    for written, original in zip(read[1:], rows, strict=True):
        assert written == [str(csv_text(cell)) for cell in original]
        for cell, value in zip(written, original, strict=True):
            if isinstance(value, str):
                assert not cell.lstrip(" ").startswith(FORMULA_PREFIXES)


def test_numbers_stay_numbers():
    assert neutralise(-500) == -500
    assert neutralise(Decimal("-1250.50")) == Decimal("-1250.50")
    assert neutralise("-500") == "'-500"  # text is text, even when it looks like a number
    assert neutralise(None) == ""


def test_a_hyperlink_formula_is_shown_as_text():
    read = _read(csv_lines(["Navn"], [['=HYPERLINK("http://x.example","Klik")'], ["@SUM(A1)"]]))
    assert read[1] == ['\'=HYPERLINK("http://x.example","Klik")']
    assert read[2] == ["'@SUM(A1)"]


def test_the_response_is_a_utf8_download_with_bom_and_semicolons():
    response = csv_response("liste.csv", ["Navn", "By"], [["Søren Ærø", "Åbenrå"]])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="liste.csv"'
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    assert body.decode("utf-8") == "\ufeffNavn;By\r\nSøren Ærø;Åbenrå\r\n"


def test_decimals_are_written_with_a_decimal_comma_for_danish_excel():
    read = _read(csv_lines(["Beløb", "Andel", "Antal"], [[Decimal("1250.50"), 0.25, 7]]))
    assert read[1] == ["1250,50", "0,25", "7"]
    # No thousands separator: Excel would read "1.250,50" as text in some set-ups.
    assert csv_text(Decimal("-1234567.5")) == "-1234567,5"


def test_the_xlsx_keeps_numbers_as_numbers_and_neutralises_text():
    import io

    from openpyxl import load_workbook

    from mikrolaan.exports import xlsx_bytes

    data = xlsx_bytes(
        "Tragt: faser/uger", ["Fase", "Antal", "Beløb"], [["=SUM(A1)", 3, Decimal("12.5")]]
    )
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Tragt faseruger"
    assert [c.value for c in sheet[1]] == ["Fase", "Antal", "Beløb"]
    assert sheet[1][0].font.bold
    assert [c.value for c in sheet[2]] == ["'=SUM(A1)", 3, 12.5]
