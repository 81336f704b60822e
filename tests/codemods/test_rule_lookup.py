"""One lookup for a typed rule code: `toolkit rule` and the MCP `explain_rule` tool share it."""

import pytest

from codemods.rule_lookup import find_rule
from toolkit.errors import ToolkitError


def test_codes_are_found_whatever_their_case_and_spaces():
    assert find_rule(" spk205\n").code == "SPK205"
    assert find_rule("DBX201").name == find_rule("dbx201").name


def test_an_unknown_code_names_the_closest_known_one():
    with pytest.raises(ToolkitError) as raised:
        find_rule("SPK2O5", field="code")
    assert raised.value.message == "code: unknown rule code 'SPK2O5'"
    assert raised.value.hint == "did you mean SPK205?"
    with pytest.raises(ToolkitError) as raised:
        find_rule("nothing-like-a-code")
    assert raised.value.message == "unknown rule code 'nothing-like-a-code'"
    assert raised.value.hint is None
