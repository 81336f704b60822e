"""The scaffold's answers: their keys, defaults, parsing and validation (pure, no I/O).

Every door (prompts, `--set`, `--answers FILE`, the MCP server) hands raw values to
`validate_answers`, which returns the typed answers and one `AnswerProblem` per bad key, each
message saying what is allowed. Derived values (`package_name`, the folder name) are computed
here too, so a project rendered from the CLI and one rendered from MCP are the same.
"""

from __future__ import annotations

import difflib
import keyword
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "ANSWER_KEYS",
    "QUESTIONS",
    "AnswerProblem",
    "Question",
    "default_answers",
    "derive_package_name",
    "parse_bool",
    "project_slug",
    "validate_answers",
]


@dataclass(frozen=True)
class AnswerProblem:
    """One bad answer: the key, the value given, and what is allowed instead."""

    key: str
    value: object
    message: str

    def __str__(self) -> str:
        return f"{self.key}={self.value!r}: {self.message}"


@dataclass(frozen=True)
class Question:
    """One prompt: the answer key, the question asked, its choices (if closed) and kind."""

    key: str
    prompt: str
    kind: str = "text"  # text | choice | bool
    choices: tuple[str, ...] = ()


QUESTIONS: tuple[Question, ...] = (
    Question("project_name", "Project name"),
    Question("package_name", "Python package name"),
    Question("description", "One-line description"),
    Question("owner", "Owner (an e-mail address or a workspace group)"),
    Question("catalog_lab", "Unity Catalog catalog for the lab environment"),
    Question("catalog_dev", "Unity Catalog catalog for the dev environment"),
    Question("catalog_prod", "Unity Catalog catalog for the prod environment"),
    Question("cloud", "Cloud", "choice", ("aws", "azure", "gcp")),
    Question("compute", "Compute", "choice", ("serverless", "classic")),
    Question("python_version", "Python version", "choice", ("3.10", "3.11", "3.12")),
    Question("include_samples", "Include the sample data and its end-to-end test?", "bool"),
    Question("ci", "CI", "choice", ("github", "none")),
)
ANSWER_KEYS: tuple[str, ...] = tuple(question.key for question in QUESTIONS)
_CHOICES = {q.key: q.choices for q in QUESTIONS if q.kind == "choice"}

_PROJECT_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9 ._-]{0,63}$")
_PACKAGE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,63}$")
_CATALOG = re.compile(r"^[a-z_][a-z0-9_]{0,254}$")
_EMAIL = re.compile(r"^[^\s@]+@[^\s@]+\.[^\s@]+$")
_GROUP = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$")
# Package names that would shadow what the generated project imports.
_RESERVED_PACKAGES = frozenset(
    {"toolkit", "pyspark", "chispa", "pytest", "tests", "src", "config", "pipelines", "test"}
)
_PYTHON_FLOATS = {3.1: "3.10", 3.11: "3.11", 3.12: "3.12"}
_TRUE = frozenset({"true", "yes", "y", "on", "1"})
_FALSE = frozenset({"false", "no", "n", "off", "0"})


def project_slug(project_name: str) -> str:
    """The folder and distribution name: lower case, runs of other characters become `-`."""
    return re.sub(r"[^a-z0-9]+", "-", project_name.lower()).strip("-")


def derive_package_name(project_name: str) -> str:
    """A valid, importable Python package name for `project_name` (`Customer 360` -> ...)."""
    name = re.sub(r"[^a-z0-9]+", "_", project_name.lower()).strip("_") or "project"
    if name[0].isdigit():
        name = f"p_{name}"
    if keyword.iskeyword(name) or name in _RESERVED_PACKAGES or name in sys.stdlib_module_names:
        name = f"{name}_project"
    return name


