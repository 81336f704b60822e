"""The multi-file run every door shares (`toolkit lint`/`fix`, the pre-commit hooks).

Reads each file (TK002 when it cannot), maps notebooks to Python and findings back to cells,
lints or fixes through the pure engine, caches results per file, and spreads the files that
are not cached over worker processes when there are enough of them to be worth it. Nothing a
file contains stops the run: every other file is still linted.
"""

from __future__ import annotations

import ast
import codecs
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from codemods.engine.types import Diagnostic, Position
from codemods.findings import (
    Finding,
    cache_entry,
    deferred_entry,
    finding_from_dict,
    mapped_findings,
    settled,
    unreadable,
)
from codemods.settings import Settings

# Below this many files to lint, one process wins: forking and sending results costs more.
PARALLEL_THRESHOLD = 30
_SUFFIXES_NOTEBOOK = ".ipynb"


@dataclass
class FileResult:
    """What one file produced: its findings, and for `fix` what changed."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    cached: bool = False
    fixed: Counter[str] = field(default_factory=Counter)  # code -> fixes applied
    changed: bool = False
    diff: str = ""
    refused: str | None = None  # why a fixed text was not written
    unfixed: list[Finding] = field(default_factory=list, repr=False)  # before fixing


@dataclass(frozen=True)
class RunOptions:
    """How to run: `lint` only reports; `fix` applies fixes (`write=False`: only a diff)."""

    mode: Literal["lint", "fix"] = "lint"
    unsafe_fixes: bool = False
    write: bool = True
    use_cache: bool = True
    jobs: int | None = None  # None: decide from the machine and the number of files
    # Whether the caller prints fix edits (JSON, SARIF). When not, costly fixes (libcst) are
    # never computed: their findings keep a fix with its title and no edits, enough for `[*]`.
    need_edits: bool = True


@dataclass
class RunReport:
    files: list[FileResult]

    @property
    def findings(self) -> list[Finding]:
        return [finding for result in self.files for finding in result.findings]

    @property
    def internal_errors(self) -> int:
        return sum(1 for finding in self.findings if finding.diagnostic.code == "TK999")

    @property
    def fixed(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for result in self.files:
            total.update(result.fixed)
        return total

    @property
    def changed_files(self) -> list[FileResult]:
        return [result for result in self.files if result.changed]


def display_path(path: Path | str) -> str:
    """`path` relative to the working folder when it is inside it, else absolute (posix)."""
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute, os.getcwd())
    shown = absolute if relative.startswith("..") else relative
    return shown.replace(os.sep, "/")


def registry_pairs() -> tuple[tuple[str, bool], ...]:
    """The registry's `(code, opt_in)` pairs, what the settings resolver selects from."""
    from codemods.rules import all_rules

    return tuple((rule.code, bool(rule.opt_in)) for rule in all_rules())


def run(paths: Sequence[Path | str], settings: Settings, *, options: RunOptions) -> RunReport:
    """Lint or fix `paths` (files, already discovered), returning results in path order.

    Raises `ToolkitError` for settings that name unknown rules, before any file is read.
    """
    pairs = registry_pairs()
    settings.validate_codes(code for code, _ in pairs)
    job = _Job(settings, pairs, options)
    results: dict[int, FileResult] = {}
    pending: list[tuple[int, str, str, str | None]] = []  # index, path, display, cache key
    for index, path in enumerate(paths):
        shown = display_path(path)
        key = None
        if job.cache is not None:
            try:
                data = Path(path).read_bytes()
            except OSError:
                data = None
            if data is not None:
                key = job.cache.key(data, shown)
                cached = job.from_cache(key, shown)
                if cached is not None:
                    results[index] = cached
                    continue
        pending.append((index, str(path), shown, key))
    for index, result in _process_all(job, pending):
        results[index] = result
    return RunReport([results[index] for index in range(len(paths))])


