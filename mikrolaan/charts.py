"""Charts drawn on the server as SVG: no script, no CDN, no inline style
(the Content-Security-Policy forbids it). Colours and sizes are SVG
presentation attributes, so the same markup works on a page and in a PDF
(WeasyPrint).

A chart is a picture for those who would rather look than read: the page
shows the same numbers as a table beside it, so the SVG is marked as an
image with a short title (``role="img"``) and screen readers read the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

# Colours with at least 3:1 contrast against white (WCAG 1.4.11) and apart
# from each other also without colour vision.
BAR = "#1f5f8b"
MUTED = "#6c757d"
WARN = "#b02a37"
PLANNED = "#cfe2f3"
GRID = "#adb5bd"
TEXT = "#212529"


def _number(value) -> str:
    """A value as the chart writes it: Danish decimal comma, no trailing zeros."""
    if isinstance(value, float | Decimal):
        text = f"{value:.1f}".rstrip("0").rstrip(".")
        return text.replace(".", ",")
    return str(value)


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | float | Decimal
    warn: bool = False
    muted: bool = False


def bar_chart(
    bars: list[Bar],
    *,
    title: str,
    width: int = 720,
    bar_height: int = 22,
    gap: int = 6,
    label_width: int = 330,
    suffix: str = "",
) -> SafeString:
    """Horizontal bars, one per row, the value written after each bar."""
    top = 4
    height = top + len(bars) * (bar_height + gap) + 4
    biggest = max((float(b.value) for b in bars), default=0) or 1
    room = width - label_width - 70
    # Written in one pass (a dashboard draws three charts on each request):
    # the labels and values are escaped, the rest are numbers.
    rows = []
    for i, bar in enumerate(bars):
        y = top + i * (bar_height + gap)
        length = round(room * float(bar.value) / biggest, 1)
        colour = WARN if bar.warn else MUTED if bar.muted else BAR
        text_y = y + bar_height * 0.7
        rows.append(
            f'<text x="{label_width - 8}" y="{text_y}" text-anchor="end" font-size="13" '
            f'fill="{TEXT}">{escape(bar.label)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar_height}" '
            f'fill="{colour}"></rect>'
            f'<text x="{label_width + length + 6}" y="{text_y}" font-size="13" '
            f'fill="{TEXT}">{escape(_number(bar.value) + suffix)}</text>'
        )
    body = mark_safe("".join(rows))  # every text is escaped above
    return format_html(
        '<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
        'width="100%" role="img" aria-label="{}" focusable="false">'
        '<line x1="{}" y1="0" x2="{}" y2="{}" stroke="{}" stroke-width="1"></line>{}</svg>',
        width,
        height,
        title,
        label_width,
        label_width,
        height,
        GRID,
        body,
    )


@dataclass(frozen=True)
class Span:
    """One row of a timeline: a planned span of weeks and a marker."""

    label: str
    first: int
    last: int | None  # None: open-ended (drawn to the chart's end)
    marker: int | None = None
    warn: bool = False
    since: int | None = None  # drawn as a line from here to the marker


def timeline_chart(
    spans: list[Span],
    *,
    title: str,
    weeks: int,
    current_week: int | None = None,
    width: int = 900,
    row_height: int = 20,
    label_width: int = 320,
) -> SafeString:
    """Weeks along the x axis (1 … ``weeks``); each row's planned span as a
    light band and its marker (where the row stands now) as a dot, red when
    it is behind plan, with a line back to ``since`` (when it got there);
    the current week as a vertical line."""
    weeks = max(weeks, 1)
    top = 22
    height = top + len(spans) * row_height + 8
    room = width - label_width - 12

    def x(week: float) -> float:
        return round(label_width + room * (min(max(week, 1), weeks + 1) - 1) / weeks, 1)

    # Written as plain text: a row per case (hundreds on a programme's
    # timeline), and format_html's escaping of every number cost more than
    # the rest of the page. Only the labels and the title are text to escape.
    ticks = [w for w in range(1, weeks + 1) if w == 1 or w % 8 == 0]
    parts = [
        f'<line x1="{x(w)}" y1="{top - 4}" x2="{x(w)}" y2="{height}" stroke="{GRID}" '
        f'stroke-width="1"></line><text x="{x(w)}" y="14" text-anchor="middle" '
        f'font-size="11" fill="{TEXT}">{w}</text>'
        for w in ticks
    ]
    for i, span in enumerate(spans):
        y = top + i * row_height
        last = weeks + 1 if span.last is None else span.last + 1
        colour = WARN if span.warn else BAR
        parts.append(
            f'<text x="{label_width - 8}" y="{y + row_height * 0.7}" text-anchor="end" '
            f'font-size="12" fill="{TEXT}">{escape(span.label)}</text>'
            f'<rect x="{x(span.first)}" y="{y + 3}" width="{max(x(last) - x(span.first), 2)}" '
            f'height="{row_height - 6}" fill="{PLANNED}"></rect>'
        )
        if span.marker is not None and span.since is not None and span.since < span.marker:
            parts.append(
                f'<rect x="{x(span.since + 0.5)}" y="{y + row_height / 2 - 2}" '
                f'width="{x(span.marker + 0.5) - x(span.since + 0.5)}" height="4" '
                f'fill="{colour}"></rect>'
            )
        if span.marker is not None:
            parts.append(
                f'<circle cx="{x(span.marker + 0.5)}" cy="{y + row_height / 2}" '
                f'r="{row_height / 3}" fill="{colour}"></circle>'
            )
    if current_week is not None and 1 <= current_week <= weeks:
        parts.append(
            f'<line x1="{x(current_week + 0.5)}" y1="{top - 6}" x2="{x(current_week + 0.5)}" '
            f'y2="{height}" stroke="{TEXT}" stroke-width="2" stroke-dasharray="4 3"></line>'
        )
    # The labels and the title are escaped above, the rest are numbers.
    return mark_safe(
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" focusable="false">'
        f"{''.join(parts)}</svg>"
    )
