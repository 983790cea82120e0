"""Trend charts drawn on the server as SVG: no script, no inline style (the CSP allows neither).

Each series is a line over the months, with a dot and its value at each
month; colours are presentation attributes, the legend and a <title> say
what is drawn for those who cannot see it, and a table beside the chart
gives the same figures.
"""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 720, 280
LEFT, RIGHT, TOP, BOTTOM = 48, 160, 16, 36
# Eight colours that stay apart for most kinds of colour blindness (Okabe–Ito).
COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#f0e442")
MAX_SERIES = len(COLOURS)


def _ticks(top: int) -> list[int]:
    """Up to five round values from 0 to at least top (steps of 1, 2, 5, 10, 20, 50…)."""
    step, factors = 1, (2.0, 2.5, 2.0)
    while top > 4 * step:
        step = int(step * factors[0])
        factors = (*factors[1:], factors[0])
    return list(range(0, top + step, step)) if top % step else list(range(0, top + 1, step))


def trend(
    title: str, labels: list[str], series: list[tuple[str, list[int]]], chart_id: str
) -> SafeString:
    """An SVG line chart: one line per (name, values), values in the order of labels."""
    series = series[:MAX_SERIES]
    top = max([1, *(value for _name, values in series for value in values)])
    ticks = _ticks(top)
    top = ticks[-1] or 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(labels) - 1, 1)

    def x(index: int) -> float:
        return round(LEFT + (index * step if len(labels) > 1 else plot_w / 2), 1)

    def y(value: int) -> float:
        return round(TOP + plot_h - value * plot_h / top, 1)

    grid = format_html_join(
        "",
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#d8d8d8"/>'
        '<text x="{}" y="{}" text-anchor="end" font-size="11" fill="#444">{}</text>',
        ((LEFT, y(t), LEFT + plot_w, y(t), LEFT - 6, y(t) + 4, t) for t in ticks),
    )
    months = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="#444">{}</text>',
        ((x(i), HEIGHT - BOTTOM + 18, label) for i, label in enumerate(labels)),
    )
    lines = []
    for number, (name, values) in enumerate(series):
        colour = COLOURS[number]
        points = " ".join(f"{x(i)},{y(v)}" for i, v in enumerate(values))
        dots = format_html_join(
            "",
            '<circle cx="{}" cy="{}" r="3" fill="{}"><title>{} {}: {}</title></circle>',
            ((x(i), y(v), colour, name, labels[i], v) for i, v in enumerate(values)),
        )
        legend_y = TOP + 14 + number * 18
        lines.append(
            format_html(
                '<g class="nr-chart__series"><polyline points="{}" fill="none" stroke="{}" '
                'stroke-width="2"/>{}<rect x="{}" y="{}" width="12" height="4" fill="{}"/>'
                '<text x="{}" y="{}" font-size="12" fill="#222">{}</text></g>',
                points,
                colour,
                dots,
                WIDTH - RIGHT + 16,
                legend_y - 5,
                colour,
                WIDTH - RIGHT + 34,
                legend_y,
                name,
            )
        )
    return format_html(
        '<svg class="nr-chart" id="{}" viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
        'aria-labelledby="{}-title" xmlns="http://www.w3.org/2000/svg"><title id="{}-title">{}</title>'
        "{}{}{}</svg>",
        chart_id,
        WIDTH,
        HEIGHT,
        WIDTH,
        HEIGHT,
        chart_id,
        chart_id,
        title,
        grid,
        months,
        mark_safe("".join(lines)),  # each part was built with format_html
    )
