"""The settings resolver: discovery of the config, validation, selection, path classes."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from codemods.settings import Settings, resolve_settings, split_codes
from toolkit.errors import ToolkitError

REGISTRY = (
    ("SPK101", False),
    ("SPK102", False),
    ("SPK201", False),
    ("SPK209", False),
    ("SPK302", False),
    ("SPK999", True),  # an opt-in rule
    ("DBX101", False),
    ("DBX102", False),
    ("DBX201", False),
    ("DBX208", False),
    ("TST001", False),
    ("TK001", False),
)
NON_OPT_IN = {code for code, opt_in in REGISTRY if not opt_in}
ALWAYS = {"TK001", "TK002", "TK999"}


def write_pyproject(folder: Path, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "pyproject.toml"
    path.write_text("[project]\nname = 'p'\n\n[tool.toolkit]\n" + textwrap.dedent(body))
    return path


def codes(settings: Settings, path: str = "pkg/mod.py") -> set[str]:
    return set(settings.enabled_codes(settings.root / path, REGISTRY))


@pytest.mark.parametrize(
    ("body", "cli", "expected"),
    [
        ("", {}, NON_OPT_IN | ALWAYS),
        ('select = ["SPK1"]', {}, {"SPK101", "SPK102", "TK001"} | ALWAYS),
        ('select = ["SPK1"]', {"select": ["DBX2"]}, {"DBX201", "DBX208", "TK001"} | ALWAYS),
        (
            'select = ["SPK1"]\nextend-select = ["TST"]',
            {},
            {"SPK101", "SPK102", "TST001", "TK001"} | ALWAYS,
        ),
        (
            'ignore = ["SPK"]',
            {},
            NON_OPT_IN - {"SPK101", "SPK102", "SPK201", "SPK209", "SPK302"} | ALWAYS,
        ),
        (
            "",
            {"ignore": ["SPK201", "DBX"]},
            NON_OPT_IN - {"SPK201", "DBX101", "DBX102", "DBX201", "DBX208"} | ALWAYS,
        ),
        ('extend-select = ["SPK999"]', {}, NON_OPT_IN | {"SPK999"} | ALWAYS),
        ("", {"extend_select": ["SPK9"]}, NON_OPT_IN | {"SPK999"} | ALWAYS),
        ('select = ["ALL"]', {}, {code for code, _ in REGISTRY} | ALWAYS),
        ('select = ["ALL"]\nignore = ["ALL"]', {}, {"TK001"} | ALWAYS),
        ('compute = "dedicated"', {}, NON_OPT_IN - {"DBX101", "DBX102"} | ALWAYS),
        ('compute = "dedicated"\nselect = ["DBX"]', {}, {"DBX201", "DBX208", "TK001"} | ALWAYS),
        ('compute = "dedicated"\nextend-select = ["DBX101"]', {}, NON_OPT_IN - {"DBX102"} | ALWAYS),
        (
            'compute = "dedicated"',
            {"select": ["DBX102", "SPK302"]},
            {"DBX102", "SPK302", "TK001"} | ALWAYS,
        ),
        ('compute = "shared"', {}, NON_OPT_IN | ALWAYS),
        ('select = ["SPK101"]\nignore = ["SPK101"]', {}, {"TK001"} | ALWAYS),
    ],
)
def test_selection_follows_the_documented_order(
    tmp_path: Path, body: str, cli: dict, expected: set
) -> None:
    write_pyproject(tmp_path, body)
    settings = resolve_settings(tmp_path, **cli)
    assert codes(settings) == expected


def test_per_file_ignores_apply_per_path_and_are_cached(tmp_path: Path) -> None:
    write_pyproject(
        tmp_path,
        """
        [tool.toolkit.per-file-ignores]
        "tests/**" = ["SPK2", "DBX201"]
        "*_notebook.py" = ["SPK101"]
        "!src/**" = ["TST"]
        "scratch/*.py" = ["ALL"]
        """,
    )
    settings = resolve_settings(tmp_path)
    assert (
        codes(settings, "tests/a/test_x.py")
        == NON_OPT_IN - {"SPK201", "SPK209", "DBX201", "TST001"} | ALWAYS
    )
    assert codes(settings, "src/jobs/daily_notebook.py") == NON_OPT_IN - {"SPK101"} | ALWAYS
    assert codes(settings, "src/pkg/mod.py") == NON_OPT_IN | ALWAYS
    assert codes(settings, "scratch/try.py") == {"TK001"} | ALWAYS
    # TK codes survive any ignore.
    assert "TK001" in codes(settings, "tests/test_y.py")
    first = settings.enabled_codes(tmp_path / "tests/one.py", REGISTRY)
    second = settings.enabled_codes(tmp_path / "tests/two.py", REGISTRY)
    assert first is second  # same per-file-ignores match: one cached set


def test_nearest_pyproject_with_table_wins_and_is_the_root(tmp_path: Path) -> None:
    write_pyproject(tmp_path, 'select = ["SPK"]')
    inner = tmp_path / "packages" / "inner"
    inner.mkdir(parents=True)
    (inner / "pyproject.toml").write_text("[project]\nname = 'inner'\n")  # no [tool.toolkit]
    settings = resolve_settings(inner / "src")
    assert settings.config_path == tmp_path / "pyproject.toml"
    assert settings.root == tmp_path
    assert settings.select == ("SPK",)


def test_toolkit_toml_has_top_level_keys_and_beats_pyproject(tmp_path: Path) -> None:
    write_pyproject(tmp_path, 'select = ["SPK"]')
    (tmp_path / "toolkit.toml").write_text('select = ["DBX"]\nmax-cells = 20\n')
    settings = resolve_settings(tmp_path)
    assert settings.config_path == tmp_path / "toolkit.toml"
    assert (settings.select, settings.max_cells) == (("DBX",), 20)


def test_explicit_config_skips_discovery(tmp_path: Path) -> None:
    write_pyproject(tmp_path / "project", 'select = ["SPK"]')
    other = tmp_path / "elsewhere" / "toolkit.toml"
    other.parent.mkdir()
    other.write_text('compute = "dedicated"\n')
    settings = resolve_settings(tmp_path / "project", config=other)
    assert settings.config_path == other
    assert settings.root == other.parent
    assert settings.select is None and settings.compute == "dedicated"


def test_no_config_gives_defaults_rooted_at_start(tmp_path: Path) -> None:
    settings = resolve_settings(tmp_path)
    assert settings.config_path is None
    assert (settings.max_cells, settings.compute, settings.min_runtime) == (
        75,
        "serverless",
        "13.3",
    )
    assert settings.src == (tmp_path,) and settings.tests == (tmp_path / "tests",)
    assert settings.config_folder == tmp_path / "config"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('selct = ["SPK"]', r"(?s)pyproject.toml:5: selct: unknown setting.*did you mean 'select'"),
        (
            "max_cells = 3",
            r"(?s)pyproject.toml:5: max_cells: unknown setting.*did you mean 'max-cells'",
        ),
        (
            'compute = "classic"',
            r":5: compute: expected one of 'serverless', 'shared', 'dedicated', got 'classic'",
        ),
        ("max-cells = 0", r":5: max-cells: expected a whole number of cells >= 1, got 0"),
        ("max-cells = true", r"max-cells: expected a whole number"),
        ('min-runtime = "latest"', r"min-runtime: expected a Databricks runtime version like"),
        ('select = "SPK"', r"select: expected a list of rule codes or prefixes"),
        ('ignore = ["spk101"]', r"ignore: 'spk101' is not a rule code or prefix"),
        ('per-file-ignores = ["x"]', r"per-file-ignores: expected a table of glob"),
        ("src = 3", r"src: expected a list of strings, got 3"),
        ("force-exclude = 1", r"force-exclude: expected true or false"),
        ("select = [", r"invalid TOML"),
    ],
)
def test_bad_settings_name_file_line_and_allowed_values(
    tmp_path: Path, body: str, message: str
) -> None:
    write_pyproject(tmp_path, body)
    with pytest.raises(ToolkitError, match=message) as caught:
        resolve_settings(tmp_path)
    assert str(tmp_path / "pyproject.toml") in str(caught.value)


def test_min_runtime_float_is_accepted(tmp_path: Path) -> None:
    write_pyproject(tmp_path, "min-runtime = 15.4")
    settings = resolve_settings(tmp_path)
    assert settings.min_runtime == "15.4" and settings.min_runtime_version == (15, 4)


@pytest.mark.parametrize(
    ("body", "cli", "message"),
    [
        ('select = ["SPK4"]', {}, r"pyproject.toml:5: select: unknown rule code or prefix 'SPK4'"),
        (
            'extend-select = ["DBX301"]',
            {},
            r"(?s)extend-select: unknown rule code or prefix 'DBX301'.*did you mean DBX201",
        ),
        ("", {"select": ["SPK404"]}, r"^--select: unknown rule code or prefix 'SPK404'"),
        ("", {"ignore": ["XYZ"]}, r"^--ignore: unknown rule code"),
        (
            '[tool.toolkit.per-file-ignores]\n"a.py" = ["SPK77"]',
            {},
            r"per-file-ignores: unknown rule code",
        ),
    ],
)
def test_unknown_codes_fail_once_the_registry_is_known(
    tmp_path: Path, body: str, cli: dict, message: str
) -> None:
    write_pyproject(tmp_path, body)
    settings = resolve_settings(tmp_path, **cli)  # the registry is not known yet: fine
    with pytest.raises(ToolkitError, match=message):
        settings.enabled_codes(tmp_path / "a.py", (*REGISTRY[:-1], ("SPK999", True)))


@pytest.mark.parametrize(
    ("relative", "text", "is_test", "is_library"),
    [
        ("src/pkg/transforms.py", "def f(): ...\n", False, True),
        ("src/pkg/test_transforms.py", "", True, False),
        ("src/pkg/transforms_test.py", "", True, False),
        ("src/pkg/conftest.py", "", True, False),
        ("tests/helpers.py", "", True, False),
        ("tests/unit/data/sample.py", "", True, False),
        ("src/pkg/notebook.py", "# Databricks notebook source\nx = 1\n", False, False),
        (
            "src/pkg/notebook_crlf.py",
            "\ufeff# Databricks notebook source\r\nx = 1\r\n",
            False,
            False,
        ),
        ("scripts/run.py", "", False, False),  # outside the src folders
        ("src/pkg/analysis.ipynb", "{}", False, False),
    ],
)
def test_path_classification(
    tmp_path: Path, relative: str, text: str, is_test: bool, is_library: bool
) -> None:
    write_pyproject(tmp_path, 'src = ["src"]\ntests = ["tests"]')
    settings = resolve_settings(tmp_path)
    assert settings.is_test_file(tmp_path / relative) is is_test
    assert settings.is_library_module(tmp_path / relative, text) is is_library


def test_relative_paths_resolve_from_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_pyproject(tmp_path, 'src = ["src"]\ntests = ["qa"]')
    monkeypatch.chdir(tmp_path / "")
    settings = resolve_settings(".")
    assert settings.root == tmp_path
    assert settings.is_test_file("qa/check.py")
    assert settings.is_library_module("src/../src/pkg/m.py", "")
    assert not settings.is_library_module("qa/check.py", "")


def test_fingerprint_is_stable_and_changes_with_settings(tmp_path: Path) -> None:
    write_pyproject(tmp_path, 'select = ["SPK"]')
    first = resolve_settings(tmp_path).fingerprint()
    assert first == resolve_settings(tmp_path).fingerprint()
    assert first != resolve_settings(tmp_path, ignore=["SPK101"]).fingerprint()
    write_pyproject(tmp_path, 'select = ["SPK"]\nmax-cells = 10')
    assert first != resolve_settings(tmp_path).fingerprint()


def test_rule_options_carry_the_rule_settings(tmp_path: Path) -> None:
    write_pyproject(tmp_path, 'max-cells = 9\nmin-runtime = "14.3"\nconfig-dir = "conf"')
    options = resolve_settings(tmp_path).rule_options()
    assert options["DBX208"] == {"max-cells": 9}
    assert options["DBX209"] == {"min-runtime": "14.3"}
    assert options["DBX207"] == {"config-dir": str(tmp_path / "conf")}


def test_import_stays_light() -> None:
    script = (
        "import sys, codemods.settings, codemods.discovery, codemods.notebooks\n"
        "heavy = {'pyspark', 'libcst', 'pygls', 'jinja2', 'nbformat', 'pathspec'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_error_line_is_found_inside_our_table_only(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.ruff.lint]\nselect = ['E']\nignore = ['E501']\n\n"
        "[tool.toolkit]\nselect = ['SPK']\nignore = [\"nope\"]\n\n"
        "[tool.toolkit.per-file-ignores]\n'tests/**' = ['SPK2']\n"
    )
    with pytest.raises(ToolkitError, match=r"pyproject.toml:7: ignore: 'nope' is not a rule code"):
        resolve_settings(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        "[tool.ruff.lint.per-file-ignores]\n'a.py' = ['E']\n\n"
        "[tool.toolkit.per-file-ignores]\n'tests/**' = ['SPK2X']\n"
    )
    with pytest.raises(ToolkitError, match=r"pyproject.toml:4: per-file-ignores: 'SPK2X'"):
        resolve_settings(tmp_path)
    (tmp_path / "toolkit.toml").write_text("# ours\n\ncompute = 'gpu'\n")
    with pytest.raises(ToolkitError, match=r"toolkit.toml:3: compute: expected one of"):
        resolve_settings(tmp_path)


def test_settings_built_directly_have_the_defaults(tmp_path: Path) -> None:
    settings = Settings(root=tmp_path)
    assert settings == resolve_settings(tmp_path)
    assert settings.is_library_module(tmp_path / "pkg/m.py", "")
    assert settings.is_test_file(tmp_path / "tests/helpers.py")


def test_code_list_options_split_on_commas_and_upper_case() -> None:
    assert split_codes(["SPK1,dbx ", " tst", ","]) == ["SPK1", "DBX", "TST"]
    assert split_codes([]) is None and split_codes(None) is None


@pytest.mark.parametrize(
    ("body", "cli", "reported"),
    [
        ("", {}, False),
        ('select = ["ALL"]', {}, False),
        ('extend-select = ["TK100"]', {}, True),
        ('select = ["SPK1", "TK100"]', {}, True),
        ("", {"extend_select": ["TK100"]}, True),
        ("", {"select": ["TK1"]}, True),
        ('extend-select = ["TK100"]', {"ignore": ["TK100"]}, False),
    ],
)
def test_unused_noqa_tk100_is_opt_in_and_reaches_the_engine(
    tmp_path: Path, body: str, cli: dict, reported: bool
) -> None:
    write_pyproject(tmp_path, body)
    settings = resolve_settings(tmp_path, **cli)
    per_file = settings.lint_settings_for(tmp_path / "pkg" / "mod.py", "x = 1\n", REGISTRY)
    assert per_file.report_unused_noqa is reported
    assert ("TK100" in codes(settings)) is reported
