"""`toolkit config show|validate|envs`: the resolved project config, with secrets masked."""

from __future__ import annotations

import json
from pathlib import Path

import click

# Every subcommand reads the same folder the same way.
_config_dir_option = click.option(
    "--config-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="folder holding project.yaml (default: TOOLKIT_CONFIG_DIR, else the nearest config/)",
)


@click.group()
def config() -> None:
    """Show or validate the project config (config/project.yaml + config/<env>.yaml)."""


@config.command()
@click.option("--env", "env", default=None, help="environment (default: TOOLKIT_ENV, else local)")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["yaml", "json"]),
    default="yaml",
    show_default=True,
)
@_config_dir_option
def show(env: str | None, output_format: str, config_dir: Path | None) -> None:
    """Print the resolved config of one environment, secrets masked."""
    from toolkit.config import ConfigLoader, masked_config

    loaded = ConfigLoader.load(env=env, config_dir=config_dir)
    data = masked_config(loaded.model_dump(mode="python"))
    if output_format == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    import yaml

    click.echo(yaml.safe_dump(data, sort_keys=False, allow_unicode=True).rstrip("\n"))


@config.command()
@_config_dir_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
def validate(config_dir: Path | None, output_format: str) -> None:
    """Check every environment file; report all problems at once (exit 1 when any)."""
    from toolkit.config import (
        config_folder_of,
        find_config_dir,
        list_environments,
        validate_config_dir,
    )

    folder = config_dir if config_dir is not None else find_config_dir()
    problems = validate_config_dir(folder)
    if output_format == "json":
        click.echo(json.dumps([problem.to_dict() for problem in problems], indent=2))
    else:
        for problem in problems:
            click.echo(str(problem))
        if problems:
            count = len(problems)
            click.echo(f"Found {count} problem{'s' if count != 1 else ''}.")
        else:
            envs = ", ".join(list_environments(config_folder_of(folder))) or "local"
            click.echo(f"Config is valid ({envs}).")
    if problems:
        raise SystemExit(1)


@config.command()
@_config_dir_option
def envs(config_dir: Path | None) -> None:
    """List the environments that have a file."""
    from toolkit.config import find_config_dir, list_environments

    for name in list_environments(find_config_dir(config_dir)):
        click.echo(name)
