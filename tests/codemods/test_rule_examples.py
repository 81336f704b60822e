"""Every registered rule's documentation and examples, as tests.

A rule module dropped into `codemods/rules/` is picked up here with no wiring: its invalid
examples must produce exactly the expected diagnostics (and fixed text), its valid examples
nothing, and its docstring every section of the house style.
"""

from __future__ import annotations

import re

import pytest

from codemods.engine import LintSettings, fix, lint
from codemods.rules import all_rules
from codemods.rules.base import DOC_SECTIONS, Invalid, Rule, Valid

RULES = all_rules()
MIN_EXAMPLES = 4


def _settings(rule: type[Rule], example: Invalid | Valid) -> LintSettings:
    if example.settings is not None:
        return example.settings
    # Only this rule runs, so another rule's finding never disturbs the expectation.
    return LintSettings(
        enabled_codes=frozenset({rule.code}), library_module=True if rule.library_only else None
    )


def _cases(kind: str):
    for rule in RULES:
        examples = rule.invalid if kind == "invalid" else rule.valid
        for index, example in enumerate(examples):
            if isinstance(example, str):
                example = Valid(example)
            yield pytest.param(rule, example, id=f"{rule.code}-{kind}-{index}")


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_rule_is_documented_and_has_examples(rule: type[Rule]) -> None:
    assert not rule.missing_doc_sections(), (
        f"{rule.code} docstring lacks sections {rule.missing_doc_sections()} "
        f"(needs {', '.join(DOC_SECTIONS)})"
    )
    assert re.fullmatch(r"(SPK|DBX|TST)[0-9]{3}", rule.code), rule.code
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name), rule.name
    assert rule.severity in ("error", "warning", "info")
    assert rule.node_types, f"{rule.code} declares no node types"
    assert len(rule.valid) >= MIN_EXAMPLES, f"{rule.code} has {len(rule.valid)} valid examples"
    assert len(rule.invalid) >= MIN_EXAMPLES, (
        f"{rule.code} has {len(rule.invalid)} invalid examples"
    )
    assert rule.summary(), f"{rule.code} has an empty 'What it does' section"
    if rule.fixable:
        assert any(example.fixed is not None for example in rule.invalid), (
            f"{rule.code} is fixable but no invalid example shows the fixed text"
        )


@pytest.mark.parametrize(("rule", "example"), list(_cases("invalid")))
def test_invalid_example_is_flagged(rule: type[Rule], example: Invalid) -> None:
    settings = _settings(rule, example)
    found = [d for d in lint(example.text, example.path, settings) if d.code == rule.code]
    others = [d for d in lint(example.text, example.path, settings) if d.code.startswith("TK")]
    assert not others, f"internal findings: {others}"
    assert len(found) == example.expected_count, (
        f"expected {example.expected_count} {rule.code} findings, got {found}"
    )
    if example.at is not None:
        assert [(d.start.line, d.start.column) for d in found] == list(example.at)
    for diagnostic in found:
        assert diagnostic.name == rule.name and diagnostic.severity == rule.severity
        assert diagnostic.message, "a finding needs a message"


@pytest.mark.parametrize(("rule", "example"), list(_cases("invalid")))
def test_invalid_example_fix(rule: type[Rule], example: Invalid) -> None:
    settings = _settings(rule, example)
    result = fix(example.text, example.path, settings, unsafe=example.unsafe, select=[rule.code])
    expected = example.fixed_text if example.fixed_text is not None else example.text
    assert result.source == expected
    again = fix(result.source, example.path, settings, unsafe=example.unsafe, select=[rule.code])
    assert again.source == result.source, "fixing twice changed the text again"
    assert again.applied == 0
    if example.unsafe and example.fixed is not None:
        safe_only = fix(example.text, example.path, settings, select=[rule.code])
        assert safe_only.source == example.text, "an unsafe fix was applied without unsafe=True"


@pytest.mark.parametrize(("rule", "example"), list(_cases("valid")))
def test_valid_example_is_not_flagged(rule: type[Rule], example: Valid) -> None:
    found = lint(example.text, example.path, _settings(rule, example))
    assert found == [], f"unexpected findings: {found}"
