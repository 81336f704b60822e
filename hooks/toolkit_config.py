"""pre-commit hook `toolkit-config`: validate the project's `config/*.yaml` files.

Each staged config file's folder is checked once, every environment merged over
`project.yaml`, with the runtime library's own validation (`toolkit.config`), so the hook
and `load_config()` on the cluster agree. Problems name the file, line and field.

`--config pyproject.toml` (or `toolkit.toml`) validates the folder its `config-dir` names,
through the settings resolver the lint hooks use; `--config-dir` names the folder directly.
The lint hooks' `--select`, `--extend-select` and `--ignore` are accepted and ignored, so one
`args:` line can be shared by every toolkit hook.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path


def config_folders(filenames: Sequence[str], *, config_dir: Path | None) -> list[Path]:
    """The config folders to validate for the staged files, in a stable order."""
    if config_dir is not None:
        return [config_dir]
    folders: dict[Path, None] = {}
    for name in filenames:
        path = Path(name)
        if path.suffix in (".yaml", ".yml"):
            folders.setdefault(path.parent if str(path.parent) else Path("."), None)
    return list(folders)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Validate config/*.yaml (toolkit config).")
    parser.add_argument("filenames", nargs="*")
    parser.add_argument("--config-dir", type=Path, default=None, help="validate this folder")
    parser.add_argument(
        "--config",
        type=Path,
        default=None,
        help="pyproject.toml or toolkit.toml whose `config-dir` names the folder to validate",
    )
    # Accepted and ignored, so one shared `args:` line serves every toolkit hook.
    for ignored in ("--select", "--extend-select", "--ignore"):
        parser.add_argument(ignored, action="append", default=[], help=argparse.SUPPRESS)
    parsed = parser.parse_args(argv)
    from toolkit.config import validate_config_dir
    from toolkit.errors import ToolkitError

    config_dir = parsed.config_dir
    if config_dir is None and parsed.config is not None:
        from codemods.settings import resolve_settings

        try:
            config_dir = resolve_settings(Path.cwd(), config=parsed.config).config_folder
        except ToolkitError as error:
            sys.stderr.write(f"error: {error}\n")
            return error.exit_code
    status = 0
    for folder in config_folders(parsed.filenames, config_dir=config_dir):
        problems = validate_config_dir(folder)
        for problem in problems:
            print(problem)
        status |= 1 if problems else 0
    return status


if __name__ == "__main__":
    raise SystemExit(main())
