"""Typical values for well-known kinds of text column and list parameter.

Valid and invalid values are mixed (an address without `@`, a lower-case country code, padding),
so validation and normalisation code has something to accept, fix and reject.
"""

from __future__ import annotations

__all__ = ["list_argument_for", "vocabulary_for"]

_VOCABULARY = (
    ("email", ("ada@example.com", " Grace.Hopper@Example.ORG ", "not-an-email")),
    ("countr", ("FR", "de", "US")),
    ("currenc", ("EUR", "usd", "GBP")),
    ("phone", ("+33 1 23 45 67 89", "555-0100", "n/a")),
)


def vocabulary_for(name: str) -> tuple[str, ...] | None:
    """Three typical values for a text column called `name`, when its name is a known kind."""
    lowered = name.lower()
    return next((values for word, values in _VOCABULARY if word in lowered), None)


def list_argument_for(name: str) -> list[str] | None:
    """An allow-list argument (`valid_countries`): two normalised known values, one left out."""
    values = vocabulary_for(name)
    if values is None:
        return None
    return [value.strip().upper() if len(value) <= 3 else value.strip() for value in values[:2]]
