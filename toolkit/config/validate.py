"""Check every environment of a project's config at once (the pre-commit hook, MCP, CLI)."""

from __future__ import annotations

import os
from pathlib import Path

from toolkit.config.errors import ConfigNotFoundError, ConfigProblem
from toolkit.config.loader import DEFAULT_ENV, PROJECT_FILE, list_environments, resolve

__all__ = ["config_folder_of", "validate_config_dir"]


def config_folder_of(path: str | os.PathLike[str]) -> Path:
    """The config folder `path` names: itself, or its `config/` subfolder when only that holds
    `project.yaml` (a project folder given where a config folder is expected)."""
    folder = Path(path)
    if not (folder / PROJECT_FILE).is_file() and (folder / "config" / PROJECT_FILE).is_file():
        return folder / "config"
    return folder


def validate_config_dir(path: str | os.PathLike[str]) -> list[ConfigProblem]:
    """Every problem in the config folder `path` (or a project folder holding `config/`).

    Each environment file is merged over `project.yaml` and checked against the schema; with
    no environment file, `project.yaml` is checked alone as `local`. Undefined `${VAR}`s are
    accepted (a developer machine rarely has production's variables) and `TOOLKIT__`
    overrides are ignored: this checks the files. An empty list means the config is valid.
    """
    folder = config_folder_of(path)
    if not (folder / PROJECT_FILE).is_file():
        if not folder.is_dir():
            message = "config folder does not exist"
        else:
            message = f"no {PROJECT_FILE} in this folder (searched {folder / PROJECT_FILE})"
        return [ConfigProblem(str(folder), None, None, "", message)]
    problems: list[ConfigProblem] = []
    for env in list_environments(folder) or [DEFAULT_ENV]:
        try:
            result = resolve(folder, env, environ=os.environ, apply_overrides=False,
                             require_variables=False)  # fmt: skip
        except ConfigNotFoundError as exc:  # pragma: no cover - folder vanished meanwhile
            problems.append(ConfigProblem(str(folder), None, None, "", str(exc)))
            continue
        for problem in result.problems:
            if problem not in problems:  # project.yaml's problems repeat for every env
                problems.append(problem)
    return problems
