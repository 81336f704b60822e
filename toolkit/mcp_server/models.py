"""The structured results of the MCP tools: pydantic models, so each tool publishes an output
JSON schema and returns `structuredContent` a client can rely on.

The finding models are the JSON shape of `toolkit lint --format json` (docs/cli.md), field
for field: an assistant reading MCP output and a CI job reading the JSON report see one format.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class Position(BaseModel):
    line: int = Field(description="1-based line")
    column: int = Field(description="1-based column, in characters")


class Edit(BaseModel):
    start: Position
    end: Position = Field(description="exclusive: the character just after the range")
    content: str


class Fix(BaseModel):
    applicability: Literal["safe", "unsafe"]
    message: str = Field(description="the fix title, a command: 'Replace with `isEmpty()`'")
    edits: list[Edit]


class Diagnostic(BaseModel):
    """One finding, exactly as `toolkit lint --format json` prints it."""

    code: str
    name: str
    message: str
    severity: Literal["error", "warning", "info"]
    path: str | None = Field(description="relative to the server's working folder")
    cell: int | None = Field(description="the 1-based cell of an .ipynb notebook, else null")
    start: Position
    end: Position
    fix: Fix | None
    url: str | None


class LintResult(BaseModel):
    diagnostics: list[Diagnostic]
    files: int = Field(description="how many files were linted")
    fixable: int = Field(description="findings with a fix (safe or unsafe)")
    summary: str = Field(description="the summary line `toolkit lint` prints")


class FixedFile(BaseModel):
    path: str
    fixed: dict[str, int] = Field(description="rule code -> fixes applied")
    diff: str = Field(description="unified diff of the change")
    written: bool = Field(description="whether the file on disk was changed")
    refused: str | None = Field(None, description="why a fixed text was not written")


class FixResult(BaseModel):
    fixed_text: str | None = Field(
        description="the whole fixed text, for `source` or a single file; null for a folder"
    )
    files: list[FixedFile] = Field(description="every file a fix changes (or would change)")
    remaining: list[Diagnostic] = Field(description="what is still reported after fixing")
    summary: str


class RuleDoc(BaseModel):
    code: str
    name: str
    severity: Literal["error", "warning", "info"]
    fixable: bool
    opt_in: bool = Field(description="runs only when selected by code or prefix")
    library_only: bool
    summary: str
    url: str | None
    documentation: str = Field(description="Markdown: what it does, why, example, fix safety")


class TransformOutcome(BaseModel):
    transform: str = Field(description="`name` or `Class.method`")
    path: str
    line: int
    status: Literal["written", "would_write", "exists", "skipped"]
    test_name: str
    test_path: str | None
    reason: str = ""


class GeneratedModule(BaseModel):
    path: str
    text: str = Field(description="the whole test module after merging the new tests")
    diff: str
    created: bool = Field(description="the module did not exist before")


class GenerateTestsResult(BaseModel):
    modules: list[GeneratedModule]
    outcomes: list[TransformOutcome]
    written: bool
    seconds: float
    summary: str


class ScaffoldResult(BaseModel):
    project_dir: str
    answers: dict[str, Any] = Field(description="the validated answers, defaults filled in")
    files: list[str] = Field(description="the project's files, relative to project_dir")
    kept: list[str] = Field(description="existing files left untouched (force)")
    written: bool


class CreatedFiles(BaseModel):
    project_dir: str
    files: list[str] = Field(description="files created or changed, relative to project_dir")


class SuggestedRule(BaseModel):
    name: str
    criticality: str
    check: dict[str, Any] = Field(description="{function, arguments}: a DQX check")
    failed_rows: int
    checked_rows: int
    pass_rate: float


class ProfileResult(BaseModel):
    profile: dict[str, Any] = Field(description="`toolkit profile --format json`")
    rules: list[SuggestedRule] = Field(description="suggested checks, tried on the data")
    rules_yaml: str = Field(description="the rules file `toolkit profile --rules` writes")
    written: list[str] = Field(description="files written (rules_path)")


class ConfigProblem(BaseModel):
    file: str
    line: int | None
    column: int | None
    field: str
    message: str


class ValidateConfigResult(BaseModel):
    config_dir: str
    valid: bool
    environments: list[str]
    problems: list[ConfigProblem]