def run_text(
    text: str, filename: str, settings: Settings, *, options: RunOptions
) -> tuple[FileResult, str]:
    """Lint or fix text from standard input as if it were `filename`: (result, fixed text)."""
    pairs = registry_pairs()
    settings.validate_codes(code for code, _ in pairs)
    once = replace(options, write=False, use_cache=False)
    job = _Job(settings, pairs, once)
    shown = display_path(filename)
    result, fixed_text = job.process_text(text, filename, shown)
    if result.changed:
        result.diff = _unified_diff(text, fixed_text, shown)
    result.findings = settled(result.findings, need_edits=options.need_edits)
    return result, fixed_text


def run_stdin(
    data: bytes, filename: str, settings: Settings, *, options: RunOptions
) -> tuple[FileResult, bytes]:
    """Lint or fix the bytes of standard input as if they were the file `filename`.

    Decoded exactly as a file is (BOM, CRLF, TK002 for bytes that are not UTF-8 text); the
    fixed text comes back as bytes with the input's own BOM and line endings.
    """
    shown = display_path(filename)
    source = decode_source(data, filename)
    if isinstance(source, str):
        pairs = registry_pairs()
        settings.validate_codes(code for code, _ in pairs)
        return FileResult(shown, [unreadable(shown, source)]), data
    result, fixed_text = run_text(source.text, filename, settings, options=options)
    if not result.changed:
        return result, data
    payload = source.restore_newlines(fixed_text).encode(source.encoding)
    return result, (codecs.BOM_UTF8 if source.bom else b"") + payload


def decode_source(data: bytes, filename: str) -> Any:
    """`data` as a `SourceFile` decoded like `read_text_file` does, or why it cannot be."""
    # `read_text_file` is the one decoder; give it the bytes through a private temporary file
    # so standard input and files can never be decoded differently.
    import tempfile

    from toolkit.textio import SourceFile, UnreadableFileError, read_text_file

    with tempfile.TemporaryDirectory(prefix="toolkit-stdin-") as folder:
        temporary = Path(folder) / (Path(filename).name or "stdin.py")
        temporary.write_bytes(data)
        try:
            read = read_text_file(temporary)
        except UnreadableFileError as error:
            return error.reason
    return SourceFile(Path(filename), read.text, read.encoding, read.bom, read.newline, None)


# ---- one file --------------------------------------------------------------------------


