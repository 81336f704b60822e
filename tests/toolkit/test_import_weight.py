"""The runtime library and `toolkit --help` stay light: checked in fresh interpreters."""

import json
import subprocess
import sys

HEAVY = ("pyspark", "py4j", "libcst", "pygls", "jinja2")


def imported_modules(code: str) -> set[str]:
    script = f"{code}\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY)


def test_runtime_library_imports_nothing_heavy():
    modules = imported_modules(
        "import toolkit, toolkit.config, toolkit.logging, toolkit.retry, toolkit.spark"
    )
    assert heavy(modules) == []
    assert "toolkit.config" in modules


def test_pytest_plugin_module_imports_nothing_heavy():
    assert heavy(imported_modules("import toolkit.testing.plugin")) == []


def test_toolkit_help_imports_no_command_module():
    modules = imported_modules(
        "import contextlib, io\n"
        "from toolkit.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['--help']) == 0"
    )
    assert heavy(modules) == []
    assert sorted(m for m in modules if m.startswith("toolkit.commands.")) == []
    assert {"pydantic", "yaml", "tenacity"}.isdisjoint(modules)
