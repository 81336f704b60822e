"""Secrets out of sight: what counts as a secret and the mask every door shows instead.

`toolkit config show`, the MCP `toolkit://config` resource and the loader's error messages
all mask the same values the same way.
"""

from __future__ import annotations

from typing import Any

from pydantic import SecretStr

__all__ = ["SECRET_MASK", "is_secret_key", "masked_config"]

SECRET_MASK = "**********"
_SECRET_WORDS = ("password", "secret", "token", "api_key", "apikey", "credential", "private_key")


def is_secret_key(key: str) -> bool:
    """True for a key that names a secret (`password`, `api_key`, `db_token`, ...)."""
    lowered = key.lower()
    return any(word in lowered for word in _SECRET_WORDS)


def masked_config(value: Any, key: str = "") -> Any:
    """A plain copy of dumped config data with every secret replaced by a mask.

    Secrets are values typed `SecretStr` (`spark.remote.token`, values tagged `!secret`) and,
    as a second guard, values under keys that name a secret (password, token, ...).
    """
    if isinstance(value, SecretStr):
        return SECRET_MASK
    if isinstance(value, dict):
        return {name: masked_config(item, str(name)) for name, item in value.items()}
    if isinstance(value, list | tuple):
        return [masked_config(item, key) for item in value]
    if value is not None and is_secret_key(key):
        return SECRET_MASK
    return value
