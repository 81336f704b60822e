"""`toolkit mcp` tools that run Spark: generate_tests (a worker process runs the transform) and
profile (Spark in the server's own process, whose output must not corrupt the protocol)."""

from __future__ import annotations

from pathlib import Path

import pytest
from mcp_helpers import Session

TRANSFORM = """\
from pyspark.sql import DataFrame
from pyspark.sql import functions as F


def with_total(orders: DataFrame) -> DataFrame:
    return orders.withColumn("total", F.col("quantity") * F.col("price"))
"""

ORDERS_CSV = "order_id,status,quantity\n" + "".join(
    f"{n},{('open', 'shipped', 'returned')[n % 3]},{n % 7 + 1}\n" for n in range(1, 61)
)


@pytest.fixture(scope="module")
def shop(workspace: Path) -> Path:
    (workspace / "src" / "shop").mkdir(parents=True)
    (workspace / "src" / "shop" / "__init__.py").write_text("")
    (workspace / "src" / "shop" / "orders.py").write_text(TRANSFORM)
    (workspace / "data").mkdir()
    (workspace / "data" / "orders.csv").write_text(ORDERS_CSV)
    return workspace


@pytest.mark.slow
def test_generate_tests_returns_the_module_and_writes_only_when_asked(
    session: Session, shop: Path
) -> None:
    notes: list[tuple[float, float | None, str | None]] = []

    async def progress(done: float, total: float | None, message: str | None) -> None:
        notes.append((done, total, message))

    preview = session.ok(
        "generate_tests", {"paths": ["src/shop/orders.py"], "timeout": 120}, progress
    )
    # The assistant's client hears about the minute on Spark while it happens.
    assert notes == [
        (0, 1, "starting local Spark"),
        (0, 1, "running with_total on Spark"),
        (1, 1, "1 of 1 run on Spark"),
    ]
    [module] = preview["modules"]
    target = Path(module["path"])
    assert target == shop / "tests" / "shop" / "test_orders.py"
    assert module["created"] is True and not target.exists()
    assert "def test_with_total(spark" in module["text"]
    assert "from shop.orders import with_total" in module["text"]
    assert module["diff"].startswith("--- /dev/null\n+++ b/")
    [outcome] = preview["outcomes"]
    assert outcome["transform"] == "with_total" and outcome["status"] == "would_write"
    assert preview["written"] is False
    assert preview["summary"].startswith("1 of 1 transforms have a test; 1 run on Spark")

    written = session.ok(
        "generate_tests", {"paths": ["src/shop/orders.py"], "timeout": 120, "write": True}
    )
    assert written["written"] is True and written["outcomes"][0]["status"] == "written"
    assert target.read_text() == written["modules"][0]["text"]
    again = session.ok("generate_tests", {"paths": ["src/shop"], "write": True})
    assert again["modules"] == [] and again["outcomes"][0]["status"] == "exists"


def test_generate_tests_argument_errors(session: Session, shop: Path, outside: Path) -> None:
    assert "is outside" in session.error("generate_tests", {"paths": [str(outside)]})
    assert "give one or more" in session.error("generate_tests", {"paths": []})
    refused = session.error(
        "generate_tests",
        {"paths": ["src/shop/orders.py"], "output_dir": str(outside / "tests")},
    )
    assert "output_dir" in refused and "is outside" in refused
    assert "no transform named nothing_here" in session.error(
        "generate_tests", {"paths": ["src/shop/orders.py"], "functions": ["nothing_here"]}
    )


@pytest.mark.slow
def test_profile_returns_the_profile_and_checked_rules(session: Session, shop: Path) -> None:
    result = session.ok("profile", {"source": "data/orders.csv", "rules_path": "rules/orders.yml"})
    profile = result["profile"]
    assert profile["rows"] == 60
    assert [c["name"] for c in profile["columns"]] == ["order_id", "status", "quantity"]
    by_name = {
        (r["check"]["function"], r["check"]["arguments"].get("column")) for r in result["rules"]
    }
    assert ("is_not_null", "order_id") in by_name
    assert ("is_not_less_than", "order_id") in by_name
    listed = next(r for r in result["rules"] if r["name"] == "status_is_in_list")
    assert sorted(listed["check"]["arguments"]["allowed"]) == ["open", "returned", "shipped"]
    assert all(r["pass_rate"] == 1.0 for r in result["rules"])
    written = shop / "rules" / "orders.yml"
    assert result["written"] == [str(written)]
    assert written.read_text() == result["rules_yaml"]
    assert result["rules_yaml"].startswith("# Data-quality rules suggested by `toolkit profile`")
    # A second profile reuses the server's session and may replace its own rules file.
    only_status = session.ok(
        "profile",
        {"source": "data/orders.csv", "columns": ["status"], "rules_path": "rules/orders.yml"},
    )
    assert [c["name"] for c in only_status["profile"]["columns"]] == ["status"]


def test_profile_refuses_before_spark_starts(session: Session, shop: Path, outside: Path) -> None:
    mine = shop / "rules" / "mine.yml"
    mine.parent.mkdir(exist_ok=True)
    mine.write_text("- my: own rules\n")
    refused = session.error(
        "profile", {"source": "data/orders.csv", "rules_path": "rules/mine.yml"}
    )
    assert "was not written by `toolkit profile`" in refused
    assert mine.read_text() == "- my: own rules\n"
    assert "is outside" in session.error("profile", {"source": str(outside / "secret.py")})
    missing = session.error("profile", {"source": "data/nothing.csv"})
    assert "no such file or folder" in missing
    assert "source" in session.error("profile", {"source": "  "})
    sample = session.error("profile", {"source": "data/orders.csv", "sample_fraction": 1.5})
    assert "sample_fraction: 1.5 is not a fraction in (0, 1]" in sample
