"""The MCP server: each tool is a 5-line adapter from JSON arguments to the functions the CLI
calls (`lint_tools`, `project_tools`, `profile_tool`), with the client's workspace roots.

A tool call asks the client for its roots (`roots/list`, when it declared the capability; the
SDK's `ListRoots` resolver works with both the handshake-era and the 2026 protocol), and every
path the call touches is confined to them. A `ToolkitError` (a user mistake) becomes a tool
error whose text the assistant reads; anything else is a crash the SDK logs.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import anyio.from_thread
from mcp.server.mcpserver import Context, ListRoots, MCPServer, Resolve
from mcp.server.mcpserver.exceptions import ResourceError, ResourceNotFoundError, ToolError
from mcp_types import ListRootsResult, ToolAnnotations
from pydantic import BaseModel, ConfigDict, Field

from toolkit.errors import ToolkitError
from toolkit.mcp_server import lint_tools, models, profile_tool, project_tools
from toolkit.mcp_server.workspace import Workspace

INSTRUCTIONS = """\
Tools for PySpark pipelines on Databricks. `lint` reports problems (JSON findings with fixes);
`fix` returns the fixed text and a diff and writes only with write=true; `explain_rule` tells
what a code means. `scaffold_project`, `new_transform` and `new_pipeline` create code;
`generate_tests` runs transforms on local Spark and returns chispa tests; `profile` reads data
and suggests data-quality rules; `validate_config` checks config/*.yaml. Paths are relative to
the first workspace root and must stay inside the workspace roots."""

_Function = TypeVar("_Function", bound=Callable[..., Any])
Layer = Literal["bronze", "silver", "gold"]


def _client_roots(ctx: Context) -> ListRootsResult | ListRoots | None:
    """Ask for the client's roots when it can answer; None: the server's own folders."""
    capabilities = ctx.client_capabilities
    if capabilities is not None and capabilities.roots is not None:
        return ListRoots()
    return None


ClientRoots = Annotated[ListRootsResult | None, Resolve(_client_roots)]


def _progress_to(ctx: Context | None) -> Callable[[int, int, str], None] | None:
    """Progress notifications for a tool running in the SDK's worker thread (sync tools run
    there): each report is sent on the event loop and waited for. A client that gave no
    progress token gets none (the SDK drops them)."""
    if ctx is None:
        return None

    def report(done: int, total: int, message: str) -> None:
        anyio.from_thread.run(ctx.report_progress, done, total, message)

    return report


# The core's hints name command-line options; here they are tool arguments.
_CLI_OPTIONS = (("--project", "`project`"), ("--force", "force=true"),
                ("--config-dir", "`config_dir`"), ("--source", "`source`"))  # fmt: skip


def _for_tools(message: str) -> str:
    for option, argument in _CLI_OPTIONS:
        message = message.replace(option, argument)
    return message


def _user_errors(function: _Function) -> _Function:
    """A user mistake becomes a tool error naming the argument at fault, never a crash."""

    @functools.wraps(function)
    def door(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except ToolkitError as error:
            raise ToolError(_for_tools(str(error))) from error
        except OSError as error:  # a refused or failed write: say which file and why
            where = f"{error.filename}: " if error.filename else ""
            raise ToolError(f"{where}{error.strerror or error}") from error

    return door  # type: ignore[return-value]


class Answers(BaseModel):
    """Scaffold answers (the keys of docs/scaffold.md); keys left out take their defaults."""

    model_config = ConfigDict(extra="allow")

    project_name: str | None = Field(None, description="e.g. sales-analytics")
    package_name: str | None = Field(None, description="derived from project_name when absent")
    description: str | None = None
    owner: str | None = Field(None, description="an e-mail address or a workspace group")
    catalog_lab: str | None = None
    catalog_dev: str | None = None
    catalog_prod: str | None = None
    cloud: str | None = Field(None, description="aws | azure | gcp")
    compute: str | None = Field(None, description="serverless | classic")
    python_version: str | None = Field(None, description="3.10 | 3.11 | 3.12")
    include_samples: bool | str | None = Field(None, description="true | false")
    ci: str | None = Field(None, description="github | none")


def build_server(*, default_roots: Sequence[Path] = ()) -> MCPServer:
    """The server; `default_roots` stand in for a client that declares no roots."""
    import toolkit

    server = MCPServer(
        "toolkit",
        title="Data engineering toolkit",
        version=toolkit.__version__,
        instructions=INSTRUCTIONS,
        log_level="WARNING",
    )

    def workspace(roots: ListRootsResult | None) -> Workspace:
        uris = [str(root.uri) for root in roots.roots] if roots is not None else []
        return Workspace.of(uris, default=default_roots)

    read_only = ToolAnnotations(read_only_hint=True, open_world_hint=False)
    writes = ToolAnnotations(read_only_hint=False, destructive_hint=False, open_world_hint=False)

    @server.tool(annotations=read_only)
    @_user_errors
    def lint(
        path: Annotated[str | None, Field(description="a file or folder in the workspace")] = None,
        source: Annotated[str | None, Field(description="Python text, instead of path")] = None,
        filename: Annotated[
            str | None, Field(description="with source: the file name it stands for")
        ] = None,
        select: Annotated[list[str] | None, Field(description="codes or prefixes")] = None,
        extend_select: list[str] | None = None,
        ignore: list[str] | None = None,
        roots: ClientRoots = None,
    ) -> models.LintResult:
        """Report PySpark and Databricks problems: findings with their fixes, in the JSON
        shape of `toolkit lint --format json`."""
        return lint_tools.lint(
            workspace(roots),
            path=path,
            source=source,
            filename=filename,
            select=select,
            extend_select=extend_select,
            ignore=ignore,
        )

    @server.tool(annotations=writes)
    @_user_errors
    def fix(
        path: Annotated[str | None, Field(description="a file or folder in the workspace")] = None,
        source: Annotated[str | None, Field(description="Python text, instead of path")] = None,
        filename: str | None = None,
        unsafe_fixes: Annotated[
            bool, Field(description="also fixes that may change results")
        ] = False,
        write: Annotated[bool, Field(description="write the fixed files (path only)")] = False,
        select: list[str] | None = None,
        extend_select: list[str] | None = None,
        ignore: list[str] | None = None,
        roots: ClientRoots = None,
    ) -> models.FixResult:
        """Apply the fixes `lint` reports: the fixed text and a diff. Files are written only
        with write=true."""
        return lint_tools.fix(
            workspace(roots),
            path=path,
            source=source,
            filename=filename,
            unsafe_fixes=unsafe_fixes,
            write=write,
            select=select,
            extend_select=extend_select,
            ignore=ignore,
        )

    @server.tool(annotations=read_only)
    @_user_errors
    def explain_rule(
        code: Annotated[str, Field(description="a rule code, e.g. SPK101")],
    ) -> models.RuleDoc:
        """What a rule flags, why it matters, an example, the fix and its safety."""
        return lint_tools.explain_rule(code)

    @server.tool(annotations=writes)
    @_user_errors
    def generate_tests(
        paths: Annotated[list[str], Field(description="transform modules or folders")],
        functions: Annotated[
            list[str] | None, Field(description="only these: `name` or `Class.method`")
        ] = None,
        output_dir: str | None = None,
        timeout: Annotated[float, Field(description="seconds per transform on Spark")] = 60.0,
        write: Annotated[bool, Field(description="write the test modules")] = False,
        roots: ClientRoots = None,
        ctx: Context | None = None,
    ) -> models.GenerateTestsResult:
        """Generate chispa tests by running each transform on local Spark (user code, in a
        worker process): returns each test module's text and diff; writes only with
        write=true. Sends a progress notification as each transform starts."""
        return project_tools.generate_tests(
            workspace(roots),
            paths=paths,
            functions=functions,
            output_dir=output_dir,
            timeout=timeout,
            write=write,
            progress=_progress_to(ctx),
        )

    @server.tool(annotations=writes)
    @_user_errors
    def scaffold_project(
        answers: Answers,
        output_dir: Annotated[
            str | None, Field(description="the folder the project's own folder goes in")
        ] = None,
        force: Annotated[
            bool, Field(description="add missing files to an existing folder")
        ] = False,
        dry_run: Annotated[bool, Field(description="list the files, write nothing")] = False,
        roots: ClientRoots = None,
    ) -> models.ScaffoldResult:
        """Create a Databricks project (pipelines, config, bundle, tests, CI) from answers;
        every bad answer is reported at once."""
        raw = answers.model_dump(exclude_none=True)
        return project_tools.scaffold_project(
            workspace(roots), answers=raw, output_dir=output_dir, force=force, dry_run=dry_run
        )

    @server.tool(annotations=writes)
    @_user_errors
    def new_transform(
        name: Annotated[str, Field(description="a lower-case Python identifier")],
        layer: Layer = "silver",
        project: Annotated[
            str | None, Field(description="the project folder (default: the workspace)")
        ] = None,
        roots: ClientRoots = None,
    ) -> models.CreatedFiles:
        """Add src/<package>/transforms/NAME.py and its chispa test to a scaffolded project."""
        return project_tools.new_transform(
            workspace(roots), name=name, layer=layer, project=project
        )

    @server.tool(annotations=writes)
    @_user_errors
    def new_pipeline(
        name: Annotated[str, Field(description="a lower-case Python identifier")],
        layer: Layer = "silver",
        source: Annotated[
            str | None, Field(description="LAYER.TABLE it reads; bronze: a landing folder")
        ] = None,
        project: str | None = None,
        roots: ClientRoots = None,
    ) -> models.CreatedFiles:
        """Add a pipeline: its transform, module, tests and job; register it in the project."""
        return project_tools.new_pipeline(
            workspace(roots), name=name, layer=layer, source=source, project=project
        )

    @server.tool(annotations=writes)
    @_user_errors
    def profile(
        source: Annotated[
            str, Field(description="a Parquet/CSV/JSON/Delta file or folder, or cat.schema.table")
        ],
        columns: list[str] | None = None,
        sample_fraction: Annotated[
            float | None, Field(description="0 < F <= 1: profile a random sample")
        ] = None,
        seed: int = 42,
        env: Annotated[str | None, Field(description="config environment for Spark")] = None,
        rules_path: Annotated[
            str | None, Field(description="also write the suggested rules (DQX YAML) here")
        ] = None,
        force: bool = False,
        roots: ClientRoots = None,
    ) -> models.ProfileResult:
        """Profile data on Spark (counts, nulls, distinct values, ranges, top values,
        histograms) and suggest data-quality rules, each tried on the data."""
        return profile_tool.profile(
            workspace(roots),
            source=source,
            columns=columns,
            sample_fraction=sample_fraction,
            seed=seed,
            env=env,
            rules_path=rules_path,
            force=force,
        )

    @server.tool(annotations=read_only)
    @_user_errors
    def validate_config(
        config_dir: Annotated[
            str | None, Field(description="default: the nearest config/project.yaml")
        ] = None,
        roots: ClientRoots = None,
    ) -> models.ValidateConfigResult:
        """Check every environment of the project config; report each problem with its file,
        line and field."""
        return project_tools.validate_config(workspace(roots), config_dir=config_dir)

    _add_resources(server, lambda: Workspace.of(None, default=default_roots))
    return server


def _resource_text(produce: Callable[[], Any]) -> str:
    try:
        value = produce()
    except ToolkitError as error:
        raise ResourceError(str(error)) from error
    return value if isinstance(value, str) else json.dumps(value, indent=2, default=str) + "\n"


def _add_resources(server: MCPServer, workspace: Callable[[], Workspace]) -> None:
    @server.resource("toolkit://rules", name="rules", mime_type="application/json")
    def rules() -> str:
        """Every lint rule: code, name, severity, fixability and documentation."""
        return lint_tools.rule_catalogue()

    @server.resource("toolkit://rules/{code}", name="rule", mime_type="text/markdown")
    def rule(code: str) -> str:
        """One rule's documentation (Markdown)."""
        try:
            return lint_tools.explain_rule(code).documentation
        except ToolkitError as error:
            raise ResourceNotFoundError(str(error)) from error

    @server.resource("toolkit://config", name="config", mime_type="application/json")
    def config() -> str:
        """The project's resolved config (TOOLKIT_ENV, else local), secrets masked."""
        return _resource_text(lambda: project_tools.resolved_config(workspace()))

    @server.resource("toolkit://config/{env}", name="config-env", mime_type="application/json")
    def config_env(env: str) -> str:
        """The project's resolved config of one environment, secrets masked."""
        return _resource_text(lambda: project_tools.resolved_config(workspace(), env=env))

    @server.resource("toolkit://settings", name="lint-settings", mime_type="application/json")
    def settings() -> str:
        """The resolved [tool.toolkit] lint settings and the rules they enable."""
        return _resource_text(lambda: project_tools.lint_settings(workspace()))


def serve(*, default_roots: Sequence[Path] = ()) -> None:
    """Serve over stdio until the client closes the connection."""
    build_server(default_roots=default_roots).run("stdio")
