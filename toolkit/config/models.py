"""The project config schema: pydantic models, strict about unknown keys.

A project's `config/project.yaml` holds what every environment shares, `config/<env>.yaml`
what differs. The merged result is validated against `ProjectConfig`.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from toolkit.errors import ToolkitError

__all__ = [
    "STANDARD_ENVIRONMENTS",
    "CatalogConfig",
    "InvalidIdentifierError",
    "LoggingConfig",
    "ProjectConfig",
    "RemoteSparkConfig",
    "RetryConfig",
    "SparkConfig",
    "check_identifier",
    "quote_identifier",
]

STANDARD_ENVIRONMENTS = ("local", "lab", "dev", "prod")

_PLAIN_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_MAX_IDENTIFIER_LENGTH = 255


class InvalidIdentifierError(ToolkitError, ValueError):
    """A catalog, schema or table name that Unity Catalog does not accept."""


def check_identifier(name: str) -> str | None:
    """Why `name` is not a valid Unity Catalog object name, or None when it is valid.

    Unity Catalog refuses periods, spaces, forward slashes, ASCII control characters and DEL
    in catalog, schema, table and volume names, and names longer than 255 characters.
    """
    if not name:
        return "must not be empty"
    if len(name) > _MAX_IDENTIFIER_LENGTH:
        return f"is {len(name)} characters long; at most {_MAX_IDENTIFIER_LENGTH} are allowed"
    for char in name:
        if char == ".":
            return "must not contain '.' (write each part of a dotted name separately)"
        if char in " /":
            return f"must not contain {char!r}"
        if ord(char) < 0x20 or ord(char) == 0x7F:
            return f"must not contain the control character {char!r}"
    return None


def quote_identifier(name: str) -> str:
    """`name` as SQL: unchanged when it is a plain identifier, else in back-quotes."""
    problem = check_identifier(name)
    if problem is not None:
        raise InvalidIdentifierError(f"{name!r} is not a valid Unity Catalog name: it {problem}")
    if _PLAIN_IDENTIFIER.fullmatch(name):
        return name
    return "`" + name.replace("`", "``") + "`"


def _identifier(value: str) -> str:
    problem = check_identifier(value)
    if problem is not None:
        raise ValueError(f"a valid Unity Catalog name (it {problem})")
    return value


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


class CatalogConfig(_Section):
    """A Unity Catalog catalog and one schema per medallion layer (more layers allowed)."""

    name: str = Field(description="Unity Catalog catalog, e.g. dev_analytics")
    schemas: dict[str, str] = Field(
        default_factory=dict,
        description="layer -> schema, e.g. {bronze: customer_360_bronze, silver: ..., gold: ...}",
    )

    @field_validator("name")
    @classmethod
    def _check_name(cls, value: str) -> str:
        return _identifier(value)

    @field_validator("schemas")
    @classmethod
    def _check_schemas(cls, value: dict[str, str]) -> dict[str, str]:
        for layer, schema in value.items():
            problem = check_identifier(schema)
            if problem is not None:
                raise ValueError(
                    f"schema of layer {layer!r}: a valid Unity Catalog name ({problem})"
                )
        return value

    def schema_for(self, layer: str) -> str:
        """The schema of `layer`; a clear error naming the known layers otherwise."""
        try:
            return self.schemas[layer]
        except KeyError:
            known = ", ".join(sorted(self.schemas)) or "none"
            raise ToolkitError(
                f"catalog.schemas has no layer {layer!r} (layers: {known})",
                hint=f"add `{layer}: <schema>` under catalog.schemas in config/project.yaml",
            ) from None

    def get_schema_name(self, layer: str) -> str:
        """`catalog.schema` of `layer`, back-quoted where needed."""
        return f"{quote_identifier(self.name)}.{quote_identifier(self.schema_for(layer))}"

    def get_table_name(self, layer: str, table: str) -> str:
        """The full three-part name of `table` in `layer`, e.g.
        `dev_analytics.customer_360_bronze.customers`, back-quoted where needed."""
        return f"{self.get_schema_name(layer)}.{quote_identifier(table)}"


class RemoteSparkConfig(_Section):
    """A Databricks Connect session: set a profile, a cluster id or serverless to use one."""

    profile: str | None = Field(default=None, description="~/.databrickscfg profile")
    cluster_id: str | None = None
    serverless: bool = False
    host: str | None = None
    token: SecretStr | None = Field(default=None, description="personal access token (secret)")


class SparkConfig(_Section):
    """How to build the SparkSession."""

    master: str | None = Field(default=None, description="local master, default local[*]")
    app_name: str | None = Field(default=None, description="default: the project name")
    conf: dict[str, str] = Field(default_factory=dict, description="Spark conf key -> value")
    remote: RemoteSparkConfig = Field(default_factory=RemoteSparkConfig)

    @field_validator("conf", mode="before")
    @classmethod
    def _conf_values_as_text(cls, value: Any) -> Any:
        # YAML reads `spark.sql.shuffle.partitions: 8` as an int and `true` as a bool; Spark
        # wants text ("true", not "True").
        if isinstance(value, dict):
            return {key: _spark_text(item) for key, item in value.items()}
        return value


def _spark_text(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return value


class LoggingConfig(_Section):
    """Log records: level, format (json lines or console text) and fields on every record."""

    level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    format: Literal["json", "console"] = "json"
    context: dict[str, str | int | float | bool] = Field(
        default_factory=dict, description="fields added to every record"
    )

    @field_validator("level", mode="before")
    @classmethod
    def _upper_level(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @field_validator("format", mode="before")
    @classmethod
    def _lower_format(cls, value: Any) -> Any:
        return value.lower() if isinstance(value, str) else value


class RetryConfig(_Section):
    """Retry policy for transient failures (see `toolkit.retry`)."""

    max_attempts: int = Field(default=3, ge=1, description="attempts including the first")
    initial_delay: float = Field(default=1.0, ge=0, description="seconds before retry 1")
    max_delay: float = Field(default=30.0, ge=0, description="longest single wait, seconds")
    max_total_delay: float = Field(default=120.0, ge=0, description="stop after this long")
    multiplier: float = Field(default=2.0, ge=1, description="backoff growth per attempt")
    jitter: float = Field(
        default=1.0,
        ge=0,
        description="random seconds (at most half the backoff) added to each wait; taken off at max_delay",
    )


class ProjectConfig(_Section):
    """A project's resolved config for one environment."""

    name: str = Field(description="project name")
    environment: str = Field(default="local", description="set by the loader")
    catalog: CatalogConfig
    spark: SparkConfig = Field(default_factory=SparkConfig)
    logging: LoggingConfig = Field(default_factory=LoggingConfig)
    retry: RetryConfig = Field(default_factory=RetryConfig)
    volumes: dict[str, str] = Field(
        default_factory=dict,
        description="name -> Unity Catalog volume path (/Volumes/<catalog>/<schema>/<volume>)",
    )
    settings: dict[str, Any] = Field(default_factory=dict, description="free-form values")

    @field_validator("volumes")
    @classmethod
    def _check_volumes(cls, value: dict[str, str]) -> dict[str, str]:
        for name, path in value.items():
            if path.startswith("/Volumes"):
                parts = path.rstrip("/").split("/")[2:]
                if len(parts) < 3 or not all(parts[:3]):
                    raise ValueError(
                        f"volume {name!r}: a path /Volumes/<catalog>/<schema>/<volume>[/...]"
                    )
        return value

    def volume_path(self, name: str, *parts: str) -> str:
        """The path of volume `name`, with `parts` joined under it."""
        try:
            base = self.volumes[name]
        except KeyError:
            known = ", ".join(sorted(self.volumes)) or "none"
            raise ToolkitError(f"volumes has no entry {name!r} (volumes: {known})") from None
        return "/".join([base.rstrip("/"), *(part.strip("/") for part in parts)])
