"""`toolkit-config` takes the arguments a shared pre-commit `args:` line gives every hook."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
HOOK = str(Path(sys.executable).with_name("toolkit-config"))
BAD_DEV = "catalog:\n  name: dev_analytics\nretry:\n  max_attempts: lots\n"


def run_hook(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([HOOK, *args], cwd=project, capture_output=True, text=True, timeout=120)


def test_lint_selection_args_are_accepted_and_ignored(tmp_path: Path) -> None:
    shutil.copytree(REPOSITORY / "demo" / "example" / "config", tmp_path / "config")
    result = run_hook(tmp_path, "--select", "SPK1,DBX", "--ignore", "X", "config/dev.yaml")
    assert result.returncode == 0, result.stderr
    (tmp_path / "config" / "dev.yaml").write_text(BAD_DEV, encoding="utf-8")
    result = run_hook(tmp_path, "--extend-select", "TK100", "config/dev.yaml")
    assert result.returncode == 1
    assert "config/dev.yaml:4:3: retry.max_attempts: got 'lots'" in result.stdout


def test_config_option_finds_the_config_dir_through_the_settings(tmp_path: Path) -> None:
    shutil.copytree(REPOSITORY / "demo" / "example" / "config", tmp_path / "settings" / "env")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.toolkit]\nconfig-dir = "settings/env"\n', encoding="utf-8"
    )
    result = run_hook(tmp_path, "--config", "pyproject.toml", "settings/env/dev.yaml")
    assert result.returncode == 0, result.stdout + result.stderr
    (tmp_path / "settings" / "env" / "dev.yaml").write_text(BAD_DEV, encoding="utf-8")
    result = run_hook(tmp_path, "--config", "pyproject.toml")
    assert result.returncode == 1
    assert "settings/env/dev.yaml:4:3: retry.max_attempts" in result.stdout


def test_bad_config_file_exits_2_naming_it(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.toolkit]\nconfig-dir = 3\n", encoding="utf-8")
    result = run_hook(tmp_path, "--config", "pyproject.toml", "config/dev.yaml")
    assert result.returncode == 2
    assert "pyproject.toml:2: config-dir: expected a folder path, got 3" in result.stderr
    assert "Traceback" not in result.stderr
