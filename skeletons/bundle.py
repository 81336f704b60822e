"""Check a Databricks Asset Bundle offline: `databricks.yml` and the files it includes.

`check_bundle(root)` finds what the bundle's JSON schema cannot say: a target whose `mode` is
not `development` or `production`, more than one default target, a `${var.x}` that no
`variables:` entry declares, an `include:` glob that matches nothing. With `schema=` (the JSON
that `databricks bundle schema` prints) every file is also validated against it, with the
`regex` package for the schema's `\\p{L}` patterns (Python's `re` rejects them); jsonschema and
regex are then needed (the `dev` extra).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["BundleProblem", "bundle_files", "check_bundle"]

MODES = ("development", "production")
_VARIABLE_REFERENCE = re.compile(r"\$\{var\.([A-Za-z_][A-Za-z0-9_-]*)")


@dataclass(frozen=True)
class BundleProblem:
    """One problem: the file, the dotted path of the field at fault and what is wrong."""

    path: Path
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.field or '<root>'}: {self.message}"


def _load_yaml(path: Path) -> Any:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def bundle_files(root: Path) -> tuple[list[tuple[Path, Any]], list[BundleProblem]]:
    """`databricks.yml` and every file its `include:` globs match, parsed."""
    import yaml

    main = root / "databricks.yml"
    problems: list[BundleProblem] = []
    if not main.is_file():
        return [], [BundleProblem(main, "", "no databricks.yml in the project")]
    files: list[tuple[Path, Any]] = []
    for path in [main]:
        try:
            files.append((path, _load_yaml(path)))
        except yaml.YAMLError as exc:
            return [], [BundleProblem(path, "", f"not valid YAML: {exc}")]
    includes = (files[0][1] or {}).get("include") or []
    for index, pattern in enumerate(includes):
        matches = sorted(root.glob(str(pattern)))
        if not matches:
            problems.append(
                BundleProblem(main, f"include[{index}]", f"{pattern!r} matches no file")
            )
        for path in matches:
            try:
                files.append((path, _load_yaml(path)))
            except yaml.YAMLError as exc:
                problems.append(BundleProblem(path, "", f"not valid YAML: {exc}"))
    return files, problems


def _strings(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, Mapping):
        for key, value in node.items():
            yield from _strings(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _strings(value, f"{path}[{index}]")
    elif isinstance(node, str):
        yield path, node


def _schema_validator(schema: Mapping[str, Any]) -> Any:
    import jsonschema
    import regex
    from jsonschema import validators

    def pattern(validator: Any, expected: str, instance: Any, _schema: Any) -> Iterator[Any]:
        if validator.is_type(instance, "string") and not regex.search(expected, instance):
            yield jsonschema.ValidationError(f"{instance!r} does not match {expected!r}")

    checker = validators.extend(jsonschema.Draft202012Validator, {"pattern": pattern})
    return checker(schema)


def _schema_problems(validator: Any, path: Path, document: Any) -> list[BundleProblem]:
    from jsonschema.exceptions import best_match

    problems = []
    for error in validator.iter_errors(document):
        # A field is an object *or* a `${...}` reference: report the most relevant branch.
        chosen = best_match([error])
        field = ".".join(str(part) for part in chosen.absolute_path)
        problems.append(BundleProblem(path, field, chosen.message))
    return problems


def check_bundle(
    root: Path | str, *, schema: Mapping[str, Any] | None = None
) -> list[BundleProblem]:
    """Every problem found in the bundle at `root` (an empty list when it is valid)."""
    root = Path(root)
    files, problems = bundle_files(root)
    if not files:
        return problems
    main_path, main = files[0]
    main = main or {}
    if schema is not None:
        validator = _schema_validator(schema)
        for path, document in files:
            problems.extend(_schema_problems(validator, path, document))
    targets = main.get("targets") or {}
    defaults = [name for name, target in targets.items() if (target or {}).get("default")]
    if len(defaults) > 1:
        problems.append(
            BundleProblem(main_path, "targets", f"more than one default target: {defaults}")
        )
    for name, target in targets.items():
        mode = (target or {}).get("mode")
        if mode is not None and mode not in MODES:
            problems.append(
                BundleProblem(main_path, f"targets.{name}.mode", f"{mode!r} is not one of {MODES}")
            )
    declared = set((main.get("variables") or {}).keys())
    for name, target in targets.items():
        for variable in (target or {}).get("variables") or {}:
            if variable not in declared:
                problems.append(
                    BundleProblem(
                        main_path,
                        f"targets.{name}.variables.{variable}",
                        "sets a variable that `variables:` does not declare",
                    )
                )
    for path, document in files:
        for field, text in _strings(document):
            for variable in _VARIABLE_REFERENCE.findall(text):
                if variable not in declared:
                    problems.append(
                        BundleProblem(path, field, f"${{var.{variable}}} is not declared")
                    )
    return problems
