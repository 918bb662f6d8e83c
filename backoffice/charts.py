"""Bar charts drawn on the server as SVG: nothing loaded from anywhere, nothing to vendor."""

from collections.abc import Callable
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH, HEIGHT, AXIS = 720, 220, 28


def bar_chart(points: list[tuple[str, Decimal | int]], *, display: Callable[[Decimal | int], str] = str) -> SafeString:
    """One bar per (label, value), scaled to the largest; each bar carries its figure as a
    tooltip, and the labels of a few bars (every fifth of a long series) stand under the axis.
    `display` writes a figure for people (money with money_display)."""
    largest = max((value for _, value in points), default=0)
    top = largest or 1
    slot = WIDTH / max(len(points), 1)
    every = 1 if len(points) <= 10 else 5
    plot = HEIGHT - AXIS - 10

    def bar(n: int, label: str, value) -> tuple:
        height = plot * float(value) / float(top)
        shown = n % every == 0 or n == len(points) - 1
        last = n == len(points) - 1 and len(points) > 10  # kept inside the picture
        caption = format_html(
            '<text x="{}" y="{}" font-size="11" text-anchor="{}" fill="#444">{}</text>',
            f"{WIDTH - 2 if last else n * slot + slot / 2:.1f}",
            HEIGHT - 10,
            "end" if last else "middle",
            label,
        )
        x, y, width = f"{n * slot + slot * 0.15:.1f}", f"{HEIGHT - AXIS - height:.1f}", f"{slot * 0.7:.1f}"
        return x, y, width, f"{height:.1f}", label, display(value), caption if shown else ""

    bars = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" fill="#0b7a4b"><title>{}: {}</title></rect>{}',
        (bar(n, label, value) for n, (label, value) in enumerate(points)),
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" role="img">'
        '<line x1="0" y1="{}" x2="{}" y2="{}" stroke="#999"/>'
        '<text x="4" y="12" font-size="11" fill="#444">{}</text>{}</svg>',
        WIDTH,
        HEIGHT,
        HEIGHT - AXIS,
        WIDTH,
        HEIGHT - AXIS,
        display(largest),
        bars,
    )
