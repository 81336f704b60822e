"""A profile as a terminal table, JSON, Markdown or a self-contained HTML report.

Pure functions of a `TableProfile`: no Spark. The HTML report has inline CSS and one inline
SVG chart per column; it opens from disk with no network and no JavaScript.
"""

from __future__ import annotations

import html
import json
from typing import Any

from toolkit.profile.model import (
    NUMERIC,
    TEMPORAL_KINDS,
    ColumnProfile,
    Histogram,
    TableProfile,
    display,
)

SPARK_BARS = " ▁▂▃▄▅▆▇█"


def to_json(profile: TableProfile) -> str:
    return json.dumps(profile.to_dict(), indent=2, ensure_ascii=False) + "\n"


def sparkline(counts: list[int]) -> str:
    """Bar heights as block characters: a histogram in one line of text."""
    if not counts:
        return ""
    top = max(counts) or 1
    return "".join(
        SPARK_BARS[0 if c == 0 else max(1, round(c / top * (len(SPARK_BARS) - 1)))] for c in counts
    )


def _percent(value: float) -> str:
    if value == 0:
        return "0%"
    if value < 0.001:
        return "<0.1%"
    return f"{value:.1%}"


def _distinct_text(column: ColumnProfile) -> str:
    if column.distinct is not None:
        return f"{column.distinct:,}"
    if column.distinct_approx is not None:
        return f"≈{column.distinct_approx:,}"
    return ""


def _top_text(column: ColumnProfile, limit: int = 3, width: int = 14) -> str:
    return ", ".join(f"{display(v, width=width)} ({c:,})" for v, c in column.top_values[:limit])


def _summary_lines(profile: TableProfile) -> list[str]:
    lines = [
        f"Source: {profile.source}",
        f"Rows: {profile.rows:,}   Columns: {len(profile.columns)}",
    ]
    if profile.sample is not None:
        lines.append(
            f"Sample: random {profile.sample.fraction:g} of the rows "
            f"(seed {profile.sample.seed}): {profile.sample.rows:,} rows profiled"
        )
    if profile.duplicate_rows_estimate is not None:
        lines.append(
            f"Duplicate rows (estimate): ≈{profile.duplicate_rows_estimate:,} "
            f"(± {profile.duplicate_rows_margin:,})"
        )
    ex = profile.execution
    jobs = "unknown" if ex.spark_jobs is None else f"{ex.spark_jobs}"
    read = "" if not profile.read_jobs else f" (+{profile.read_jobs} to read the source)"
    lines.append(
        f"Spark: {jobs} jobs{read}, {ex.scans} scan{'s' if ex.scans != 1 else ''} "
        f"of the data, {ex.seconds:.1f} s"
    )
    return lines


def render_terminal(profile: TableProfile, console: Any) -> None:
    """Print the profile as rich tables on `console` (a `rich.console.Console`)."""
    from rich.table import Table

    for line in _summary_lines(profile):
        console.print(line, highlight=False)
    table = Table(show_lines=False, header_style="bold", pad_edge=False, box=None)
    for header, justify in [
        ("column", "left"),
        ("type", "left"),
        ("nulls", "right"),
        ("distinct", "right"),
        ("min", "right"),
        ("max", "right"),
        ("mean", "right"),
        ("stddev", "right"),
        ("median", "right"),
        ("histogram", "left"),
        ("top values", "left"),
    ]:
        # One line per column: long values end in an ellipsis rather than wrapping.
        table.add_column(header, justify=justify, no_wrap=True, overflow="ellipsis")
    for c in profile.columns:
        table.add_row(
            c.name,
            c.type if len(c.type) <= 20 else c.type[:19] + "…",
            _percent(c.null_rate),
            _distinct_text(c),
            display(c.min, width=16),
            display(c.max, width=16),
            display(c.mean, width=12),
            display(c.stddev, width=12),
            display(c.quantiles.get("p50"), width=16),
            sparkline(c.histogram.counts) if c.histogram else "",
            _top_text(c),
        )
    console.print(table)


# ---------------------------------------------------------------------------------- markdown


def _md(text: Any) -> str:
    return display(text, width=60).replace("|", "\\|")


def _column_facts(c: ColumnProfile) -> list[tuple[str, str]]:
    facts = [
        ("type", c.type),
        ("non-null", f"{c.non_null:,}"),
        ("nulls", f"{c.nulls:,} ({_percent(c.null_rate)})"),
    ]
    if c.nan_count:
        facts.append(("NaN", f"{c.nan_count:,}"))
    if c.distinct_count is not None:
        facts.append(("distinct", _distinct_text(c)))
    for label, value in (("min", c.min), ("max", c.max), ("mean", c.mean), ("stddev", c.stddev)):
        if value is not None:
            facts.append((label, display(value, width=40)))
    if c.quantiles:
        facts.append(
            ("quantiles", ", ".join(f"{k} {display(v, width=24)}" for k, v in c.quantiles.items()))
        )
    if c.length and c.length.get("max") is not None:
        facts.append(
            ("length", f"{c.length['min']} to {c.length['max']}, mean {c.length['mean']:.1f}")
        )
    if c.size and c.size.get("max") is not None:
        facts.append(("size", f"{c.size['min']} to {c.size['max']}, mean {c.size['mean']:.1f}"))
    return facts


