"""The one error every statement parser raises, so the inbox can quarantine with a reason."""

from __future__ import annotations

from os import PathLike


class StatementError(ValueError):
    """A statement file that cannot be imported as it is.

    Carries where (file, and a line number, CSV row or XML element path) and what was
    expected versus found, so the message tells an analyst what to fix in the file.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | PathLike[str] | None = None,
        location: str | None = None,
        expected: str | None = None,
        found: str | None = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.location = location
        self.expected = expected
        self.found = found
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ", ".join(part for part in (self.file, self.location) if part)
        text = f"{where}: {self.message}" if where else self.message
        details = []
        if self.expected is not None:
            details.append(f"expected {self.expected}")
        if self.found is not None:
            found = self.found if len(self.found) <= 80 else self.found[:77] + "..."
            details.append(f"found {found!r}")
        if details:
            text += " (" + "; ".join(details) + ")"
        return text

    def in_file(self, file: str | PathLike[str]) -> StatementError:
        """Return the same error naming `file`, for helpers that do not know the path."""
        if self.file is None:
            self.file = str(file)
            self.args = (str(self),)
        return self
