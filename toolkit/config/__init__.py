"""Project configuration: pydantic schema, layered YAML loader, validation.

    from toolkit.config import load_config
    config = load_config()              # TOOLKIT_ENV, else "local"
    config.catalog.get_table_name("bronze", "customers")

Importing this package is light: pydantic and PyYAML, no pyspark.
"""

from toolkit.config.errors import (
    ConfigError,
    ConfigNotFoundError,
    ConfigProblem,
    ConfigValidationError,
)
from toolkit.config.loader import ConfigLoader, find_config_dir, list_environments
from toolkit.config.masking import SECRET_MASK, masked_config
from toolkit.config.models import (
    STANDARD_ENVIRONMENTS,
    CatalogConfig,
    InvalidIdentifierError,
    LoggingConfig,
    ProjectConfig,
    RemoteSparkConfig,
    RetryConfig,
    SparkConfig,
    check_identifier,
    quote_identifier,
)
from toolkit.config.validate import config_folder_of, validate_config_dir

__all__ = [
    "SECRET_MASK",
    "STANDARD_ENVIRONMENTS",
    "CatalogConfig",
    "ConfigError",
    "ConfigLoader",
    "ConfigNotFoundError",
    "ConfigProblem",
    "ConfigValidationError",
    "InvalidIdentifierError",
    "LoggingConfig",
    "ProjectConfig",
    "RemoteSparkConfig",
    "RetryConfig",
    "SparkConfig",
    "check_identifier",
    "config_folder_of",
    "find_config_dir",
    "list_environments",
    "load_config",
    "masked_config",
    "quote_identifier",
    "validate_config_dir",
]


def load_config(env: str | None = None, config_dir: str | None = None) -> ProjectConfig:
    """`ConfigLoader.load(env, config_dir)`: the cached config of one environment."""
    return ConfigLoader.load(env=env, config_dir=config_dir)
