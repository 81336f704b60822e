import textwrap
from pathlib import Path

import pytest

from toolkit.config import ConfigLoader

PROJECT_YAML = """\
name: customer_360
catalog:
  name: ${CATALOG:-local_analytics}
  schemas:
    bronze: customer_360_bronze
    silver: customer_360_silver
    gold: customer_360_gold
spark:
  conf:
    spark.sql.shuffle.partitions: 4
retry:
  max_attempts: 3
settings:
  batch_size: 100
  api_token: !secret ${API_TOKEN:-local-token}
"""

DEV_YAML = """\
catalog:
  name: dev_analytics
retry:
  initial_delay: 0.5
logging:
  format: console
"""


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in list(__import__("os").environ):
        if name.upper().startswith("TOOLKIT"):
            monkeypatch.delenv(name)
    for name in ("CATALOG", "API_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    ConfigLoader.clear_cache()
    yield
    ConfigLoader.clear_cache()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def write_file():
    """write_file(path, text): dedent `text` into `path`, creating folders."""
    return write


@pytest.fixture
def project(tmp_path) -> Path:
    """A project folder with config/project.yaml and config/dev.yaml."""
    write(tmp_path / "config" / "project.yaml", PROJECT_YAML)
    write(tmp_path / "config" / "dev.yaml", DEV_YAML)
    return tmp_path
