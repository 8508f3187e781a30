"""User-facing errors: each carries one line that says what went wrong and where."""


class ReadingListError(Exception):
    """An error to show the user as one line, without a traceback."""


class ParseError(ReadingListError):
    """A file (or stdin) could not be parsed; names the source and line."""

    def __init__(self, source: str, message: str, line: int | None = None) -> None:
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {message}")
        self.source = source
        self.line = line
        self.notes: list[str] = []  # what was noted (skipped, guessed) before it failed


class LibraryError(ReadingListError):
    """The library on disk is damaged, locked, newer, or unreadable."""


class UnknownIdError(ReadingListError):
    """No paper (or more than one) matches an id prefix."""
