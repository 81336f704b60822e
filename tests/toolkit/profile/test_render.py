"""The reports, from a profile built by hand: no Spark needed."""

from __future__ import annotations

import datetime as dt
import json
import re

from rich.console import Console

from toolkit.profile import render
from toolkit.profile.model import ColumnProfile, ExecutionInfo, Histogram, SampleInfo, TableProfile


def _profile() -> TableProfile:
    amount = ColumnProfile(
        name="amount",
        type="double",
        kind="numeric",
        nullable=True,
        rows=10,
        nulls=2,
        distinct_approx=8,
        min=1.0,
        max=9.5,
        mean=4.2,
        stddev=2.1,
        quantiles={"p50": 4.0},
        histogram=Histogram(edges=[1.0, 5.0, 9.5], counts=[6, 2]),
    )
    country = ColumnProfile(
        name="country <&>",
        type="string",
        kind="string",
        nullable=True,
        rows=10,
        nulls=0,
        distinct=2,
        min="DE",
        max="NL",
        length={"min": 2, "max": 2, "mean": 2.0},
        top_values=[("NL", 7), ("DE", 3)],
        top_values_complete=True,
    )
    day = ColumnProfile(
        name="day",
        type="date",
        kind="date",
        nullable=True,
        rows=10,
        nulls=10,
    )
    return TableProfile(
        source="bronze/customers.csv",
        rows=10,
        columns=[amount, country, day],
        schema=[{"name": "amount", "type": "double", "nullable": True}],
        schema_json="{}",
        duplicate_rows_estimate=0,
        duplicate_rows_margin=1,
        sample=SampleInfo(fraction=0.5, seed=42, rows=10),
        execution=ExecutionInfo(spark_jobs=5, scans=2, seconds=1.25, steps=[]),
        read_jobs=2,
    )


def test_html_is_self_contained_with_one_chart_per_column() -> None:
    page = render.to_html(_profile())
    assert page.startswith("<!DOCTYPE html>")
    assert page.count("<svg") == 2  # amount's histogram, country's value bars; day is all null
    assert "<script" not in page.lower()
    # No network: the only URL is the SVG namespace, which browsers never fetch.
    assert set(re.findall(r"https?://[^\s\"']+", page)) == {"http://www.w3.org/2000/svg"}
    assert "country &lt;&amp;&gt;" in page  # names are escaped
    assert "5 jobs (+2 to read the source), 2 scans" in page


def test_markdown_and_json() -> None:
    profile = _profile()
    text = render.to_markdown(profile)
    assert text.startswith("# Profile of `bronze/customers.csv`")
    assert "| `amount` | double | 20.0% | ≈8 | 1 | 9.5 | 4.2 | 4 |" in text
    assert "Sample: random 0.5 of the rows (seed 42): 10 rows profiled" in text
    data = json.loads(render.to_json(profile))
    assert data["execution"]["spark_jobs"] == 5
    assert data["columns"][1]["top_values"] == [
        {"value": "NL", "count": 7},
        {"value": "DE", "count": 3},
    ]
    assert data["columns"][0]["null_rate"] == 0.2


def test_terminal_table_has_one_line_per_column() -> None:
    console = Console(width=200, record=True)
    render.render_terminal(_profile(), console)
    text = console.export_text()
    assert "Duplicate rows (estimate): ≈0 (± 1)" in text
    amount_line = next(line for line in text.splitlines() if line.lstrip().startswith("amount"))
    assert "█" in amount_line and "20.0%" in amount_line


def test_json_values_are_plain() -> None:
    from toolkit.profile.model import jsonable

    assert jsonable({"d": dt.date(2024, 1, 2), "x": float("nan"), "b": b"\x00"}) == {
        "d": "2024-01-02",
        "x": None,
        "b": "base64:AA==",
    }
    assert render.sparkline([0, 5, 10]) == " ▄█"
