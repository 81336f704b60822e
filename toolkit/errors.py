"""The one exception type for user mistakes and bad input.

Every door prints a `ToolkitError` as `error: <message>` and exits with code 2: no traceback
for something the user can fix. The message names the file, line and field at fault and, where
it can, what would be accepted instead.
"""

from __future__ import annotations


class ToolkitError(Exception):
    """A user-facing error: bad input, bad settings, a refused write."""

    exit_code = 2

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n  hint: {self.hint}"
