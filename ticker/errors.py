"""One exception family for the library; only the CLI turns them into exit codes."""

from __future__ import annotations


class TickerError(Exception):
    """Base of every error ticker raises on purpose."""


class InputError(TickerError):
    """Input that cannot be used at all: unreadable, a directory, binary data.

    Carries where it happened so the message can name the file and the position.
    """

    def __init__(
        self,
        reason: str,
        *,
        name: str = "<input>",
        line: int | None = None,
        column: int | None = None,
        byte: int | None = None,
    ) -> None:
        self.reason = reason
        self.name = name
        self.line = line
        self.column = column
        self.byte = byte
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.name
        if self.line is not None:
            where += f" at line {self.line}, column {self.column}"
        elif self.byte is not None:
            where += f" at byte {self.byte}"
        return f"{where}: {self.reason}"


class ProfileError(TickerError):
    """A profile file that is missing, not TOML, or has fields of the wrong shape."""


class StoreError(TickerError):
    """An archive that cannot be used: not an SQLite file, not ticker's, or from a newer ticker."""


class FilterError(TickerError, ValueError):
    """A feed filter (RSSHub's query parameters) that is malformed or too slow."""


class FetchError(InputError):
    """A URL that could not be fetched (timeout, HTTP error, too large, redirect loop)."""