class _Job:
    """Everything a worker needs to process a file; inherited by forked workers."""

    def __init__(
        self, settings: Settings, pairs: tuple[tuple[str, bool], ...], options: RunOptions
    ):
        self.settings = settings
        self.pairs = pairs
        self.options = options
        self.cache = _make_cache(settings, pairs) if options.use_cache else None

    def from_cache(self, key: str, shown: str) -> FileResult | None:
        entries = self.cache.get(key) if self.cache is not None else None
        if entries is None:
            return None
        if self.options.need_edits and any(deferred_entry(entry) for entry in entries):
            return None  # the edits were never computed: lint again to have them
        findings = [finding_from_dict(entry, shown) for entry in entries]
        if self.options.mode == "fix" and any(self._wanted_fix(f.diagnostic) for f in findings):
            return None  # something to fix: the file must be read and rewritten
        return FileResult(shown, findings, cached=True)

    def process(self, path: str, shown: str, key: str | None) -> FileResult:
        from toolkit.textio import UnreadableFileError, read_text_file

        try:
            stamp = _stamp(path)
            source = read_text_file(path)
        except (UnreadableFileError, OSError) as error:
            return FileResult(shown, [unreadable(shown, getattr(error, "reason", str(error)))])
        try:
            result, new_text = self.process_text(source.text, path, shown)
        except Exception as error:  # the engine failed outside any rule: still a finding
            message = f"Internal error while linting: {type(error).__name__}: {error}"
            tk999 = Diagnostic("TK999", "internal-error", message, "error", _TOP, _TOP)
            return FileResult(shown, [Finding(shown, None, tk999)])
        if result.changed:
            if not self.options.write:
                result.diff = _unified_diff(source.text, new_text, shown)
            else:
                self._write(path, new_text, source, stamp, result)
        elif key is not None and self.cache is not None:
            if self.options.need_edits:  # computed now anyway: cache them with their edits
                result.findings = settled(result.findings, need_edits=True)
            self.cache.put(key, [cache_entry(finding) for finding in result.findings])
        result.findings = settled(result.findings, need_edits=self.options.need_edits)
        return result

    def _write(self, path: str, text: str, source: Any, stamp: tuple[int, int], result) -> None:
        """Write the fixed text, unless the file changed since it was read (an editor saved
        it meanwhile): the user's text wins, and the result says why nothing was written."""
        from toolkit.textio import write_text_atomic

        try:
            if _stamp(path) != stamp:
                result.refused = "the file changed while it was being fixed; run fix again"
            else:
                write_text_atomic(path, text, like=source)
        except OSError as error:
            result.refused = f"cannot write it: {error.strerror or error}"
        if result.refused:  # nothing was fixed after all: the findings are the original ones
            result.changed, result.fixed, result.findings = False, Counter(), result.unfixed

    def process_text(self, text: str, path: str, shown: str) -> tuple[FileResult, str]:
        """Findings for one text (and the fixed text in `fix` mode)."""
        from codemods.notebooks import NotebookError, parse_ipynb

        notebook = None
        python_text = text
        if path.endswith(_SUFFIXES_NOTEBOOK):
            try:
                notebook = parse_ipynb(text, path=shown)
            except NotebookError as error:
                return FileResult(shown, [unreadable(shown, error.reason, error)]), text
            python_text = notebook.view.python_text
        per_file = self.settings.lint_settings_for(path, python_text, self.pairs)
        if notebook is not None:  # rules that need cells or magics (DBX204, DBX208) read it
            per_file = replace(per_file, notebook=notebook.view)
        if notebook is not None:
            per_file = replace(per_file, notebook=notebook.view)
        from codemods.engine import fix, lint

        diagnostics = lint(python_text, shown, per_file)
        by_cell = None
        if any(d.code == "TK001" for d in diagnostics):
            by_cell = _lint_cell_by_cell(python_text, path, shown, per_file, notebook)
        if by_cell is not None:
            result = FileResult(shown, mapped_findings(by_cell, shown, notebook))
            if self.options.mode == "fix" and any(self._wanted_fix(d) for d in by_cell):
                result.refused = "a cell does not parse (TK001); fix it first"
            return result, text
        result = FileResult(shown, mapped_findings(diagnostics, shown, notebook))
        if self.options.mode != "fix" or not any(self._wanted_fix(d) for d in diagnostics):
            return result, text
        fixed = fix(python_text, shown, per_file, unsafe=self.options.unsafe_fixes)
        if not fixed.changed or not _parses(fixed.source, shown):
            return result, text
        new_text = fixed.source
        if notebook is not None:
            if notebook.upgraded:
                result.refused = "nbformat 3 notebooks are linted but not fixed"
                return result, text
            try:
                new_text = notebook.with_python_text(fixed.source)
                notebook = parse_ipynb(new_text, path=shown)
            except NotebookError as error:
                result.refused = error.reason
                return result, text
        before = Counter(d.code for d in diagnostics)
        after = Counter(d.code for d in fixed.diagnostics)
        result.fixed = before - after
        result.unfixed = result.findings
        result.findings = mapped_findings(fixed.diagnostics, shown, notebook)
        result.changed = new_text != text
        return result, new_text

    def _wanted_fix(self, diagnostic: Diagnostic) -> bool:
        found = diagnostic.fix
        return found is not None and (found.is_safe or self.options.unsafe_fixes)


_TOP = Position(1, 1)