def parse_bool(value: object) -> bool | None:
    """`true/yes/on/1` and `false/no/off/0` (any case) as a bool; None when neither."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


def default_answers(project_name: str = "my-data-project") -> dict[str, Any]:
    """The answers `--no-input` uses, derived from the project name."""
    package = derive_package_name(project_name)
    return {
        "project_name": project_name,
        "package_name": package,
        "description": f"PySpark pipelines for {project_name} on Databricks.",
        "owner": "data-engineering",
        "catalog_lab": "lab",
        "catalog_dev": "dev",
        "catalog_prod": "prod",
        "cloud": "aws",
        "compute": "serverless",
        "python_version": "3.11",
        "include_samples": True,
        "ci": "github",
    }


def _check_project_name(value: str) -> str | None:
    if not _PROJECT_NAME.match(value) or not project_slug(value):
        return (
            "must start with a letter and use only ASCII letters (A-Z, a-z), digits, spaces, '.', "
            "'_' or '-' "
            "(at most 64 characters)"
        )
    return None


def _check_package_name(value: str) -> str | None:
    if not _PACKAGE_NAME.match(value):
        return (
            "must be a Python identifier in lower case: a-z, 0-9 and '_', not starting with a "
            f"digit (for example {derive_package_name(value or 'project')!r})"
        )
    if keyword.iskeyword(value):
        return "is a Python keyword"
    if value in _RESERVED_PACKAGES or value in sys.stdlib_module_names:
        return f"would shadow the module {value!r} the project imports; choose another name"
    return None


def _check_line(value: str) -> str | None:
    if not value.strip() or "\n" in value or len(value) > 200:
        return "must be one non-empty line of at most 200 characters"
    if '"' in value or "\\" in value:
        return "must not contain double quotes or backslashes"
    return None


def _check_owner(value: str) -> str | None:
    if _EMAIL.match(value) or _GROUP.match(value):
        return None
    return "must be an e-mail address (a user) or a workspace group name (ASCII letters, digits, ' ._-')"


def _check_catalog(value: str) -> str | None:
    if not _CATALOG.match(value):
        return (
            "must be a Unity Catalog name in lower case: a-z, 0-9 and '_', not starting with a "
            "digit"
        )
    return None


_TEXT_CHECKS: dict[str, Callable[[str], str | None]] = {
    "project_name": _check_project_name,
    "package_name": _check_package_name,
    "description": _check_line,
    "owner": _check_owner,
    "catalog_lab": _check_catalog,
    "catalog_dev": _check_catalog,
    "catalog_prod": _check_catalog,
}


def _unknown_key_problem(key: str, value: object) -> AnswerProblem:
    close = difflib.get_close_matches(key, ANSWER_KEYS, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return AnswerProblem(
        key, value, f"unknown answer key; {hint}known keys: {', '.join(ANSWER_KEYS)}"
    )


def validate_answers(raw: Mapping[str, object]) -> tuple[dict[str, Any], list[AnswerProblem]]:
    """Check and complete `raw` answers: the full typed answers and every problem found.

    Missing keys take their defaults (derived from `project_name`; `package_name` from it);
    unknown keys are problems. The answers are usable only when the list is empty.
    """
    problems: list[AnswerProblem] = [
        _unknown_key_problem(key, value) for key, value in raw.items() if key not in ANSWER_KEYS
    ]
    project_name = str(raw.get("project_name", "my-data-project")).strip()
    answers = default_answers(project_name)
    if "package_name" not in raw or raw.get("package_name") in (None, ""):
        answers["package_name"] = derive_package_name(project_name)
    for key in ANSWER_KEYS:
        if key not in raw or raw[key] is None or (key == "package_name" and raw[key] == ""):
            continue
        value = raw[key]
        if key == "include_samples":
            parsed = parse_bool(value)
            if parsed is None:
                problems.append(AnswerProblem(key, value, "must be true or false (yes/no, 1/0)"))
            else:
                answers[key] = parsed
            continue
        text = str(value).strip()
        if key == "python_version" and isinstance(value, float):
            # YAML reads `python_version: 3.10` as the float 3.1.
            text = _PYTHON_FLOATS.get(value, text)
        if key in _CHOICES:
            if text not in _CHOICES[key]:
                allowed = ", ".join(_CHOICES[key])
                problems.append(AnswerProblem(key, value, f"must be one of: {allowed}"))
                continue
        else:
            message = _TEXT_CHECKS[key](text)
            if message is not None:
                problems.append(AnswerProblem(key, value, message))
                continue
        answers[key] = text
    return answers, problems
