"""What can go wrong when asking a service, as one line for the user."""

from __future__ import annotations

from readinglist.errors import ReadingListError


class SourceError(ReadingListError):
    """A service could not answer: names the service and why (`kind` groups like failures)."""

    def __init__(self, label: str, kind: str, detail: str) -> None:
        super().__init__(f"{label} did not answer ({detail})")
        self.label = label
        self.kind = kind
        self.detail = detail

    @property
    def summary(self) -> str:
        """The same failure without per-request detail, for one line per kind."""
        return f"{self.label} did not answer ({self.detail})"
