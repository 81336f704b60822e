import pytest
from pydantic import SecretStr

from toolkit.config import (
    ConfigLoader,
    ConfigNotFoundError,
    ConfigValidationError,
    ProjectConfig,
    load_config,
)
from toolkit.errors import ToolkitError


def test_environment_file_is_deep_merged_over_project_file(project):
    config = ConfigLoader.load(env="dev", config_dir=project / "config")
    assert isinstance(config, ProjectConfig)
    assert config.environment == "dev"
    assert config.catalog.name == "dev_analytics"
    # keys only in project.yaml survive the merge at every depth
    assert config.catalog.schemas["silver"] == "customer_360_silver"
    assert config.retry.max_attempts == 3 and config.retry.initial_delay == 0.5
    assert config.logging.format == "console"
    assert config.spark.conf == {"spark.sql.shuffle.partitions": "4"}
    assert config.catalog.get_table_name("bronze", "customers") == (
        "dev_analytics.customer_360_bronze.customers"
    )


def test_environment_comes_from_argument_then_toolkit_env_then_local(project, monkeypatch):
    folder = project / "config"
    assert ConfigLoader.load(config_dir=folder).environment == "local"  # no local.yaml needed
    monkeypatch.setenv("TOOLKIT_ENV", "dev")
    assert ConfigLoader.load(config_dir=folder).environment == "dev"
    assert ConfigLoader.load(env="local", config_dir=folder).catalog.name == "local_analytics"


def test_any_environment_with_a_file_works(project, write_file):
    write_file(project / "config" / "staging.yaml", "catalog:\n  name: stg\n")
    assert ConfigLoader.load(env="staging", config_dir=project).catalog.name == "stg"


def test_variables_are_interpolated_with_defaults_and_escapes(project, write_file, monkeypatch):
    write_file(
        project / "config" / "lab.yaml",
        """\
        catalog:
          name: ${CATALOG}
        settings:
          owner: ${OWNER:-data-team}
          literal: price is $${NOT_A_VAR}
          empty_default: ${EMPTY:-fallback}
        """,
    )
    monkeypatch.setenv("CATALOG", "lab_analytics")
    monkeypatch.setenv("EMPTY", "")
    config = ConfigLoader.load(env="lab", config_dir=project)
    assert config.catalog.name == "lab_analytics"
    assert config.settings["owner"] == "data-team"
    assert config.settings["literal"] == "price is ${NOT_A_VAR}"
    assert config.settings["empty_default"] == "fallback"


def test_undefined_variable_names_the_variable_and_the_file(project, write_file):
    path = write_file(project / "config" / "prod.yaml", "catalog:\n  name: ${PROD_CATALOG}\n")
    with pytest.raises(ConfigValidationError) as caught:
        ConfigLoader.load(env="prod", config_dir=project)
    message = str(caught.value)
    assert f"{path}:2:3: catalog.name" in message
    assert "PROD_CATALOG is not set" in message
    assert isinstance(caught.value, ToolkitError)


def test_env_overrides_are_typed_nested_case_insensitive_and_win(project, monkeypatch):
    monkeypatch.setenv("TOOLKIT__RETRY__MAX_ATTEMPTS", "7")
    monkeypatch.setenv("toolkit__Catalog__Schemas__Gold", "override_gold")
    monkeypatch.setenv("TOOLKIT__SPARK__CONF", '{"spark.sql.ansi.enabled": "false"}')
    monkeypatch.setenv("TOOLKIT__SETTINGS__BATCH_SIZE", "250")
    monkeypatch.setenv("TOOLKIT__LOGGING__FORMAT", "JSON")
    config = ConfigLoader.load(env="dev", config_dir=project)
    assert config.retry.max_attempts == 7
    assert config.catalog.schemas["gold"] == "override_gold"
    assert config.catalog.schemas["bronze"] == "customer_360_bronze"
    # a mapping takes a JSON object, merged with the YAML's keys
    assert config.spark.conf == {
        "spark.sql.shuffle.partitions": "4",
        "spark.sql.ansi.enabled": "false",
    }
    assert config.settings["batch_size"] == 250
    assert config.logging.format == "json"


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("TOOLKIT__SPARKK__MASTER", "local[1]", "sparkk: no such setting; expected one of: name"),
        ("TOOLKIT__SPARK__CONF", "not json", "spark.conf: expected a JSON object"),
        ("TOOLKIT__RETRY__MAX_ATTEMPTS", "many", "retry.max_attempts: got 'many'"),
        ("TOOLKIT__NAME__X", "y", "name: is a single value and has no key 'X'"),
    ],
)
def test_bad_env_override_names_the_variable(project, monkeypatch, variable, value, expected):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigValidationError) as caught:
        ConfigLoader.load(env="dev", config_dir=project)
    assert f"environment variable {variable}: {expected}" in str(caught.value)


def test_discovery_uses_toolkit_config_dir_then_walks_up(project, tmp_path, monkeypatch):
    nested = project / "src" / "pipelines"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)
    assert load_config().name == "customer_360"
    other = tmp_path / "elsewhere"
    (other / "config").mkdir(parents=True)
    (other / "config" / "project.yaml").write_text(
        "name: other\ncatalog:\n  name: c\n", encoding="utf-8"
    )
    monkeypatch.setenv("TOOLKIT_CONFIG_DIR", str(other / "config"))
    assert load_config().name == "other"


