"""The project index: the catalogs and schemas of a project's config, for DBX207."""

from __future__ import annotations

from codemods.engine.project import EMPTY_INDEX, ProjectIndex, index_for_options, project_index


def test_project_index_reads_every_environment_and_follows_changes(
    tmp_path, write_shop_config
) -> None:
    write_shop_config(tmp_path)
    index = project_index(tmp_path / "config")
    assert index.catalogs == {"local", "dev_shop"}
    assert index.layer_of("sales_bronze") == "bronze"
    assert index.environments == ("dev", "local")
    assert project_index(tmp_path / "config") is index  # cached
    write_shop_config(tmp_path, bronze="raw_orders")
    changed = project_index(tmp_path / "config")
    assert (
        changed.layer_of("raw_orders") == "bronze" and "sales_bronze" not in changed.schema_layers
    )
    assert changed.fingerprint != index.fingerprint


def test_project_index_of_a_missing_or_broken_config_is_empty(tmp_path) -> None:
    assert project_index(tmp_path / "nowhere").is_empty
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "project.yaml").write_text("catalog: [unclosed\n")
    assert project_index(tmp_path / "config").is_empty


def test_rule_options_name_the_index_or_its_folder(tmp_path, write_shop_config) -> None:
    write_shop_config(tmp_path)
    given = ProjectIndex(catalogs=frozenset({"main"}))
    assert index_for_options({"project-index": given}) is given
    assert index_for_options({"config-dir": str(tmp_path / "config")}).catalogs == {
        "local",
        "dev_shop",
    }
    assert index_for_options({}) is EMPTY_INDEX


def test_a_schema_in_two_layers_has_no_single_layer() -> None:
    index = ProjectIndex(schema_layers={"shared": ("bronze", "silver"), "gold_s": ("gold",)})
    assert index.layer_of("shared") is None
    assert index.layer_of("gold_s") == "gold"
    assert index.layer_of("unknown") is None
