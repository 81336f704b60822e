"""Reading and writing user files without losing anything.

Every writer in the toolkit (`fix`, `gen-tests`, `scaffold`, `new`) goes through
`write_text_atomic`: the new text goes to a temporary file in the same folder, is flushed to
disk and renamed over the target, so a crash leaves either the old file or the new one, never
half of each. `read_text_file` remembers the encoding, the byte-order mark and the line ending,
and `write_text_atomic(..., like=...)` writes them back the same way, keeping the file mode.
"""

from __future__ import annotations

import codecs
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["SourceFile", "UnreadableFileError", "read_text_file", "write_text_atomic"]


class UnreadableFileError(Exception):
    """The file is binary, not text in its declared encoding, or cannot be opened."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = Path(path)
        self.reason = reason


@dataclass(frozen=True)
class SourceFile:
    """A text file as read from disk: its text with `\\n` newlines, and how to write it back."""

    path: Path
    text: str
    encoding: str = "utf-8"
    bom: bool = False
    newline: str = "\n"
    mode: int | None = None

    def restore_newlines(self, text: str) -> str:
        """`text` with `\\n` turned back into this file's own line ending."""
        return text if self.newline == "\n" else text.replace("\n", self.newline)


def _detect_newline(raw: str) -> str:
    crlf = raw.count("\r\n")
    lf = raw.count("\n") - crlf
    if crlf and crlf >= lf:
        return "\r\n"
    if not crlf and not lf and "\r" in raw:
        return "\r"
    return "\n"


def read_text_file(path: Path | str, *, encoding: str = "utf-8") -> SourceFile:
    """Read `path` as text, normalising newlines to `\\n` and recording what was there."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFileError(path, exc.strerror or str(exc)) from exc
    if b"\x00" in data[:8192]:
        raise UnreadableFileError(path, "binary file (contains NUL bytes)")
    bom = data.startswith(codecs.BOM_UTF8)
    if bom:
        data = data[len(codecs.BOM_UTF8) :]
    try:
        raw = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise UnreadableFileError(
            path, f"not valid {encoding} (byte {exc.start}: {data[exc.start : exc.start + 1]!r})"
        ) from exc
    newline = _detect_newline(raw)
    text = raw.replace("\r\n", "\n").replace("\r", "\n") if newline != "\n" else raw
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mode = None
    return SourceFile(path, text, encoding, bom, newline, mode)


def write_text_atomic(
    path: Path | str,
    text: str,
    *,
    like: SourceFile | None = None,
    encoding: str = "utf-8",
    newline: str = "\n",
    mode: int | None = None,
) -> None:
    """Write `text` (with `\\n` newlines) to `path` through a temporary file and a rename.

    With `like`, the encoding, BOM, line ending and mode of that earlier read are kept.
    """
    # Write through a symbolic link to the file it names, as an editor does: renaming over the
    # link itself would replace the link with a regular file and leave its target unchanged.
    path = Path(os.path.realpath(path)) if Path(path).is_symlink() else Path(path)
    if like is not None:
        encoding, newline = like.encoding, like.newline
        mode = like.mode if mode is None else mode
    data = text.replace("\n", newline) if newline != "\n" else text
    payload = data.encode(encoding)
    if like is not None and like.bom:
        payload = codecs.BOM_UTF8 + payload
    if mode is None and path.exists():
        mode = stat.S_IMODE(path.stat().st_mode)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp_name, mode)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp_name, 0o666 & ~umask)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
