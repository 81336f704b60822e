"""Load a project's config: shared file, environment file, `${VAR}`s, `TOOLKIT__` overrides.

Order of precedence, lowest first: `config/project.yaml`, `config/<env>.yaml` (deep-merged:
mappings merge key by key, anything else is replaced), then environment overrides
`TOOLKIT__SECTION__KEY=value`. `${VAR}` and `${VAR:-default}` in YAML strings are replaced from
the environment (`$${` writes a literal `${`).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import SecretStr, ValidationError

from toolkit.config.errors import (
    ConfigNotFoundError,
    ConfigProblem,
    ConfigValidationError,
)
from toolkit.config.masking import SECRET_MASK, is_secret_key
from toolkit.config.models import ProjectConfig
from toolkit.config.overrides import OVERRIDE_PREFIX, apply_env_overrides, deep_merge, model_of
from toolkit.config.yaml_source import KeyPath, Position, read_yaml_config

__all__ = ["ConfigLoader", "ResolvedConfig", "find_config_dir", "list_environments", "resolve"]

PROJECT_FILE = "project.yaml"
DEFAULT_ENV = "local"
_VARIABLE = re.compile(r"\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")
_ENV_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def find_config_dir(
    config_dir: str | os.PathLike[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    start: Path | None = None,
) -> Path:
    """The folder holding `project.yaml`.

    Given `config_dir`, that folder (or its `config/` subfolder); else `TOOLKIT_CONFIG_DIR`;
    else the nearest `config/project.yaml` walking up from `start` (the working folder).
    """
    environ = os.environ if environ is None else environ
    if config_dir is None and environ.get("TOOLKIT_CONFIG_DIR"):
        config_dir = environ["TOOLKIT_CONFIG_DIR"]
    if config_dir is not None:
        folder = Path(config_dir).expanduser()
        candidates = [folder / PROJECT_FILE, folder / "config" / PROJECT_FILE]
        for candidate in candidates:
            if candidate.is_file():
                return candidate.parent.resolve()
        raise ConfigNotFoundError(
            "no project config found; searched: " + ", ".join(str(c) for c in candidates),
            hint="create config/project.yaml (see docs/configuration-files.md)",
        )
    here = (start or Path.cwd()).resolve()
    searched = []
    for folder in (here, *here.parents):
        candidate = folder / "config" / PROJECT_FILE
        searched.append(str(candidate))
        if candidate.is_file():
            return candidate.parent
    raise ConfigNotFoundError(
        "no project config found; searched: " + ", ".join(searched),
        hint="run inside a project, pass --config-dir, or set TOOLKIT_CONFIG_DIR",
    )


def list_environments(config_dir: Path) -> list[str]:
    """The environments with a file in `config_dir` (every `*.yaml` but `project.yaml`)."""
    names = {
        path.stem
        for pattern in ("*.yaml", "*.yml")
        for path in config_dir.glob(pattern)
        if path.name not in (PROJECT_FILE, "project.yml") and path.is_file()
    }
    return sorted(names)


@dataclass
class ResolvedConfig:
    """The outcome of resolving one environment: a config, or the problems that prevent it."""

    config_dir: Path
    env: str
    files: list[Path]
    config: ProjectConfig | None = None
    problems: list[ConfigProblem] = field(default_factory=list)
    variables_used: dict[str, str | None] = field(default_factory=dict)


def resolve(
    config_dir: Path,
    env: str,
    *,
    environ: Mapping[str, str] | None = None,
    apply_overrides: bool = True,
    require_variables: bool = True,
) -> ResolvedConfig:
    """Read, merge, interpolate, override and validate one environment; never raises for bad
    input: every problem found is in the result's `problems`.

    `require_variables=False` (used by `validate_config_dir`) accepts undefined `${VAR}`s and
    skips checking the values that use them, since a developer or CI machine rarely has every
    production variable.
    """
    environ = os.environ if environ is None else environ
    files = [config_dir / PROJECT_FILE]
    env_file = _env_file(config_dir, env)
    if env_file is not None:
        files.append(env_file)
    result = ResolvedConfig(config_dir=config_dir, env=env, files=files)
    data: dict[str, Any] = {}
    positions: dict[KeyPath, Position] = {}
    for path in files:
        document = read_yaml_config(path)
        result.problems.extend(document.problems)
        if any(problem.field == "" for problem in document.problems):
            continue  # unparsable: a duplicate key alone still leaves usable values
        _interpolate(document.data, (), document.positions, environ, require_variables, result)
        data = deep_merge(data, document.data)
        positions.update(document.positions)
    if any(problem.field == "" for problem in result.problems):
        return result  # a file that does not parse: its values are unknown
    unresolved = _unresolved_paths(data)
    declared = data.get("environment")
    if declared is not None and declared != env:
        file, line, column = positions.get(("environment",), (str(files[-1]), None, None))
        result.problems.append(
            ConfigProblem(
                file, line, column, "environment",
                f"says {declared!r} but environment {env!r} is being loaded",
            )
        )  # fmt: skip
    data["environment"] = env
    if apply_overrides:
        apply_env_overrides(data, positions, environ, result.problems)
    _replace_unresolved(data)
    try:
        result.config = ProjectConfig.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            problem = _problem_from_error(error, positions, files[-1])
            # A value built from an undefined variable is already reported (or, when
            # variables are not required, cannot be judged).
            if not any(problem_path_starts(error["loc"], path) for path in unresolved):
                result.problems.append(problem)
    if result.problems:
        result.config = None
    return result


def problem_path_starts(loc: tuple[Any, ...], prefix: KeyPath) -> bool:
    return tuple(loc[: len(prefix)]) == tuple(prefix)


class ConfigLoader:
    """Loads and caches `ProjectConfig`s, one per config folder and environment."""

    _lock = threading.Lock()
    _cache: dict[tuple[str, str], tuple[tuple[Any, ...], dict[str, str | None], ProjectConfig]] = {}

    @classmethod
    def load(
        cls,
        env: str | None = None,
        config_dir: str | os.PathLike[str] | None = None,
    ) -> ProjectConfig:
        """The config of `env` (default: `TOOLKIT_ENV`, else `local`) in `config_dir`
        (default: `TOOLKIT_CONFIG_DIR`, else the nearest `config/project.yaml` upwards).

        Raises `ConfigNotFoundError` or `ConfigValidationError` (both `ToolkitError`s) whose
        messages name the file, line, column and field at fault.
        """
        env = env or os.environ.get("TOOLKIT_ENV") or DEFAULT_ENV
        if not _ENV_NAME.fullmatch(env):
            raise ConfigNotFoundError(
                f"{env!r} is not an environment name (letters, digits, '_', '-', '.')"
            )
        folder = find_config_dir(config_dir)
        if _env_file(folder, env) is None and env != DEFAULT_ENV:
            existing = ", ".join(list_environments(folder)) or "none"
            raise ConfigNotFoundError(
                f"no config for environment {env!r}: searched {folder / (env + '.yaml')} and "
                f"{folder / (env + '.yml')}; environments found in {folder}: {existing}"
            )
        key = (str(folder), env)
        fingerprint = _fingerprint(folder, env)
        with cls._lock:
            cached = cls._cache.get(key)
        if cached is not None and cached[0] == fingerprint:
            _, used, config = cached
            if all(os.environ.get(name) == value for name, value in used.items()):
                return config
        result = resolve(folder, env)
        if result.problems:
            raise ConfigValidationError(result.problems)
        assert result.config is not None
        with cls._lock:
            cls._cache[key] = (fingerprint, result.variables_used, result.config)
        return result.config

    @classmethod
    def clear_cache(cls) -> None:
        """Forget every loaded config (the next `load` reads the files again)."""
        with cls._lock:
            cls._cache.clear()


def _fingerprint(folder: Path, env: str) -> tuple[Any, ...]:
    # A changed file or override invalidates the cached config; changed `${VAR}` values are
    # checked separately against the variables the config actually used.
    stamps = []
    for path in (folder / PROJECT_FILE, _env_file(folder, env)):
        if path is not None:
            stat = path.stat()
            stamps.append((str(path), stat.st_mtime_ns, stat.st_size))
    overrides = sorted(
        (name, value)
        for name, value in os.environ.items()
        if name.upper().startswith(OVERRIDE_PREFIX)
    )
    return (tuple(stamps), tuple(overrides))


def _env_file(folder: Path, env: str) -> Path | None:
    for suffix in (".yaml", ".yml"):
        candidate = folder / f"{env}{suffix}"
        if candidate.is_file():
            return candidate
    return None


class _Unresolved(str):
    """A string that used an undefined `${VAR}` (only when variables are not required)."""


def _interpolate(
    node: Any,
    path: KeyPath,
    positions: Mapping[KeyPath, Position],
    environ: Mapping[str, str],
    require_variables: bool,
    result: ResolvedConfig,
) -> Any:
    if isinstance(node, dict):
        for key in list(node):
            node[key] = _interpolate(
                node[key], (*path, key), positions, environ, require_variables, result
            )
        return node
    if isinstance(node, list):
        for index, item in enumerate(node):
            node[index] = _interpolate(
                item, (*path, index), positions, environ, require_variables, result
            )
        return node
    if isinstance(node, SecretStr):
        value = _interpolate(
            node.get_secret_value(), path, positions, environ, require_variables, result
        )
        return SecretStr(value) if not isinstance(value, _Unresolved) else value
    if not isinstance(node, str) or "$" not in node:
        return node
    missing: list[str] = []

    def substitute(match: re.Match[str]) -> str:
        if match.group(0) == "$${":
            return "${"
        name, default = match.group(1), match.group(2)
        value = environ.get(name)
        result.variables_used[name] = value
        if value is None or (value == "" and default is not None):
            if default is not None:
                return default
            missing.append(name)
            return ""
        return value

    text = _VARIABLE.sub(substitute, node)
    if missing:
        if require_variables:
            file, line, column = positions.get(path, (str(result.files[-1]), None, None))
            for name in missing:
                result.problems.append(
                    ConfigProblem(
                        file, line, column, _dotted(path),
                        f"environment variable {name} is not set and has no default "
                        f"(write ${{{name}:-default}} to give one)",
                    )
                )  # fmt: skip
        return _Unresolved(text)
    return text


def _unresolved_paths(node: Any, path: KeyPath = ()) -> list[KeyPath]:
    if isinstance(node, _Unresolved):
        return [path]
    if isinstance(node, dict):
        return [p for key, value in node.items() for p in _unresolved_paths(value, (*path, key))]
    if isinstance(node, list):
        return [
            p for index, item in enumerate(node) for p in _unresolved_paths(item, (*path, index))
        ]
    return []


def _replace_unresolved(node: Any) -> None:
    # Plain strings for pydantic (a str subclass would otherwise fail strict type checks).
    items = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, value in list(items):
        if isinstance(value, _Unresolved):
            node[key] = str(value)
        else:
            _replace_unresolved(value)


def _dotted(path: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in path)


def _is_secret_path(path: tuple[Any, ...]) -> bool:
    return any(isinstance(part, str) and is_secret_key(part) for part in path)


def _problem_from_error(
    error: Mapping[str, Any], positions: Mapping[KeyPath, Position], last_file: Path
) -> ConfigProblem:
    loc = tuple(error["loc"])
    position: Position | None = None
    for length in range(len(loc), -1, -1):
        position = positions.get(loc[:length])
        if position is not None:
            break
    file, line, column = position or (str(last_file), None, None)
    kind = error["type"]
    if kind == "extra_forbidden":
        message = "unknown key" + _expected_keys(loc)
    elif kind == "missing":
        message = "required but missing"
    else:
        value = error.get("input")
        secret = _is_secret_path(loc) or isinstance(value, SecretStr)
        shown = repr(SECRET_MASK) if secret else repr(value)
        expected = error["msg"].removeprefix("Value error, ").removeprefix("Input should be ")
        message = f"got {shown}; expected {expected[0].lower()}{expected[1:]}"
    return ConfigProblem(file, line, column, _dotted(loc), message)


def _expected_keys(loc: tuple[Any, ...]) -> str:
    model: Any = ProjectConfig
    for part in loc[:-1]:
        field_info = model.model_fields.get(part) if isinstance(part, str) else None
        if field_info is None:
            return ""
        model = model_of(field_info.annotation)
        if model is None:
            return ""
    return "; expected one of: " + ", ".join(model.model_fields)