def test_missing_project_lists_every_path_searched(tmp_path, monkeypatch):
    folder = tmp_path / "a" / "b"
    folder.mkdir(parents=True)
    monkeypatch.chdir(folder)
    with pytest.raises(ConfigNotFoundError) as caught:
        load_config()
    message = str(caught.value)
    assert str(folder / "config" / "project.yaml") in message
    assert str(tmp_path / "a" / "config" / "project.yaml") in message


def test_missing_environment_names_paths_and_existing_environments(project):
    with pytest.raises(ConfigNotFoundError) as caught:
        ConfigLoader.load(env="prdo", config_dir=project)
    message = str(caught.value)
    assert str(project / "config" / "prdo.yaml") in message
    assert "environments found in" in message and message.endswith(": dev")


def test_yaml_syntax_error_gives_file_line_and_column(project, write_file):
    path = write_file(project / "config" / "dev.yaml", "catalog:\n  name: [unclosed\n")
    with pytest.raises(ConfigValidationError) as caught:
        ConfigLoader.load(env="dev", config_dir=project)
    assert str(caught.value).startswith(f"invalid config: {path}:3:1: YAML error")


def test_schema_errors_give_file_dotted_field_value_and_expectation(project, write_file):
    path = write_file(
        project / "config" / "dev.yaml",
        """\
        catalog:
          name: dev analytics
          colour: blue
        retry:
          max_attempts: 0
        logging:
          format: xml
        """,
    )
    with pytest.raises(ConfigValidationError) as caught:
        ConfigLoader.load(env="dev", config_dir=project)
    problems = {p.field: p for p in caught.value.problems}
    assert set(problems) == {
        "catalog.name",
        "catalog.colour",
        "retry.max_attempts",
        "logging.format",
    }
    name = problems["catalog.name"]
    assert (name.file, name.line, name.column) == (str(path), 2, 3)
    assert "got 'dev analytics'" in name.message and "must not contain ' '" in name.message
    assert problems["catalog.colour"].message == "unknown key; expected one of: name, schemas"
    assert "got 0; expected greater than or equal to 1" in problems["retry.max_attempts"].message
    assert (
        problems["logging.format"].line,
        "'json' or 'console'" in problems["logging.format"].message,
    ) == (7, True)


def test_a_missing_required_field_points_at_the_project_file(tmp_path, write_file):
    write_file(tmp_path / "config" / "project.yaml", "name: p\n")
    with pytest.raises(ConfigValidationError) as caught:
        ConfigLoader.load(config_dir=tmp_path)
    assert "catalog: required but missing" in str(caught.value)


def test_duplicate_keys_and_environment_mismatch_are_reported(project, write_file):
    write_file(
        project / "config" / "dev.yaml",
        "environment: prod\ncatalog:\n  name: a\n  name: b\n",
    )
    with pytest.raises(ConfigValidationError) as caught:
        ConfigLoader.load(env="dev", config_dir=project)
    message = str(caught.value)
    assert "dev.yaml:4:3: catalog.name: duplicate key" in message
    assert "environment: says 'prod' but environment 'dev' is being loaded" in message


def test_secrets_never_show_in_repr(project, monkeypatch):
    monkeypatch.setenv("API_TOKEN", "s3cr3t-value")
    config = ConfigLoader.load(config_dir=project)
    token = config.settings["api_token"]
    assert isinstance(token, SecretStr) and token.get_secret_value() == "s3cr3t-value"
    assert "s3cr3t-value" not in repr(config) and "s3cr3t-value" not in str(config)


def test_cache_returns_same_object_until_files_or_variables_change(
    project, write_file, monkeypatch
):
    first = ConfigLoader.load(env="dev", config_dir=project)
    assert ConfigLoader.load(env="dev", config_dir=project) is first
    monkeypatch.setenv("API_TOKEN", "changed")
    second = ConfigLoader.load(env="dev", config_dir=project)
    assert second is not first
    assert second.settings["api_token"].get_secret_value() == "changed"
    write_file(project / "config" / "dev.yaml", "catalog:\n  name: rewritten_catalog_name\n")
    assert ConfigLoader.load(env="dev", config_dir=project).catalog.name == (
        "rewritten_catalog_name"
    )
    monkeypatch.setenv("TOOLKIT__CATALOG__NAME", "from_env")
    assert ConfigLoader.load(env="dev", config_dir=project).catalog.name == "from_env"


def test_volume_paths(project, write_file):
    write_file(
        project / "config" / "dev.yaml",
        "catalog:\n  name: d\nvolumes:\n  landing: /Volumes/d/raw/landing/\n",
    )
    config = ConfigLoader.load(env="dev", config_dir=project)
    assert config.volume_path("landing", "2024", "x.csv") == "/Volumes/d/raw/landing/2024/x.csv"
    write_file(
        project / "config" / "dev.yaml", "catalog:\n  name: d\nvolumes:\n  bad: /Volumes/d\n"
    )
    with pytest.raises(ConfigValidationError, match=r"volumes: got .*/Volumes/<catalog>"):
        ConfigLoader.load(env="dev", config_dir=project)
