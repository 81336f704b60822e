import pytest

from toolkit.config import CatalogConfig, InvalidIdentifierError, quote_identifier
from toolkit.errors import ToolkitError


@pytest.mark.parametrize(
    ("name", "sql"),
    [
        ("customers", "customers"),
        ("_tmp1", "_tmp1"),
        ("customer-360", "`customer-360`"),
        ("2024_orders", "`2024_orders`"),
        ("weird`name", "`weird``name`"),
        ("clients_é", "`clients_é`"),
    ],
)
def test_quote_identifier(name, sql):
    assert quote_identifier(name) == sql


@pytest.mark.parametrize("name", ["", "a.b", "has space", "a/b", "tab\there", "x" * 256])
def test_invalid_identifiers_are_refused(name):
    with pytest.raises(InvalidIdentifierError):
        quote_identifier(name)


def test_get_table_name_quotes_each_part_and_names_unknown_layers():
    catalog = CatalogConfig(name="dev-analytics", schemas={"bronze": "raw", "silver": "clean"})
    assert catalog.get_table_name("bronze", "customers") == "`dev-analytics`.raw.customers"
    assert catalog.get_schema_name("silver") == "`dev-analytics`.clean"
    with pytest.raises(ToolkitError, match=r"no layer 'gold' \(layers: bronze, silver\)"):
        catalog.get_table_name("gold", "customers")
    with pytest.raises(InvalidIdentifierError, match=r"'cust\.omers'"):
        catalog.get_table_name("bronze", "cust.omers")
