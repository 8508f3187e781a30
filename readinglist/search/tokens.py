"""Tokens, word variants, typo distance and acronym definitions: pure text helpers."""

from __future__ import annotations

import re
from collections.abc import Callable

from readinglist.model import normalise

_WORD = re.compile(r"[^\W_]+")
_DEFINITION = re.compile(r"\(\s*([A-Za-z][A-Za-z0-9-]{1,11})\s*\)")

_STOPWORDS = """a an and are as at be by for from has have in into is it its of on or our
that the their this to via was we were which with you all"""
STOPWORDS = frozenset(_STOPWORDS.split())


_ASCII = bytes(ord(chr(i).lower()) if chr(i).isalnum() else 32 for i in range(128)) + bytes(128)


def tokens(text: str) -> list[str]:
    """Lower-case word tokens of `text`, accents folded (fast path for ASCII)."""
    if text.isascii():
        return text.encode().translate(_ASCII).decode().split()
    return normalise(text).split()


def token_spans(text: str) -> list[tuple[str, int, int]]:
    """Each word of `text` with its character span, as `tokens` would fold it."""
    result = []
    for match in _WORD.finditer(text):
        word = match.group()
        folded = word.lower() if word.isascii() else normalise(word)
        for part in folded.split() or [""]:
            if part:
                result.append((part, match.start(), match.end()))
    return result


def stem(token: str) -> str:
    """A crude singular: drop a plural `s` (not `ss`) from words over 3 letters."""
    if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
        return token[:-1]
    return token


def variants(word: str) -> tuple[str, ...]:
    """The word and its plural/singular forms, which count as exact matches."""
    forms = [word, word + "s"]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        forms.append(word[:-1])
    if len(word) > 4 and word.endswith("es"):
        forms.append(word[:-2])
    return tuple(dict.fromkeys(forms))


def max_typos(word: str) -> int:
    """Edits a word may have and still match: none under 4 letters, 2 from 8."""
    if len(word) < 4:
        return 0
    return 1 if len(word) < 8 else 2


def _long_form(short: str, before: str) -> str | None:
    """Schwartz-Hearst: the words before `(short)` whose letters spell it."""
    letters = [c.lower() for c in short if c.isalnum()]
    most = min(len(letters) + 5, 2 * len(letters))
    words = before.rsplit(None, most)[-most:]  # (the last words: split from the right)
    tail = words[-len(letters) :]
    if len(tail) == len(letters) and all(
        w[:1].lower() == c for w, c in zip(tail, letters, strict=True)
    ):
        return " ".join(tail)
    text = " ".join(words)
    low = text.lower() if text.isascii() else "".join(_one_lower(c) for c in text)
    end = len(text)
    for c in reversed(letters[1:]):  # each letter backwards from the last, anywhere
        end = low.rfind(c, 0, end)
        if end < 0:
            return None
    start = low.rfind(letters[0], 0, end)  # ... and the first at a word's start
    while start > 0 and text[start - 1].isalnum():
        start = low.rfind(letters[0], 0, start)
    return None if start < 0 else text[text.rfind(" ", 0, start) + 1 :]


def _one_lower(c: str) -> str:
    """A character lower-cased alone (NUL where that gives more than one: it spells nothing)."""
    low = c.lower()
    return low if len(low) == 1 else "\0"


def acronym_key(short: str) -> str | None:
    """The lookup key of a defined acronym (`GANs` -> `gan`), or None if not one."""
    core = short[:-1] if short.endswith("s") and short[:-1].upper() == short[:-1] else short
    if sum(c.isupper() for c in core) < 2 or len(core) > 10:
        return None
    return core.lower().replace("-", "")


def definitions(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """Acronyms defined in `text` as `Long Form (LF)`: (key, long-form tokens)."""
    found = []
    for match in _DEFINITION.finditer(text):
        key = acronym_key(match.group(1))
        if key is None:
            continue
        long = _long_form(match.group(1), text[max(0, match.start() - 200) : match.start()])
        words = tuple(stem(t) for t in tokens(long or ""))
        if 2 <= len(words) <= 2 * len(key) and words[0][0] == key[0]:
            found.append((key, words))
    return found


def phrase_pattern(words: tuple[str, ...], plural: bool = False) -> re.Pattern[str]:
    """A regex finding the words in sequence, separated by any non-word text."""
    ending = "(?:s|es)?" if plural else ""
    body = r"[\W_]+".join(re.escape(w) + ending for w in words)
    return re.compile(rf"(?<![^\W_]){body}(?![^\W_])", re.IGNORECASE)


def phrase_finder(words: tuple[str, ...], plural: bool = False) -> Callable[[str], bool]:
    """A fast test: does a text contain the words in sequence (as whole words)?"""
    ending = "(?:s|es)?" if plural else ""
    body = r"[\W_]+".join(re.escape(w) + ending for w in words)
    pattern = re.compile(body + r"(?![^\W_])")

    def found(text: str) -> bool:
        folded = text.lower() if text.isascii() else normalise(text)
        for match in pattern.finditer(folded):
            start = match.start()
            if start == 0 or not (folded[start - 1].isalnum() or folded[start - 1] == "_"):
                return True
        return False

    return found
