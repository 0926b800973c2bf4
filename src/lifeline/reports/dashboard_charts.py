"""Server-side SVG charts: drawn from the figures on the server, so they show with no
JavaScript, no third-party host and a strict CSP (presentation attributes, no inline style).

Every text that goes into the markup is escaped (site names come from users).
"""

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 440
LABEL_WIDTH = 150
BAR_HEIGHT = 16
ROW_GAP = 6
COLUMN_HEIGHT = 150
COLOURS = ("#b42318", "#dc6803", "#1570ef", "#12b76a", "#7a5af8")
SINGLE = "#1570ef"


def _svg(height: int, title: str, body: list[str]) -> SafeString:
    # Every piece is escaped or a number.
    return mark_safe(  # noqa: S308 # nosec B308 B703
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def bars(title: str, rows: Sequence[tuple[str, Sequence[int]]], series: int = 1) -> SafeString:
    """Horizontal bars, one row per label; with several series, stacked left to right."""
    peak = max((sum(values) for _label, values in rows), default=0) or 1
    room = WIDTH - LABEL_WIDTH - 50
    body: list[str] = []
    y = 4
    for label, values in rows:
        body.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR_HEIGHT - 4}" text-anchor="end" '
            f'font-size="11" fill="#344054">{escape(label[:28])}</text>'
        )
        x = float(LABEL_WIDTH)
        for i, value in enumerate(values[:series]):
            width = room * value / peak
            if width > 0:
                colour = COLOURS[i % len(COLOURS)] if series > 1 else SINGLE
                body.append(
                    f'<rect class="bar" x="{x:.1f}" y="{y}" width="{width:.1f}" '
                    f'height="{BAR_HEIGHT}" fill="{colour}"><title>{escape(label)}: {int(value)}'
                    "</title></rect>"
                )
            x += width
        body.append(
            f'<text x="{x + 4:.1f}" y="{y + BAR_HEIGHT - 4}" font-size="11" fill="#344054">'
            f"{int(sum(values[:series]))}</text>"
        )
        y += BAR_HEIGHT + ROW_GAP
    return _svg(max(y, 24), title, body)


def columns(title: str, rows: Sequence[tuple[str, int]], every: int = 1) -> SafeString:
    """Vertical columns in order (days, weeks), a label under every ``every``-th one."""
    count = max(len(rows), 1)
    peak = max((value for _label, value in rows), default=0) or 1
    left, bottom = 30, 18
    step = (WIDTH - left - 4) / count
    body = [
        f'<text x="{left - 4}" y="10" text-anchor="end" font-size="10" fill="#667085">{int(peak)}</text>',
        f'<line x1="{left}" y1="{COLUMN_HEIGHT}" x2="{WIDTH - 4}" y2="{COLUMN_HEIGHT}" stroke="#d0d5dd"/>',
    ]
    for i, (label, value) in enumerate(rows):
        height = (COLUMN_HEIGHT - 10) * value / peak
        x = left + i * step
        if height > 0:
            body.append(
                f'<rect class="bar" x="{x:.1f}" y="{COLUMN_HEIGHT - height:.1f}" '
                f'width="{max(step - 1, 1):.1f}" height="{height:.1f}" fill="{SINGLE}">'
                f"<title>{escape(label)}: {int(value)}</title></rect>"
            )
        if i % every == 0:
            body.append(
                f'<text x="{x:.1f}" y="{COLUMN_HEIGHT + 13}" font-size="9" fill="#667085">'
                f"{escape(label)}</text>"
            )
    return _svg(COLUMN_HEIGHT + bottom, title, body)
