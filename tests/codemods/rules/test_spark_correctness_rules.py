"""The SPK1xx and SPK3xx rules against real Spark: what they flag fails or misbehaves on a
local session, and what their fixes write runs and gives the intended result. Also the
engine-facing promises of SPK302 (sqlglot imported only for SQL literals, parses cached)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from codemods.engine import LintSettings, fix, lint


def _codes(source: str, code: str) -> list[str]:
    settings = LintSettings(enabled_codes=frozenset({code}))
    return [d.code for d in lint(textwrap.dedent(source), "job.py", settings)]


def _fixed(source: str, code: str) -> str:
    settings = LintSettings(enabled_codes=frozenset({code}))
    result = fix(textwrap.dedent(source), "job.py", settings, unsafe=True, select=[code])
    assert result.changed, f"{code} offered no fix"
    return result.source


def _run(source: str, spark) -> dict:
    namespace: dict = {"spark": spark}
    exec(compile(source, "job.py", "exec"), namespace)
    return namespace


@pytest.fixture(scope="module")
def orders(spark):
    frame = spark.createDataFrame(
        [(1, "NL", 5.0, True), (2, "NL", 50.0, False), (3, "BE", 70.0, True)],
        ["id", "country", "amount", "active"],
    )
    frame.createOrReplaceTempView("orders")
    return frame


@pytest.mark.slow
def test_python_bool_on_columns_raises_and_the_fix_filters(spark, orders) -> None:
    source = """
    from pyspark.sql import functions as F
    kept = spark.table("orders").filter(
        F.col("active") and not F.col("country") == "BE" or F.col("amount") > 60
    )
    ids = sorted(row.id for row in kept.collect())
    """
    assert _codes(source, "SPK102") == ["SPK102"]
    with pytest.raises(ValueError, match="Cannot convert column into bool"):
        _run(textwrap.dedent(source), spark)
    assert _run(_fixed(source, "SPK102"), spark)["ids"] == [1, 3]


@pytest.mark.slow
def test_unparenthesized_comparisons_raise_and_the_fix_filters(spark, orders) -> None:
    source = """
    from pyspark.sql.functions import col
    kept = spark.table("orders").filter(col("amount") > 10 & col("country") == "NL")
    ids = [row.id for row in kept.collect()]
    """
    assert _codes(source, "SPK103") == ["SPK103"]
    with pytest.raises(Exception):  # noqa: B017 - bool() of a Column, or an analysis error
        _run(textwrap.dedent(source), spark)
    assert _run(_fixed(source, "SPK103"), spark)["ids"] == [2]


@pytest.mark.slow
def test_join_on_same_named_keys_is_ambiguous_until_fixed(spark, orders) -> None:
    source = """
    left = spark.table("orders")
    right = spark.table("orders").select("id", "country")
    joined = left.join(right, left.id == right.id)
    columns = joined.select("id").columns
    """
    assert _codes(source, "SPK107") == ["SPK107"]
    from pyspark.errors import AnalysisException

    with pytest.raises(AnalysisException, match="AMBIGUOUS"):
        _run(textwrap.dedent(source), spark)
    fixed = _fixed(source, "SPK107")
    assert 'on="id"' in fixed
    assert _run(fixed, spark)["columns"] == ["id"]


@pytest.mark.slow
def test_union_by_position_swaps_values_and_the_fix_matches_names(spark) -> None:
    source = """
    a = spark.createDataFrame([(1, 10.0)], ["id", "amount"])
    b = spark.createDataFrame([(20.0, 2)], ["amount", "id"])
    rows = sorted(a.union(b).collect())
    """
    assert _codes(source, "SPK110") == ["SPK110"]
    swapped = _run(textwrap.dedent(source), spark)["rows"]
    assert [tuple(row) for row in swapped] == [(1.0, 10.0), (20.0, 2.0)]
    fixed = _run(_fixed(source, "SPK110"), spark)["rows"]
    assert [tuple(row) for row in fixed] == [(1, 10.0), (2, 20.0)]


@pytest.mark.slow
def test_formatted_sql_becomes_parameters_that_spark_binds(spark, orders) -> None:
    source = """
    def load(table, country, minimum):
        rows = spark.sql(
            f"SELECT id FROM {table} WHERE country = '{country}' OR amount > {minimum} ORDER BY id"
        ).collect()
        return [row.id for row in rows]

    ids = load("orders", "NL' OR '1'='1", 10)
    """
    assert _codes(source, "SPK301") == ["SPK301"]
    # The pasted value rewrites the condition: every row comes back.
    assert _run(textwrap.dedent(source), spark)["ids"] == [1, 2, 3]
    fixed = _fixed(source, "SPK301")
    assert "IDENTIFIER(:table)" in fixed and "country = :country" in fixed
    # As a parameter the same value is only a value: no country matches it.
    assert _run(fixed, spark)["ids"] == [2, 3]


@pytest.mark.slow
def test_f_string_plus_variable_is_flagged_and_the_fix_binds_both_values(spark, orders) -> None:
    source = """
    def load(minimum, country):
        rows = spark.sql(
            f"SELECT id FROM orders WHERE amount > {minimum} AND country = '" + country + "'"
        ).collect()
        return sorted(row.id for row in rows)

    ids = load(10, "NL' OR '1'='1")
    dutch = load(10, "NL")
    """
    assert _codes(source, "SPK301") == ["SPK301"]
    assert _run(textwrap.dedent(source), spark)["ids"] == [1, 2, 3]
    fixed = _fixed(source, "SPK301")
    assert "amount > :minimum AND country = :country" in fixed
    namespace = _run(fixed, spark)
    assert namespace["ids"] == [] and namespace["dutch"] == [2]


def test_concatenation_fixes_never_turn_sql_text_into_a_parameter() -> None:
    flagged_without_fix = """
    def load(day, clause, head):
        a = spark.sql(f"SELECT * FROM t WHERE day = '{day}'" + clause)
        b = spark.sql(head + " WHERE day = '2024-01-01'")
        c = spark.sql("SELECT * FROM t WHERE day = '2024-01-01'" + clause)
        return a, b, c
    """
    assert _codes(flagged_without_fix, "SPK301") == ["SPK301"] * 3
    settings = LintSettings(enabled_codes=frozenset({"SPK301"}))
    result = fix(textwrap.dedent(flagged_without_fix), "job.py", settings, unsafe=True)
    assert result.source == textwrap.dedent(flagged_without_fix)
    # The f-string's own text is SQL, not a value: only `day` becomes a parameter.
    fixed = _fixed(
        """
        def load(day):
            return spark.sql(f"SELECT * FROM t WHERE day = '{day}'" + " LIMIT 10")
        """,
        "SPK301",
    )
    assert 'spark.sql("SELECT * FROM t WHERE day = :day LIMIT 10", args={"day": day})' in fixed


@pytest.mark.slow
def test_star_import_shadows_builtins_and_the_fix_makes_it_visible(spark, orders) -> None:
    source = """
    from pyspark.sql.functions import *

    totals = spark.table("orders").groupBy("country").agg(sum(col("amount")).alias("total"))
    result = {row.country: row.total for row in totals.collect()}
    """
    assert _codes(source, "SPK104") == ["SPK104"]
    broken = textwrap.dedent(source) + "biggest = max(result.values())\n"
    with pytest.raises(Exception, match=r"NOT_EXPECTED_TYPE|NOT_COLUMN"):
        _run(broken, spark)  # the built-in `max` is Spark's here
    fixed = _fixed(source, "SPK104")
    assert "from pyspark.sql import functions as F" in fixed
    assert "F.sum(F.col(" in fixed
    assert _run(fixed + "biggest = max(result.values())\n", spark)["biggest"] == 70.0


@pytest.mark.slow
def test_untyped_null_column_cannot_be_written(spark, tmp_path) -> None:
    source = f"""
    from pyspark.sql import functions as F
    df = spark.range(2).withColumn("note", F.lit(None))
    df.write.mode("overwrite").csv({str(tmp_path / "out")!r})
    """
    assert _codes(source, "SPK106") == ["SPK106"]
    with pytest.raises(Exception, match="UNSUPPORTED_DATA_TYPE"):
        _run(textwrap.dedent(source), spark)
    typed = textwrap.dedent(source).replace("F.lit(None)", 'F.lit(None).cast("string")')
    assert _codes(typed, "SPK106") == []
    _run(typed, spark)


def test_sqlglot_is_imported_only_for_sql_literals() -> None:
    program = textwrap.dedent(
        """
        import sys
        from codemods.engine import lint
        lint("df = spark.table('t')\\ndf.filter(df.a > 1)\\n", "job.py")
        before = "sqlglot" in sys.modules
        lint("spark.sql('SELECT 1')\\n", "job.py")
        print(before, "sqlglot" in sys.modules)
        """
    )
    completed = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    assert completed.stdout.split() == ["False", "True"]


def test_sql_parse_results_are_cached_per_string() -> None:
    from codemods.rules.invalid_sql import _sql_error, sql_problem

    query = "SELECT id, FROM orders WHERE (amount > 0"
    first = sql_problem(query, statement=True)
    hits = _sql_error.cache_info().hits
    assert sql_problem(query, statement=True) == first
    assert _sql_error.cache_info().hits == hits + 1
    assert first is not None and "Expecting )" in first


def test_wildcard_without_pyspark_is_flagged_without_a_fix() -> None:
    program = textwrap.dedent(
        """
        import sys
        sys.modules["pyspark"] = None  # as if the `spark` extra were not installed
        from codemods.engine import LintSettings, lint
        found = lint(
            "from pyspark.sql.functions import *\\nx = col('a')\\n",
            "job.py",
            LintSettings(enabled_codes=frozenset({"SPK104", "TK999"})),
        )
        print([(d.code, d.fix is not None) for d in found])
        """
    )
    completed = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    assert completed.stdout.strip() == "[('SPK104', False)]"


def test_sessions_from_the_class_and_from_a_dataframe_are_sessions() -> None:
    import ast

    from codemods.engine.semantic import SemanticModel

    source = textwrap.dedent(
        """
        from pyspark.sql import SparkSession
        active = SparkSession.getActiveSession()
        current = SparkSession.active()
        built = SparkSession.builder.appName("x").getOrCreate()
        frame = active.table("t")
        owner = frame.sparkSession
        """
    )
    tree = ast.parse(source)
    model = SemanticModel(tree)
    kinds = {
        stmt.targets[0].id: model.kind_of(stmt.value)
        for stmt in tree.body
        if isinstance(stmt, ast.Assign)
    }
    assert kinds == {
        "active": "session",
        "current": "session",
        "built": "session",
        "frame": "dataframe",
        "owner": "session",
    }
    # And so the rules see them: SQL pasted into the active session's `sql`.
    flagged = _codes(
        """
        from pyspark.sql import SparkSession

        def load(day):
            return SparkSession.getActiveSession().sql(f"SELECT * FROM t WHERE d = '{day}'")
        """,
        "SPK301",
    )
    assert flagged == ["SPK301"]
