"""Settings for open documents: the project's `[tool.toolkit]` (through the one resolver every
door uses), overridden by the editor's initialization options and `workspace/configuration`.

Editor settings use the command line's names, in kebab or camel case:
`{"select": [...], "extend-select": [...], "ignore": [...], "config": "path/to/pyproject.toml"}`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.errors import ToolkitError

CONFIG_FILE_NAMES = frozenset({"pyproject.toml", "toolkit.toml"})


@dataclass(frozen=True)
class EditorOverrides:
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    config: str | None = None


def overrides_from(value: Any, *, where: str) -> EditorOverrides:
    """Read editor settings; a wrong type raises `ToolkitError` naming `where` and the key."""
    if value is None:
        return EditorOverrides()
    if not isinstance(value, Mapping):
        raise ToolkitError(f"{where}: expected an object of toolkit settings, got {value!r}")
    if isinstance(value.get("toolkit"), Mapping):  # {"toolkit": {...}} as well as {...}
        value = value["toolkit"]

    def codes(*keys: str) -> tuple[str, ...] | None:
        for key in keys:
            if key in value and value[key] is not None:
                found = value[key]
                if isinstance(found, str):
                    found = [part.strip() for part in found.split(",") if part.strip()]
                if not isinstance(found, list) or not all(isinstance(c, str) for c in found):
                    raise ToolkitError(f"{where}: {keys[0]} must be a list of rule codes")
                return tuple(code.upper() for code in found)
        return None

    config = value.get("config")
    if config is not None and not isinstance(config, str):
        raise ToolkitError(f"{where}: config must be a path to a pyproject.toml or toolkit.toml")
    return EditorOverrides(
        select=codes("select"),
        extend_select=codes("extend-select", "extendSelect") or (),
        ignore=codes("ignore") or (),
        config=config or None,
    )


DIAGNOSTIC_MODES = ("auto", "push", "pull")


def diagnostic_mode_from(value: Any, *, where: str) -> str:
    """`diagnostic-mode` of the initialization options: how findings reach the editor.

    "auto" (the default) pushes to clients that cannot pull, and lets pulling clients pull
    (pushing as well would show every finding twice in clients that keep the two apart, such
    as VS Code's); "push" and "pull" force one.
    """
    if not isinstance(value, Mapping):
        return "auto"
    found = value.get("diagnostic-mode", value.get("diagnosticMode", "auto"))
    if found not in DIAGNOSTIC_MODES:
        raise ToolkitError(f"{where}: diagnostic-mode must be one of {', '.join(DIAGNOSTIC_MODES)}")
    return str(found)


class SettingsCache:
    """Resolved settings per folder, dropped whenever a config file or the editor's settings
    change. `generation` counts the changes, so cached lint results know they are stale."""

    def __init__(self) -> None:
        self.overrides = EditorOverrides()
        self.generation = 0
        self._by_folder: dict[Path, Any] = {}
        self.last_error: str | None = None

    def set_overrides(self, overrides: EditorOverrides) -> None:
        if overrides != self.overrides:
            self.overrides = overrides
            self.invalidate()

    def invalidate(self) -> None:
        self._by_folder.clear()
        self.generation += 1
        self.last_error = None

    def for_path(self, path: str) -> Any:
        """The settings for a file; on a settings error, the defaults (and `last_error`)."""
        folder = Path(path).parent
        found = self._by_folder.get(folder)
        if found is None:
            found = self._resolve(folder)
            self._by_folder[folder] = found
        return found

    def _resolve(self, folder: Path) -> Any:
        from codemods.runner import registry_pairs
        from codemods.settings import Settings, resolve_settings

        overrides = self.overrides
        try:
            settings = resolve_settings(
                folder,
                config=overrides.config,
                select=overrides.select,
                extend_select=overrides.extend_select,
                ignore=overrides.ignore,
            )
            settings.validate_codes(code for code, _ in registry_pairs())
        except ToolkitError as error:
            self.last_error = str(error)
            return Settings(root=folder)
        return settings
