"""File discovery: folders expanded, excludes and .gitignore honoured, stable order."""

from __future__ import annotations

import subprocess
import textwrap
import time
from pathlib import Path

import pytest

from codemods.discovery import discover_files, is_excluded
from codemods.settings import resolve_settings
from toolkit.errors import ToolkitError

TREE = [
    "pyproject.toml",
    "src/pkg/__init__.py",
    "src/pkg/jobs.py",
    "src/pkg/analysis.ipynb",
    "src/pkg/notes.txt",
    "src/pkg/generated/model_pb2.py",
    "src/pkg/data/keep.py",
    "src/pkg/data/scratch.py",
    "src/legacy/old.py",
    "tests/test_jobs.py",
    "tests/__pycache__/test_jobs.cpython-311.py",
    ".venv/lib/site.py",
    "build/lib/pkg/jobs.py",
    "node_modules/x/y.py",
    ".git/hooks/pre-commit.py",
    "notebooks/Daily Load.py",
    "notebooks/.ipynb_checkpoints/Daily Load-checkpoint.ipynb",
]


def make_project(root: Path, toolkit_table: str = "", *, git: bool = True) -> Path:
    for relative in TREE:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n")
    (root / "pyproject.toml").write_text(
        "[project]\nname = 'p'\n\n[tool.toolkit]\n" + textwrap.dedent(toolkit_table)
    )
    if git:
        subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / ".gitignore").write_text("# generated code\ngenerated/\n*.log\n")
    (root / "src/pkg/data/.gitignore").write_text("*.py\n!keep.py\n")
    return root


def names(files: list[Path], root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() if p.is_absolute() else p.as_posix() for p in files]


def test_walk_honours_default_excludes_and_nested_gitignores(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    settings = resolve_settings(root)
    assert names(discover_files([root], settings), root) == [
        "notebooks/Daily Load.py",
        "src/legacy/old.py",
        "src/pkg/__init__.py",
        "src/pkg/analysis.ipynb",
        "src/pkg/data/keep.py",
        "src/pkg/jobs.py",
        "tests/test_jobs.py",
    ]


def test_relative_paths_stay_relative_and_order_is_stable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path)
    monkeypatch.chdir(root)
    settings = resolve_settings(".")
    files = discover_files(["tests", "src/pkg", "src/pkg/jobs.py", "tests"], settings)
    assert [p.as_posix() for p in files] == [
        "src/pkg/__init__.py",
        "src/pkg/analysis.ipynb",
        "src/pkg/data/keep.py",
        "src/pkg/jobs.py",
        "tests/test_jobs.py",
    ]
    assert files == discover_files(["src/pkg", "tests"], settings)


@pytest.mark.parametrize(
    ("table", "excluded", "kept"),
    [
        ('extend-exclude = ["src/legacy"]', "src/legacy/old.py", "src/pkg/jobs.py"),
        ('extend-exclude = ["*.ipynb"]', "src/pkg/analysis.ipynb", "src/pkg/jobs.py"),
        ('extend-exclude = ["/notebooks/"]', "notebooks/Daily Load.py", "src/legacy/old.py"),
        ('extend-exclude = ["jobs.py"]', "src/pkg/jobs.py", "tests/test_jobs.py"),
        # `exclude` replaces the defaults: build/ is linted again, .venv too.
        ('exclude = [".git", "tests"]', "tests/test_jobs.py", "build/lib/pkg/jobs.py"),
    ],
)
def test_exclude_settings(tmp_path: Path, table: str, excluded: str, kept: str) -> None:
    root = make_project(tmp_path, table)
    found = names(discover_files([root], resolve_settings(root)), root)
    assert excluded not in found
    assert kept in found


