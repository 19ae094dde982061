"""The report's charts as PNG and SVG, drawn with matplotlib's object API (no pyplot state).

Deterministic output: a fixed `svg.hashsalt` (element ids), no date in the metadata, and SVG
text kept as text (`svg.fonttype: none`), so labels stay searchable and scannable.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display, ever: the exports run in a headless worker

from matplotlib import rc_context  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from orchestration.publish.exports.wording import (  # noqa: E402
    count,
    display_name,
    join,
    leading,
    named_values,
)

# Okabe-Ito: tells apart for colour-blind readers and in greyscale print.
COMPLETED, ACTIVE, FUTURE, CURRENT, PLAIN = "#0072B2", "#56B4E9", "#E69F00", "#009E73", "#0072B2"
RC = {
    "svg.hashsalt": "phc-warehouse-exports",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
}


@dataclass(frozen=True)
class Chart:
    name: str  # file stem
    title: str
    figure: Figure
    description: str  # the text alternative: what the chart shows, with its leading figures
    table: str  # the report table (ReportTable.key) holding the chart's data


def _most_and_least(items: Sequence[tuple[str, float]], noun: str) -> str:
    """'most: mental health (72), ...; least: obesity and migrant health (21 each)'."""
    most = leading(items, 3)
    least = leading(items, 1, descending=False)
    text = f"Most {noun}: {named_values(most.groups)}"
    if not set(least.names) & set(most.names):
        text += f"; least: {named_values(least.groups)}"
    return text + "."


def _bars_description(kind: str, rows: Sequence[tuple], unit: str) -> str:
    """Every bar when there are few, else the leading ones: 'police (14), ...'."""
    items = [(r[0], r[1]) for r in rows]
    if len(items) <= 8:
        bars = [f"{display_name(name)} {count(value)}" for name, value in items]
        return f"{kind}, in {unit}: {join(bars)}."
    return f"{kind}, {len(items)} bars. {_most_and_least(items, unit)}"


def _figure(rows: int) -> tuple[Figure, Axes]:
    figure = Figure(figsize=(8, 1.2 + 0.28 * rows), layout="constrained")
    axes = figure.add_subplot()
    # Counts: ticks on whole numbers (no "2.5 projects").
    axes.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    return figure, axes


def _label_bars(axes: Axes, container) -> None:
    axes.bar_label(container, padding=3, fontsize=8)


def areas_stacked(rows: Sequence[tuple]) -> Chart:
    """Table 1: completed, active and future mentions stacked, the most mentioned on top."""
    areas = [r[0] for r in rows]
    completed, active, future = ([r[i] for r in rows] for i in (1, 2, 3))
    figure, axes = _figure(len(rows))
    axes.barh(areas, completed, color=COMPLETED, label="Completed work")
    axes.barh(areas, active, left=completed, color=ACTIVE, label="Active work")
    last = axes.barh(
        areas,
        future,
        left=[c + a for c, a in zip(completed, active, strict=True)],
        color=FUTURE,
        label="Possible future work",
    )
    axes.bar_label(last, labels=[str(r[4]) for r in rows], padding=3, fontsize=8)
    axes.invert_yaxis()
    axes.set_xlabel("Mentions (police and regional/national surveys)")
    axes.set_title("Areas of collaborative work, by total mentions (Table 1)", loc="left")
    axes.legend(loc="lower right", frameon=False)
    description = (
        f"Stacked horizontal bar chart of the {len(rows)} areas of collaborative work, each bar "
        "split into completed, active and possible future work, ordered by total mentions. "
        + _most_and_least([(r[0], r[4]) for r in rows], "mentions in total")
    )
    return Chart(
        "table1_areas_of_work",
        "Areas of collaborative work (Table 1)",
        figure,
        description,
        "Table 1",
    )


def current_vs_future(rows: Sequence[tuple]) -> Chart:
    """Current (completed + active) against possible future mentions, by area.

    Sorted by the future share of an area's mentions, so the areas the report says are
    emerging (social isolation, homelessness, ACEs...) rise to the top.
    """
    ordered = sorted(rows, key=lambda r: (-(r[3] / r[4] if r[4] else 0), r[0]))
    areas = [r[0] for r in ordered]
    current = [r[1] + r[2] for r in ordered]
    future = [r[3] for r in ordered]
    figure, axes = _figure(len(ordered))
    axes.hlines(areas, current, future, color="#BBBBBB", linewidth=2, zorder=1)
    axes.scatter(current, areas, color=CURRENT, label="Current (completed + active)", zorder=2)
    axes.scatter(future, areas, color=FUTURE, label="Possible future", zorder=2)
    axes.invert_yaxis()
    axes.set_xlim(left=0)
    axes.set_xlabel("Mentions")
    axes.set_title("From current to future work, areas by share of future mentions", loc="left")
    axes.legend(loc="upper right", frameon=False)  # the top rows sit left: free space
    shown = [f"{display_name(r[0])} ({r[1] + r[2]} current, {r[3]} future)" for r in ordered[:3]]
    future_top = leading([(r[0], r[3]) for r in rows], 3)
    description = (
        f"Dot chart of the {len(rows)} areas of work: current (completed and active) against "
        "possible future mentions, areas with the largest share of future mentions first: "
        f"{join(shown)}. Most possible future mentions: {named_values(future_top.groups)}."
    )
    return Chart(
        "current_vs_future",
        "Shift from current to possible future work",
        figure,
        description,
        "Table 1",
    )


def _simple_bars(
    name: str, title: str, rows: Sequence[tuple], xlabel: str, table: str, kind: str
) -> Chart:
    figure, axes = _figure(len(rows))
    bars = axes.barh([r[0] for r in rows], [r[1] for r in rows], color=PLAIN)
    _label_bars(axes, bars)
    axes.invert_yaxis()
    axes.margins(x=0.08)  # room for the value labels
    axes.set_xlabel(xlabel)
    axes.set_title(title, loc="left")
    return Chart(name, title, figure, _bars_description(kind, rows, "projects"), table)


def lead_agency(rows: Sequence[tuple]) -> Chart:
    total = sum(r[1] for r in rows)
    return _simple_bars(
        "lead_agency",
        "Lead agency of the good practice projects (Table 2)",
        rows,
        "Projects",
        "Table 2",
        f"Bar chart of the lead agency of the {total} good practice projects",
    )


def funding(rows: Sequence[tuple]) -> Chart:
    return _simple_bars(
        "funding",
        "How the good practice projects were funded",
        rows,
        "Projects",
        "Funding",
        "Bar chart of how the good practice projects were funded",
    )


def write_charts(
    out_dir: Path,
    table1_rows: Sequence[tuple],
    lead_rows: Sequence[tuple],
    funding_rows: Sequence[tuple],
) -> list[Chart]:
    """Draw every chart and save `<name>.png` and `<name>.svg` into `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with rc_context(RC):
        charts = [
            areas_stacked(table1_rows),
            current_vs_future(table1_rows),
            lead_agency(lead_rows),
            funding(funding_rows),
        ]
        for chart in charts:
            for fmt in ("png", "svg"):
                chart.figure.savefig(
                    out_dir / f"{chart.name}.{fmt}",
                    format=fmt,
                    dpi=150,
                    metadata=METADATA[fmt],
                )
                # Laid out once (for the PNG): the SVG gets the same positions, in half the time.
                chart.figure.set_layout_engine("none")
    return charts
