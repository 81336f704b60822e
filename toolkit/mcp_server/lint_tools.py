"""The lint tools (`lint`, `fix`, `explain_rule`) and the rule catalogue: thin calls into the
runner `toolkit lint`/`fix` use (`codemods.runner.run` and `run_text`).

Each function takes the `Workspace` the call may touch and plain arguments, and returns a
model from `toolkit.mcp_server.models`; a user mistake is a `ToolkitError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from toolkit.errors import ToolkitError
from toolkit.mcp_server import models
from toolkit.mcp_server.workspace import Workspace

UNTITLED = "untitled.py"
# One process: the runner's worker pool forks, and forking a threaded server (the SDK runs
# each tool on a worker thread next to the event loop) can copy a lock another thread holds.
JOBS = 1


def _one_input(path: str | None, source: str | None) -> None:
    if (path is None) == (source is None):
        raise ToolkitError("give either `path` (a file or folder) or `source` (Python text)")


def _settings(start: Path, select: Any, extend_select: Any, ignore: Any) -> Any:
    from codemods.settings import resolve_settings, split_codes

    return resolve_settings(
        start,
        select=split_codes(select),
        extend_select=split_codes(extend_select),
        ignore=split_codes(ignore),
    )


def _source_name(workspace: Workspace, filename: str | None) -> Path:
    """Where `source` text is taken to live (settings, per-file ignores, notebook kind)."""
    return workspace.resolve(filename or UNTITLED, field="filename", must_exist=False)


def _diagnostics(findings: Sequence[Any]) -> list[models.Diagnostic]:
    ordered = sorted(findings, key=lambda finding: finding.sort_key())
    return [models.Diagnostic.model_validate(finding.to_dict()) for finding in ordered]


def lint(
    workspace: Workspace,
    *,
    path: str | None = None,
    source: str | None = None,
    filename: str | None = None,
    select: Sequence[str] | None = None,
    extend_select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
) -> models.LintResult:
    """Findings for a file or folder in the workspace, or for `source` text."""
    from codemods.discovery import discover_files
    from codemods.formats import summary_line
    from codemods.runner import RunOptions, run, run_text

    _one_input(path, source)
    options = RunOptions(mode="lint", need_edits=True, jobs=JOBS)
    if source is not None:
        name = _source_name(workspace, filename)
        settings = _settings(name.parent, select, extend_select, ignore)
        result, _ = run_text(source, str(name), settings, options=options)
        results = [result]
    else:
        target = workspace.resolve(path, field="path")  # type: ignore[arg-type]
        settings = _settings(target, select, extend_select, ignore)
        files = discover_files([target], settings)
        results = run(files, settings, options=options).files
    findings = [finding for result in results for finding in result.findings]
    diagnostics = _diagnostics(findings)
    return models.LintResult(
        diagnostics=diagnostics,
        files=len(results),
        fixable=sum(1 for d in diagnostics if d.fix is not None),
        summary=summary_line(sorted(findings, key=lambda f: f.sort_key())),
    )


def fix(
    workspace: Workspace,
    *,
    path: str | None = None,
    source: str | None = None,
    filename: str | None = None,
    unsafe_fixes: bool = False,
    write: bool = False,
    select: Sequence[str] | None = None,
    extend_select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
) -> models.FixResult:
    """The fixed text and diff; the files are written only with `write`."""
    from codemods.runner import RunOptions

    _one_input(path, source)
    preview = RunOptions(
        mode="fix", unsafe_fixes=unsafe_fixes, write=False, need_edits=True, jobs=JOBS
    )
    if source is not None:
        if write:
            raise ToolkitError("write: `source` text has no file to write; give `path` instead")
        name = _source_name(workspace, filename)
        settings = _settings(name.parent, select, extend_select, ignore)
        return _fix_text(source, name, settings, preview)
    target = workspace.resolve(path, field="path")  # type: ignore[arg-type]
    settings = _settings(target, select, extend_select, ignore)
    if target.is_file():
        from toolkit.textio import UnreadableFileError, read_text_file

        try:
            text = read_text_file(target).text
        except (UnreadableFileError, OSError) as error:
            raise ToolkitError(f"path: {path}: cannot be read: {error}") from error
        result = _fix_text(text, target, settings, preview)
    else:
        result = _fix_folder(target, settings, preview)
    if write and result.files:
        _write_fixes(target, settings, result, unsafe_fixes=unsafe_fixes)
    return result


def _fix_text(text: str, name: Path, settings: Any, options: Any) -> models.FixResult:
    from codemods.formats import summary_line
    from codemods.runner import run_text

    result, fixed_text = run_text(text, str(name), settings, options=options)
    files = []
    if result.changed:
        fixed = dict(sorted(result.fixed.items()))
        files.append(
            models.FixedFile(path=result.path, fixed=fixed, diff=result.diff, written=False)
        )
    applied = sum(result.fixed.values()) if result.changed else 0
    return models.FixResult(
        fixed_text=fixed_text,
        files=files,
        remaining=_diagnostics(result.findings),
        summary=summary_line(result.findings, fixed=applied),
    )


def _fix_folder(folder: Path, settings: Any, options: Any) -> models.FixResult:
    from codemods.discovery import discover_files
    from codemods.formats import summary_line
    from codemods.runner import run

    report = run(discover_files([folder], settings), settings, options=options)
    files = [
        models.FixedFile(
            path=r.path, fixed=dict(sorted(r.fixed.items())), diff=r.diff, written=False
        )
        for r in report.changed_files
    ]
    findings = report.findings
    applied = sum(sum(r.fixed.values()) for r in report.changed_files)
    return models.FixResult(
        fixed_text=None,
        files=files,
        remaining=_diagnostics(findings),
        summary=summary_line(sorted(findings, key=lambda f: f.sort_key()), fixed=applied),
    )


def _write_fixes(target: Path, settings: Any, result: models.FixResult, *, unsafe_fixes: bool):
    """Write through the runner, which keeps encodings and refuses a file changed meanwhile."""
    from codemods.runner import RunOptions, run

    options = RunOptions(
        mode="fix", unsafe_fixes=unsafe_fixes, write=True, need_edits=True, jobs=JOBS
    )
    changed = {file.path: file for file in result.files}
    # Only the files the preview changed; their shown paths are relative to the working folder.
    paths = [target] if target.is_file() else [Path(shown) for shown in changed]
    for written in run(paths, settings, options=options).files:
        entry = changed.get(written.path)
        if entry is None:
            continue
        entry.written = written.changed and written.refused is None
        entry.refused = written.refused


def rule_docs(rules: Sequence[Any]) -> list[models.RuleDoc]:
    import json

    from codemods.formats.rule_docs import rule_json

    return [models.RuleDoc.model_validate(entry) for entry in json.loads(rule_json(rules))]


def explain_rule(code: str) -> models.RuleDoc:
    """A rule's documentation, as `toolkit rule CODE` prints it."""
    from codemods.rule_lookup import find_rule

    return rule_docs([find_rule(code, field="code")])[0]


def rule_catalogue() -> str:
    """Every rule as JSON (`toolkit rule --all --format json`): the rules resource."""
    from codemods.formats.rule_docs import rule_json
    from codemods.rules import all_rules

    return rule_json(all_rules())
