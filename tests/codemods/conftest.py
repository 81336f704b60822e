"""Fixtures shared by the lint engine's and the rules' tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest


def _write_shop_config(folder: Path, *, bronze: str = "sales_bronze") -> None:
    config = folder / "config"
    config.mkdir(exist_ok=True)
    (config / "project.yaml").write_text(
        f"name: shop\ncatalog:\n  schemas:\n    bronze: {bronze}\n    gold: sales_gold\n"
    )
    (config / "local.yaml").write_text("catalog:\n  name: local\n")
    (config / "dev.yaml").write_text("catalog:\n  name: dev_shop\n")


@pytest.fixture
def write_shop_config() -> Callable[..., None]:
    """`write_shop_config(folder, bronze=...)` writes `folder/config/`: the shop project's
    schemas (bronze, gold) and two environments, `local` (catalog `local`) and `dev`
    (catalog `dev_shop`), as the DBX207 rule and the project index read them."""
    return _write_shop_config