def to_markdown(profile: TableProfile) -> str:
    out = [f"# Profile of `{profile.source}`", ""]
    out += [f"- {line}" for line in _summary_lines(profile)]
    out += ["", "## Columns", ""]
    out.append("| column | type | nulls | distinct | min | max | mean | median | top values |")
    out.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for c in profile.columns:
        out.append(
            "| "
            + " | ".join(
                [
                    f"`{_md(c.name)}`",
                    _md(c.type),
                    _percent(c.null_rate),
                    _distinct_text(c),
                    _md(c.min),
                    _md(c.max),
                    _md(c.mean),
                    _md(c.quantiles.get("p50")),
                    _md(_top_text(c, width=20)),
                ]
            )
            + " |"
        )
    for c in profile.columns:
        out += ["", f"### `{c.name}`", ""]
        out += [f"- **{label}**: {_md(value)}" for label, value in _column_facts(c)]
        if c.top_values:
            out += ["", "| value | count |", "| --- | ---: |"]
            out += [f"| {_md(v)} | {n:,} |" for v, n in c.top_values]
        if c.histogram:
            out += ["", f"Histogram: `{sparkline(c.histogram.counts)}`"]
    return "\n".join(out) + "\n"


# -------------------------------------------------------------------------------------- html

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#1f2328}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin:0 0 .4rem}
.summary li{margin:.1rem 0}
table{border-collapse:collapse;margin:.5rem 0}
td,th{border-bottom:1px solid #d0d7de;padding:.2rem .6rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}
.cols{display:grid;grid-template-columns:repeat(auto-fill,minmax(460px,1fr));gap:1rem}
.col{border:1px solid #d0d7de;border-radius:6px;padding:.8rem}
.type{color:#57606a;font-weight:normal}
svg text{font:10px sans-serif;fill:#57606a}
"""


def _svg_histogram(c: ColumnProfile, histogram: Histogram) -> str:
    width, height, pad = 420, 120, 16
    counts = histogram.counts
    top = max(counts) or 1
    bar = (width - 2 * pad) / len(counts)
    rects = []
    for i, count in enumerate(counts):
        h = (height - 2 * pad) * count / top
        x = pad + i * bar
        y = height - pad - h
        low, high = histogram.edges[i], histogram.edges[i + 1]
        about = "about " if histogram.estimated else ""
        title = html.escape(f"[{display(low)}, {display(high)}): {about}{count:,}")
        rects.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(bar - 1, 1):.1f}" height="{h:.1f}" '
            f'fill="#4c78a8"><title>{title}</title></rect>'
        )
    first = html.escape(display(histogram.edges[0], width=20))
    last = html.escape(display(histogram.edges[-1], width=20))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="histogram of {html.escape(c.name)}">'
        + "".join(rects)
        + f'<text x="{pad}" y="{height - 3}">{first}</text>'
        + f'<text x="{width - pad}" y="{height - 3}" text-anchor="end">{last}</text></svg>'
    )


def _svg_top_values(c: ColumnProfile) -> str:
    values = c.top_values[:10]
    width, row = 420, 16
    height = row * len(values) + 4
    top = max(n for _, n in values) or 1
    parts = []
    for i, (value, count) in enumerate(values):
        y = i * row + 2
        w = (width - 190) * count / top
        label = html.escape(display(value, width=22))
        parts.append(
            f'<text x="0" y="{y + 11}">{label}</text>'
            f'<rect x="140" y="{y}" width="{w:.1f}" height="{row - 3}" fill="#f58518">'
            f"<title>{label}: {count:,}</title></rect>"
            f'<text x="{145 + w:.1f}" y="{y + 11}">{count:,}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="top values of {html.escape(c.name)}">' + "".join(parts) + "</svg>"
    )


def _chart(c: ColumnProfile) -> str:
    if c.histogram and (c.kind == NUMERIC or c.kind in TEMPORAL_KINDS):
        return _svg_histogram(c, c.histogram)
    if c.top_values:
        return _svg_top_values(c)
    return "<p><em>No chart: no values to count.</em></p>"


def to_html(profile: TableProfile) -> str:
    e = html.escape
    cards = []
    for c in profile.columns:
        facts = "".join(
            f"<tr><th>{e(label)}</th><td>{e(value)}</td></tr>" for label, value in _column_facts(c)
        )
        top = ""
        if c.top_values:
            rows = "".join(
                f"<tr><td>{e(display(v, width=48))}</td><td>{n:,}</td></tr>"
                for v, n in c.top_values
            )
            top = f"<details><summary>Top values</summary><table>{rows}</table></details>"
        cards.append(
            f'<section class="col"><h2>{e(c.name)} <span class="type">{e(c.type)}</span></h2>'
            f"{_chart(c)}<table>{facts}</table>{top}</section>"
        )
    summary = "".join(f"<li>{e(line)}</li>" for line in _summary_lines(profile))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>Profile of {e(profile.source)}</title><style>{_CSS}</style></head><body>"
        f"<h1>Profile of <code>{e(profile.source)}</code></h1>"
        f'<ul class="summary">{summary}</ul><div class="cols">{"".join(cards)}</div>'
        "</body></html>\n"
    )
