"""Config errors: each names the file, line, column and dotted field at fault."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.errors import ToolkitError

__all__ = [
    "ConfigError",
    "ConfigNotFoundError",
    "ConfigProblem",
    "ConfigValidationError",
]


@dataclass(frozen=True)
class ConfigProblem:
    """One thing wrong with a config: where it is and what is wrong.

    `file` is a path, or `environment variable NAME` for an override; `line` and `column` are
    1-based and None when unknown; `field` is the dotted path (`spark.conf`, `catalog.name`),
    empty for a file-level problem.
    """

    file: str
    line: int | None
    column: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "message": self.message,
        }


class ConfigError(ToolkitError):
    """Base class of every config error (a user mistake: exit code 2, no traceback)."""


class ConfigNotFoundError(ConfigError):
    """No project config, or no file for the requested environment."""


class ConfigValidationError(ConfigError):
    """One or more problems in the config files or overrides; `problems` lists them all."""

    def __init__(self, problems: list[ConfigProblem]) -> None:
        self.problems = list(problems)
        if len(self.problems) == 1:
            message = f"invalid config: {self.problems[0]}"
        else:
            lines = "\n".join(f"  {problem}" for problem in self.problems)
            message = f"invalid config ({len(self.problems)} problems):\n{lines}"
        super().__init__(message)