def _lint_cell_by_cell(
    python_text: str, path: str, shown: str, per_file: Any, notebook: Any
) -> list[Diagnostic] | None:
    """A notebook whose Python text does not parse, linted without the cells that do not
    parse on their own: one TK001 per such cell, and the other cells' findings (together, so
    an import in one cell still counts in the next). None when not a notebook, or when no
    single cell is to blame. Every text keeps the notebook's line numbers, so findings map to
    cells as usual."""
    from codemods.engine import lint
    from codemods.notebooks import (
        blank_lines,
        cell_line_spans,
        is_databricks_notebook,
        parse_source_notebook,
    )

    if notebook is not None:
        view = notebook.view
    elif path.endswith(".py") and is_databricks_notebook(python_text):
        view = parse_source_notebook(python_text)
    else:
        return None
    broken: dict[int, str] = {}  # cell -> the text with only that cell
    for cell, lines in cell_line_spans(python_text, view).items():
        alone = blank_lines(python_text, keep=lines)
        if not _parses(alone, shown):
            broken[cell] = alone
    if not broken:
        return None
    spans = cell_line_spans(python_text, view)
    dropped = {line for cell in broken for line in spans[cell]}
    rest = blank_lines(python_text, drop=dropped)
    if not _parses(rest, shown):
        return None
    diagnostics = list(lint(rest, shown, per_file))
    for cell, alone in broken.items():
        # A name that is no file: Python would read the notebook's JSON from disk to place
        # the error's column, and get it wrong.
        syntax = lint(alone, f"<{shown} cell {cell}>", per_file)
        diagnostics.extend(d for d in syntax if d.code == "TK001")
    diagnostics.sort(key=Diagnostic.sort_key)
    return diagnostics


def _make_cache(settings: Settings, pairs: tuple[tuple[str, bool], ...]):
    from codemods.lint_cache import LintCache, code_fingerprint, project_index_hash

    codes = settings.enabled_codes(settings.root / "pyproject.toml", pairs)
    index = project_index_hash(
        config_folder=settings.config_folder, test_folders=settings.tests, codes=codes
    )
    run_key = "|".join((settings.fingerprint(), code_fingerprint(c for c, _ in pairs), index))
    return LintCache(settings.root, run_key)


def _stamp(path: str) -> tuple[int, int]:
    status = os.stat(path)
    return status.st_mtime_ns, status.st_size


def _parses(text: str, shown: str) -> bool:
    try:
        ast.parse(text, filename=shown)
    except (SyntaxError, ValueError):
        return False
    return True


def _unified_diff(old: str, new: str, shown: str) -> str:
    import difflib

    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{shown}", f"b/{shown}"
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


# ---- many files ------------------------------------------------------------------------

_worker_job: _Job | None = None


def _process_all(job: _Job, pending: list[tuple[int, str, str, str | None]]):
    workers = _worker_count(job.options.jobs, len(pending))
    if workers <= 1:
        for index, path, shown, key in pending:
            yield index, job.process(path, shown, key)
        return
    global _worker_job
    _worker_job = job  # forked workers inherit it: no pickling of settings or rules
    chunk = max(4, min(64, len(pending) // (workers * 4) or 1))
    import multiprocessing

    context = multiprocessing.get_context("fork")
    try:
        with context.Pool(workers) as pool:
            yield from pool.imap_unordered(_process_in_worker, pending, chunksize=chunk)
    finally:
        _worker_job = None


def _process_in_worker(item: tuple[int, str, str, str | None]) -> tuple[int, FileResult]:
    index, path, shown, key = item
    assert _worker_job is not None
    return index, _worker_job.process(path, shown, key)


def _worker_count(requested: int | None, files: int) -> int:
    if requested is not None:
        return max(1, min(requested, files))
    if files <= PARALLEL_THRESHOLD:
        return 1
    import threading

    if threading.active_count() > 1:
        # Forking a threaded process (a language server, a test session running Spark's
        # py4j threads) can leave a lock held forever in the child: stay in one process.
        return 1
    import multiprocessing  # only for runs big enough to spread

    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(os.cpu_count() or 1, files // PARALLEL_THRESHOLD + 1))
