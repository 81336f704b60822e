"""The rule registry: every module in this package that defines a `Rule` subclass.

Dropping `codemods/rules/<what_it_flags>.py` in this folder registers its rule; nothing else
to wire. Codes must be unique: a duplicate is an error at load time.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from codemods.rules.base import Invalid, Rule, Valid

__all__ = ["Invalid", "Rule", "Valid", "all_rules", "get_rule", "rules_matching"]

_NOT_RULE_MODULES = frozenset({"base"})


class DuplicateRuleCodeError(RuntimeError):
    """Two rule classes declare the same code."""


@cache
def _registry() -> dict[str, type[Rule]]:
    found: dict[str, type[Rule]] = {}
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        if module_info.name.startswith("_") or module_info.name in _NOT_RULE_MODULES:
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Rule)
                and value is not Rule
                and value.__module__ == module.__name__
                and getattr(value, "code", None)
            ):
                if value.code in found and found[value.code] is not value:
                    other = found[value.code]
                    raise DuplicateRuleCodeError(
                        f"rule code {value.code} is declared twice: "
                        f"{other.__module__}.{other.__name__} and "
                        f"{value.__module__}.{value.__name__}"
                    )
                found[value.code] = value
    return dict(sorted(found.items()))


def all_rules() -> list[type[Rule]]:
    """Every registered rule class, sorted by code."""
    return list(_registry().values())


def get_rule(code: str) -> type[Rule] | None:
    """The rule with exactly this code (case-insensitive), or None."""
    return _registry().get(code.upper())


def rules_matching(prefix: str) -> list[type[Rule]]:
    """Rules whose code starts with `prefix` (`SPK2`, `DBX`, or a full code)."""
    wanted = prefix.upper()
    return [rule for code, rule in _registry().items() if code.startswith(wanted)]
