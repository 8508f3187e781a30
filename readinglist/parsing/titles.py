"""Readable titles for abstracts that come without one.

The name the abstract introduces ("We present ALLaM: Arabic Large Language
Model, ..."; "an approach termed PermLL") wins; else the phrase after "we
propose / present / introduce ..."; else the first clause. At most MAX_LENGTH
characters, shortened at a word boundary with "…".
"""

from __future__ import annotations

import re

MAX_LENGTH = 100
_SCAN = 4000  # only the opening of a long abstract is looked at
_SHORT_HEAD = 4  # words: "occupancy networks, a new representation ..." -> "X: A new ..."

_SENTENCE_END = re.compile(r"[.!?](?:\s+(?=[A-Z\"'(\d])|\s*$)")
_CONTRIBUTION = re.compile(
    r"\b(?:[Ww]e|paper|work|article|study)\s+(?:(?:first|also|further|then|here|now)\s+)?"
    r"(?:propose|present|introduce|develop|derive|design)s?\s+"
)
_SURVEY = re.compile(r"\b[Ww]e\s+survey\s+")
_COINED = re.compile(r"\s(?:called|termed|named|dubbed)\s+(\S+)")
_NEXT_VERB = re.compile(
    r"\s(?:and|to)\s+(?:provide|present|propose|introduce|show|demonstrate|discuss|evaluate"
    r"|analy[sz]e|promote|apply|study|develop|derive|design|offer|conduct|investigate"
    r"|explore|validate)s?\b"
)
_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+\{([^{}\\]*)\}")
_INTRO = re.compile(
    r"(?:In|With|Since|As|Despite|Although|While|Given|Due|Over|Recently|Nowadays|Today)\b"
)
_ARTICLES = ("", "a", "an", "the")
_CLAUSE_OPENERS = (
    "which ",
    "that ",
    "thus ",
    "where ",
    "while ",
    "whereas ",
    "i.e.",
    "e.g.",
    "including ",
    "such ",
)


def derive_title(abstract: str) -> str:
    """A short title for a paper known only by its abstract."""
    text = _LATEX_COMMAND.sub(r"\1", " ".join(abstract[:_SCAN].split()))
    sentences = _sentences(text)
    title = _from_contribution(sentences) or _first_clause(sentences[0] if sentences else "")
    return shorten(title or text)


def shorten(text: str, limit: int = MAX_LENGTH) -> str:
    """`text` cut at a word boundary to at most `limit` characters, with "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-(") + "…"


def _sentences(text: str) -> list[str]:
    """The sentences of `text`, without their final punctuation."""
    found, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        found.append(text[start : match.start()].strip())
        start = match.end()
    found.append(text[start:].strip())
    return [sentence for sentence in found if sentence]


def _from_contribution(sentences: list[str]) -> str | None:
    """The thing the abstract says it proposes, named if it is named."""
    candidates = sentences[:-1] if len(sentences) >= 3 else sentences
    for sentence in candidates:
        match = _CONTRIBUTION.search(sentence)
        if match:
            return _shape(sentence[match.end() :]) or None
        match = _SURVEY.search(sentence)
        if match:
            return "A survey of " + _cut_at_verb(sentence[match.end() :])
    return None


def _shape(phrase: str) -> str:
    """ "NAME: description" for a coined name, else the phrase's head."""
    coined = _COINED.search(phrase)
    if coined:
        name = coined[1].strip(",.;:()\"'")
        head = _cut_at_verb(phrase[: coined.start()])
        return f"{name}: {_capital(head)}" if head else name
    parts = _top_level_commas(_cut_at_verb(phrase))
    head = parts[0]
    if head.lower() in _ARTICLES:
        return _capital(_join_until_clause(parts))
    if ":" in head:
        return _capital(head)
    if len(parts) > 1 and len(head.split()) <= _SHORT_HEAD:
        extra = parts[1].strip()
        if extra and not extra.startswith(_CLAUSE_OPENERS) and not _is_participle(extra):
            return f"{_capital(head)}: {_capital(extra)}"
        return _capital(head)
    return _capital(_join_until_clause(parts))


def _first_clause(sentence: str) -> str:
    """The sentence without an introductory phrase or a trailing clause."""
    parts = _top_level_commas(sentence)
    if len(parts) > 1 and _INTRO.match(parts[0]) and len(parts[0].split()) <= 12:
        parts = parts[1:]
    return _capital(_join_until_clause(parts))


def _join_until_clause(parts: list[str]) -> str:
    """Comma-separated parts up to one that opens a subordinate clause."""
    kept = [parts[0]]
    for part in parts[1:]:
        bare = part.strip()
        if bare.startswith(_CLAUSE_OPENERS) or _is_participle(bare):
            break
        kept.append(part)
    return ", ".join(kept).strip()


def _top_level_commas(text: str) -> list[str]:
    """`text` split at commas outside parentheses and brackets."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(depth - 1, 0)
        elif char == "," and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return [part.strip() for part in parts] if len(parts) > 1 else [text.strip()]


def _cut_at_verb(phrase: str) -> str:
    """`phrase` up to "and provide ...", "to show ..." and the like."""
    match = _NEXT_VERB.search(phrase)
    return (phrase[: match.start()] if match else phrase).strip()


def _is_participle(text: str) -> bool:
    word = text.split(" ", 1)[0]
    return len(word) > 4 and word.endswith("ing") and word.islower()


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
