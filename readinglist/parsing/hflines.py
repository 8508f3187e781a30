"""What each line of a copied Daily Papers page is: chrome, metadata, or text.

Chrome is whatever the site shows around the papers: navigation, headings,
"Paper page" links, "Submitted by ..." lines, counters and sign-in prompts.
It is recognised by what it says (one table), never by where it stands, so
it is skipped wherever a browser or page revision puts it.
"""

from __future__ import annotations

import re

from readinglist.parsing.dates import month_number

# Lines the site shows around the papers, compared case-folded.
CHROME_LINES = frozenset(
    """
    hugging face|hugging face's logo|models|datasets|spaces|buckets|posts|docs|enterprise
    |pricing|log in|login|sign up|sign in|community|collections|papers|daily papers
    |trending papers|new|subscribe|get trending papers in your email inbox!|paper page
    |view paper page|submitted by|upvote|upvotes|daily|weekly|monthly|search
    |submit paper|submit a paper|system theme|website|company|tos|privacy|about|jobs
    |terms of service|status|learn|discord|forum|github|solutions|inference providers
    |join the community|follow|share|copy link|view pdf|more|show more|show less
    |previous|next|today|yesterday
    """.replace("\n", "").split("|")
)
CHROME_LINES = frozenset(line.strip() for line in CHROME_LINES)
CHROME_PATTERNS = (
    re.compile(r"by ?ak(?: and| &)? the research community", re.IGNORECASE),
    re.compile(r"submitted by\b.*", re.IGNORECASE),
    re.compile(r"(?:log ?in|sign ?in|sign ?up)\b.{0,60}", re.IGNORECASE),
    re.compile(r"[↑▲•·#]? ?\d[\d,.]*[km]?(?: (?:upvotes?|comments?|views?|likes?))?", re.I),
    re.compile(r"(?:see|join|subscribe|get) .{0,40}(?:inbox|newsletter|community)!?", re.I),
)
DOT = "·"
SHORT = 40  # metadata lines are never longer than this
_CHROME_LONGEST = 80
AUTHORS = re.compile(r"(?:[•·] *)?(\d{1,6}) +authors?")
DATE_LINE = re.compile(r"([A-Za-z]{3,9})\.? +(\d{1,2})(?:, *(\d{4}))?(?: +(\d{1,9}))?")
_SENTENCE_END = re.compile(r"[.!?…][\"')\]]*$")
_PROSE_WORDS = 8
_PROSE_CHARS = 120


def metadata(line: str) -> str | None:
    """ "authors", "dot" or "date" for a metadata line, else None."""
    if len(line) > SHORT:
        return None
    if line == DOT:
        return "dot"
    if AUTHORS.fullmatch(line):
        return "authors"
    match = DATE_LINE.fullmatch(line)
    if match and month_number(match[1]):
        return "date"
    return None


def is_chrome(line: str) -> bool:
    """Whether a line is site chrome (navigation, headings, counters, prompts)."""
    if len(line) > _CHROME_LONGEST:
        return False
    if line.casefold() in CHROME_LINES:
        return True
    return any(pattern.fullmatch(line) for pattern in CHROME_PATTERNS)


def classify(line: str) -> str | None:
    """ "chrome", "authors", "dot" or "date" for a non-paper line, else None."""
    return metadata(line) or ("chrome" if is_chrome(line) else None)


def is_prose(line: str) -> bool:
    """Whether a line reads as a paragraph (an abstract), not a label.

    Only used for papers without metadata lines, to tell a title and abstract
    pair from navigation; which of two lines is the title is told by position.
    """
    if len(line) >= _PROSE_CHARS or _SENTENCE_END.search(line):
        return True
    return len(line.split()) >= _PROSE_WORDS
