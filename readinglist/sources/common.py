"""Helpers every service module uses: statuses and JSON answers."""

from __future__ import annotations

import json

from readinglist.sources.config import SERVICES
from readinglist.sources.errors import SourceError
from readinglist.sources.http import Answer


def failure(service: str, answer: Answer) -> SourceError:
    """An answer that is neither a result nor "not found"."""
    return SourceError(SERVICES[service].label, "status", f"HTTP {answer.status}")


def json_body(service: str, answer: Answer):
    """The answer parsed as JSON; a SourceError when it is not JSON (cut off, an HTML page)."""
    try:
        return json.loads(answer.body)
    except ValueError:
        raise SourceError(
            SERVICES[service].label, "unreadable", "an answer that is not JSON"
        ) from None


def ok_json(service: str, answer: Answer, not_found=None):
    """JSON of a 200 answer; `not_found` for a 404; a SourceError for anything else."""
    if answer.status == 404:
        return not_found
    if answer.status != 200:
        raise failure(service, answer)
    return json_body(service, answer)
