"""Charts drawn on the server as SVG with matplotlib's SVG backend, for the dashboard and the PDF alike.

No pyplot (its global state is not thread-safe in a web server): a Figure with its own SVG canvas.
Text stays text in the SVG (svg.fonttype = none), so it is searchable and read by screen readers; each
chart is also shown next to its table, which is the text alternative. In the published edition a hidden
count is not drawn: its bar is left out and labelled "<3" or "x", as in the table.
"""

from __future__ import annotations

import base64
import io
import uuid
from html import escape

import matplotlib

matplotlib.use("svg")  # no display, no Agg: nothing but SVG is ever drawn

from matplotlib import rc_context  # noqa: E402
from matplotlib.backends.backend_svg import FigureCanvasSVG  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

COLOURS = ["#6f2c91", "#d9822b", "#2a7f62", "#3867d6"]  # brand purple first; all reach 3:1 on white
STYLE = {"svg.fonttype": "none", "font.family": "DejaVu Sans", "font.size": 9, "axes.spines.top": False,
         "axes.spines.right": False, "axes.titlesize": 10}


def _to_svg(figure: Figure, description: str) -> str:
    buffer = io.StringIO()
    with rc_context({**STYLE, "svg.hashsalt": uuid.uuid4().hex}):  # unique ids when several SVGs share a page
        FigureCanvasSVG(figure).print_svg(buffer)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]  # drop the XML prolog and doctype: the SVG is inlined into HTML
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(description)}" ', 1)


def bar_chart(title: str, labels: list[str], values: list[int | None], shown: list[str]) -> str:
    """Horizontal bars, one per label; a value of None is a hidden count, labelled with its `shown` text."""
    with rc_context(STYLE):
        height = 0.9 + 0.28 * max(len(labels), 1)
        figure = Figure(figsize=(6.2, height))
        axes = figure.add_subplot()
        positions = list(range(len(labels)))[::-1]
        axes.barh(positions, [v or 0 for v in values], color=COLOURS[0], height=0.65)
        axes.set_yticks(positions, labels)
        axes.set_title(title, loc="left")
        top = max([v for v in values if v] or [1])
        axes.set_xlim(0, top * 1.18 + 0.5)
        axes.xaxis.get_major_locator().set_params(integer=True)
        for position, value, text in zip(positions, values, shown, strict=True):
            axes.text((value or 0) + top * 0.02, position, text, va="center", fontsize=8)
        figure.tight_layout()
    return _to_svg(figure, title)


def line_chart(title: str, months: list[str], series: dict[str, list[int | None]]) -> str:
    """Monthly lines (cases, victims); hidden counts are gaps."""
    with rc_context(STYLE):
        figure = Figure(figsize=(6.8, 2.7))
        axes = figure.add_subplot()
        for colour, (name, values) in zip(COLOURS, series.items(), strict=False):
            axes.plot(range(len(months)), [float("nan") if v is None else v for v in values], marker="o",
                      color=colour, label=name, linewidth=1.8, markersize=3.5)
        axes.set_xticks(range(len(months)), months, rotation=45, ha="right")
        axes.yaxis.get_major_locator().set_params(integer=True)
        axes.set_ylim(bottom=0)
        axes.set_title(title, loc="left")
        axes.legend(frameon=False, loc="lower right", bbox_to_anchor=(1, 1.0), ncol=2, fontsize=8)
        axes.grid(axis="y", color="#dddddd", linewidth=0.6)
        figure.tight_layout()
    return _to_svg(figure, title)


def as_data_uri(svg: str) -> str:
    """For WeasyPrint: the SVG as an <img> source (a standalone SVG document needs its namespace)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
