"""The hook modules, called as pre-commit calls them: `main([args..., files...])`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hooks import toolkit_config, toolkit_fix, toolkit_lint

REPOSITORY = Path(__file__).resolve().parents[2]
FIXABLE = (
    "def run(spark):\n    df = spark.table('main.a.b')\n    if df.count() == 0:\n        return\n"
)
UNFIXABLE = "def run(spark):\n    return spark.table('main.a.b').collect()\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.toolkit]\nextend-exclude = ["generated/"]\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_lint_hook_reports_and_fails(project, capsys):
    (project / "job.py").write_text(FIXABLE, encoding="utf-8")
    assert toolkit_lint.main(["job.py"]) == 1
    out = capsys.readouterr().out
    assert "job.py:3:8: SPK205 Counting every row" in out
    assert toolkit_lint.main(["--ignore", "SPK205", "job.py"]) == 0


def test_lint_hook_keeps_excluded_files_excluded_and_passes_with_no_files(project, capsys):
    (project / "generated").mkdir()
    (project / "generated" / "model.py").write_text(FIXABLE, encoding="utf-8")
    assert toolkit_lint.main(["generated/model.py"]) == 0
    assert toolkit_lint.main([]) == 0


def test_lint_hook_settings_error_is_exit_2_without_traceback(project, capsys):
    (project / "job.py").write_text(FIXABLE, encoding="utf-8")
    assert toolkit_lint.main(["--select", "NOPE1", "job.py"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --select: unknown rule code or prefix 'NOPE1'")


def test_fix_hook_fails_once_when_it_changes_a_file_then_passes(project, capsys):
    (project / "job.py").write_text(FIXABLE, encoding="utf-8")
    assert toolkit_fix.main(["job.py"]) == 1
    assert "df.isEmpty()" in (project / "job.py").read_text(encoding="utf-8")
    assert toolkit_fix.main(["job.py"]) == 0


def test_fix_hook_fails_while_unfixable_findings_remain(project):
    (project / "job.py").write_text(UNFIXABLE, encoding="utf-8")
    assert toolkit_fix.main(["job.py"]) == 1
    assert (project / "job.py").read_text(encoding="utf-8") == UNFIXABLE


def test_config_hook_names_file_line_and_field(project, capsys):
    config = project / "config"
    shutil.copytree(REPOSITORY / "demo" / "example" / "config", config)
    assert toolkit_config.main(["config/dev.yaml", "config/project.yaml"]) == 0
    (config / "dev.yaml").write_text(
        "catalog:\n  name: dev_analytics\nretry:\n  max_attempts: lots\n", encoding="utf-8"
    )
    assert toolkit_config.main(["config/dev.yaml"]) == 1
    out = capsys.readouterr().out
    assert "config/dev.yaml:4:3: retry.max_attempts: got 'lots'" in out


def test_config_folders_are_checked_once_each():
    assert toolkit_config.config_folders(
        ["config/dev.yaml", "config/prod.yml", "svc/config/project.yaml", "README.md"],
        config_dir=None,
    ) == [Path("config"), Path("svc/config")]


def test_manifest_is_valid_and_ids_match_console_scripts():
    pre_commit = Path(sys.executable).with_name("pre-commit")
    result = subprocess.run(
        [str(pre_commit), "validate-manifest", str(REPOSITORY / ".pre-commit-hooks.yaml")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    import yaml

    hooks = yaml.safe_load((REPOSITORY / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    pyproject = (REPOSITORY / "pyproject.toml").read_text(encoding="utf-8")
    for hook in hooks:
        assert hook["entry"] == hook["id"]
        module = hook["id"].replace("-", "_")
        assert f'{hook["id"]} = "hooks.{module}:main"' in pyproject
        assert (REPOSITORY / "hooks" / f"{module}.py").is_file()