def test_explicit_files_are_linted_unless_force_exclude(tmp_path: Path) -> None:
    root = make_project(tmp_path, 'extend-exclude = ["src/legacy"]')
    settings = resolve_settings(root)
    named = [root / "src/legacy/old.py", root / "src/pkg/generated/model_pb2.py", root / "build"]
    assert names(discover_files(named, settings), root) == [
        "build/lib/pkg/jobs.py",
        "src/legacy/old.py",
        "src/pkg/generated/model_pb2.py",
    ]
    assert discover_files(named, settings, force_exclude=True) == []
    forced = make_project(tmp_path / "forced", "force-exclude = true")
    assert (
        discover_files([forced / "src/pkg/generated/model_pb2.py"], resolve_settings(forced)) == []
    )
    assert discover_files([forced / "src/pkg/jobs.py"], resolve_settings(forced)) == [
        forced / "src/pkg/jobs.py"
    ]


def test_force_exclude_over_many_named_files_reads_each_gitignore_once(tmp_path: Path) -> None:
    root = make_project(tmp_path, "force-exclude = true")
    staged = []
    for index in range(300):
        for folder in ("src/pkg", "src/pkg/generated"):
            path = root / folder / f"m{index}.py"
            path.write_text("")
            staged.append(path)
    started = time.perf_counter()
    files = discover_files(staged, resolve_settings(root))
    assert time.perf_counter() - started < 1.0
    assert len(files) == 300 and all(p.parent.name == "pkg" for p in files)


def test_parent_gitignore_applies_when_walking_a_subfolder(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    settings = resolve_settings(root)
    assert names(discover_files([root / "src/pkg"], settings), root) == [
        "src/pkg/__init__.py",
        "src/pkg/analysis.ipynb",
        "src/pkg/data/keep.py",
        "src/pkg/jobs.py",
    ]


def test_git_info_exclude_is_honoured(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    (root / ".git/info").mkdir(exist_ok=True)
    (root / ".git/info/exclude").write_text("notebooks/\n")
    found = names(discover_files([root], resolve_settings(root)), root)
    assert "notebooks/Daily Load.py" not in found and "src/pkg/jobs.py" in found


def test_gitignore_outside_a_repository_still_counts_inside_the_project(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", git=False)
    (tmp_path / ".gitignore").write_text("src/\n")  # above the project, no repository: ignored
    found = names(discover_files([root], resolve_settings(root)), root)
    assert "src/pkg/jobs.py" in found
    assert "src/pkg/generated/model_pb2.py" not in found  # the project's own .gitignore


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("src/pkg/jobs.py", False),
        ("src/pkg/generated/model_pb2.py", True),
        ("src/pkg/data/scratch.py", True),
        ("src/pkg/data/keep.py", False),
        (".venv/lib/site.py", True),
        ("build/lib/pkg/jobs.py", True),
        ("src/legacy/old.py", True),
    ],
)
def test_is_excluded_for_one_open_document(tmp_path: Path, relative: str, expected: bool) -> None:
    root = make_project(tmp_path, 'extend-exclude = ["legacy/"]')
    assert is_excluded(root / relative, resolve_settings(root)) is expected


def test_missing_path_is_a_user_error(tmp_path: Path) -> None:
    settings = resolve_settings(tmp_path)
    with pytest.raises(ToolkitError, match=r"nope\.py: no such file or folder"):
        discover_files([tmp_path / "nope.py"], settings)


def test_symlinked_folders_are_not_followed(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    (root / "src/link").symlink_to(root / "src/pkg", target_is_directory=True)
    (root / "src/pkg/loop").symlink_to(root / "src", target_is_directory=True)
    found = names(discover_files([root / "src"], resolve_settings(root)), root)
    assert not any(name.startswith(("src/link", "src/pkg/loop")) for name in found)


def test_discovery_is_fast_on_a_large_tree(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    for package in range(20):
        folder = root / f"src/big/p{package}"
        folder.mkdir(parents=True)
        (folder / ".gitignore").write_text("*_tmp.py\n")
        for module in range(50):
            (folder / f"m{module}.py").write_text("")
            (folder / f"m{module}_tmp.py").write_text("")
    for module in range(1500):  # a large excluded folder must be pruned, not walked
        (root / f"node_modules/x/f{module}.py").write_text("")
    settings = resolve_settings(root)
    started = time.perf_counter()
    files = discover_files([root], settings)
    elapsed = time.perf_counter() - started
    assert len(files) == 1000 + 7
    assert elapsed < 2.0, elapsed  # about 0.05 s on an idle 2-core machine
