"""pre-commit hook `toolkit-config`: validate the project's `config/*.yaml` files.

Each staged config file's folder is checked once, every environment merged over
`project.yaml`, with the runtime library's own validation (`toolkit.config`), so the hook
and `load_config()` on the cluster agree. Problems name the file, line and field.
"""

from __future__ import annotations

import argparse
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
    parsed = parser.parse_args(argv)
    from toolkit.config import validate_config_dir

    status = 0
    for folder in config_folders(parsed.filenames, config_dir=parsed.config_dir):
        problems = validate_config_dir(folder)
        for problem in problems:
            print(problem)
        status |= 1 if problems else 0
    return status


if __name__ == "__main__":
    raise SystemExit(main())
