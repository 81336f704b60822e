"""Where the MCP tools may read and write: the client's workspace roots, else the server's
working folder.

An assistant names paths on the user's behalf; a path that leaves the folders the user opened
(`../../etc`, an absolute path elsewhere, a symlink pointing out) is refused before anything
is read or written. Pure apart from resolving symlinks; no MCP types here, so it is tested
directly and the server only hands it the roots' URIs.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from toolkit.errors import ToolkitError


def roots_from_uris(uris: Iterable[str]) -> tuple[Path, ...]:
    """The folders of the `file://` root URIs (others, like `https://`, name no folder)."""
    folders = []
    for uri in uris:
        parsed = urlparse(str(uri))
        if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
            continue
        folders.append(Path(unquote(parsed.path)).resolve())
    return tuple(folders)


@dataclass(frozen=True)
class Workspace:
    """The folders a tool call may touch; `roots[0]` is where relative paths start."""

    roots: tuple[Path, ...]
    declared: bool  # True: the client's roots; False: the server's own (--root or cwd)

    @classmethod
    def of(cls, root_uris: Iterable[str] | None, *, default: Iterable[Path] = ()) -> Workspace:
        """The client's roots when it declared any folder, else `default` (`toolkit mcp
        --root`), else the server's working folder."""
        folders = roots_from_uris(root_uris or ())
        if folders:
            return cls(folders, declared=True)
        fallback = tuple(Path(folder).resolve() for folder in default) or (Path.cwd().resolve(),)
        return cls(fallback, declared=False)

    @property
    def base(self) -> Path:
        return self.roots[0]

    def describe(self) -> str:
        names = ", ".join(str(root) for root in self.roots)
        return (
            f"the workspace roots ({names})" if self.declared else f"the server's folders ({names})"
        )

    def resolve(self, path: str, *, field: str, must_exist: bool = True) -> Path:
        """`path` (relative to the first root, or absolute) as an absolute path inside the
        workspace; a `ToolkitError` naming `field` when it is outside or does not exist."""
        if not isinstance(path, str) or not path.strip():
            raise ToolkitError(f"{field}: give a path (relative to {self.base}, or absolute)")
        given = Path(os.path.expanduser(path.strip()))
        absolute = given if given.is_absolute() else self.base / given
        # Symlinks and `..` are resolved first: what counts is where the path really leads.
        real = absolute.resolve()
        if not any(real == root or real.is_relative_to(root) for root in self.roots):
            raise ToolkitError(
                f"{field}: {path} is outside {self.describe()}; "
                "only paths inside the workspace can be read or written"
            )
        if must_exist and not real.exists():
            raise ToolkitError(f"{field}: {path}: no such file or folder (looked at {real})")
        return real

    def resolve_optional(self, path: str | None, *, field: str) -> Path:
        """`resolve(path)`, or the first root when no path is given."""
        if path is None or not path.strip():
            return self.base
        return self.resolve(path, field=field)
