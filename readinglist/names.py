"""Personal names with their parts: BibTeX's rules, display strings, both ways.

A `Name` holds given names, family name, particle ("van", "Van den", "de la"),
suffix ("Jr", "III") or, for an organisation, one `literal` string.

- `parse_bibtex_names(text)` reads an `author`/`editor` field as BibTeX does:
  names separated by " and " outside braces, each written "First von Last",
  "von Last, First" or "von Last, Jr, First"; a trailing "and others" is
  returned as a flag, and a name braced whole ("{World Health Organization}")
  is a literal.
- `split_display(text)` splits a display string from a listing or a web
  service ("Guy Van den Broeck", "Ira E. Hyman Jr.") with the same parts: a
  capitalised particle belongs to the family name when a known particle
  starts it.
- `Name.display()` gives the display string back and `Name.bibtex()` the
  BibTeX form ("Van den Broeck, Guy", "Hyman, Jr, Ira E."), which BibTeX and
  `parse_bibtex_names` read back to the same parts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

PARTICLES = frozenset(
    [
        "van",
        "von",
        "der",
        "den",
        "de",
        "da",
        "di",
        "du",
        "del",
        "della",
        "des",
        "le",
        "la",
        "dos",
        "das",
        "do",
        "ten",
        "ter",
        "te",
        "zu",
        "zur",
        "vom",
        "bin",
        "ibn",
        "al",
        "el",
        "af",
        "av",
    ]
)
SUFFIXES = frozenset(["jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "v", "vi", "2nd", "3rd"])
_LATEX_SPECIALS = re.compile(r"[\\{}%&$#_~^]")


def _unbrace(text: str) -> str:
    """The default decoder: braces dropped (a LaTeX decoder can be passed instead)."""
    return text.replace("{", "").replace("}", "")


@dataclass(frozen=True, slots=True)
class Name:
    """One person's (or organisation's) name, in parts."""

    given: str = ""
    family: str = ""
    particle: str = ""
    suffix: str = ""
    literal: str = ""

    def display(self) -> str:
        """ "Given particle Family Suffix", or the literal."""
        if self.literal:
            return self.literal
        return " ".join([p for p in (self.given, self.particle, self.family, self.suffix) if p])

    def family_full(self) -> str:
        """The family name with its particle ("Van den Broeck")."""
        return self.literal or (
            f"{self.particle} {self.family}"
            if self.particle and self.family
            else self.family or self.particle
        )

    def bibtex(self) -> str:
        """The name as BibTeX reads it back: "von Last, Jr, First" (escaped)."""
        if self.literal:
            return "{" + _escape(self.literal) + "}"
        family = _escape(self.family)
        if not family:
            return "{" + _escape(self.given) + "}"
        words = family.split()
        alone = not (self.given or self.suffix or self.particle)
        if any(is_lower(word) for word in words) or len(words) > 1 and _is_particle(words[0]):
            family = "{" + family + "}"  # else BibTeX reads a word of it as von
        elif alone and len(words) > 1:
            family = "{" + family + "}"  # else "Lutz Birkhahn" reads as First Last
        last = " ".join(p for p in (_guarded(self.particle), _guarded(family)) if p)
        given = _guarded(_escape(self.given))
        parts = [last, _guarded(_escape(self.suffix))] if self.suffix else [last]
        if alone and family.startswith("{"):
            return last + ","  # "{hooks}," is a family name; "{hooks}" would be a literal
        return ", ".join([*parts, given] if given else parts)

    def to_json(self) -> dict[str, str]:
        """`{given, family, particle, suffix, literal}`, every key present."""
        return {key: getattr(self, key) for key in _PARTS}  # asdict: 10 times the cost

    def stored(self) -> dict[str, str]:
        """The parts that are not empty (the stored form)."""
        return {key: value for key in _PARTS if (value := getattr(self, key))}

    @classmethod
    def from_json(cls, data: dict) -> Name:
        """A name from `to_json()` or `stored()` output; unknown keys ignored."""
        return cls(*[str(data.get(key) or "") for key in _PARTS])  # in _PARTS' order


_PARTS = ("given", "family", "particle", "suffix", "literal")


_NEEDS_GUARD = re.compile(r",|(?:^|\s)and(?:\s|$)|(?:^|\s)others$", re.IGNORECASE)


def _guarded(part: str) -> str:
    """A part that BibTeX would split ("A, B", "Smith and Sons") braced whole."""
    if part and _NEEDS_GUARD.search(part) and not _braced_whole(part):
        return "{" + part + "}"
    return part


def _escape(text: str) -> str:
    if not _LATEX_SPECIALS.search(text):
        return text
    from readinglist.citations.latex import escape

    return escape(text)


# ----- BibTeX ------------------------------------------------------------------


def parse_bibtex_names(
    text: str, decode: Callable[[str], str] = _unbrace
) -> tuple[list[Name], bool]:
    """The names of a BibTeX name list and whether it ended in "and others".

    `decode` turns each raw part (still LaTeX) into text.
    """
    names, others = [], False
    for raw in split_and(text):
        if raw.strip().lower() == "others":
            others = True
            continue
        name = _parsed_name(raw, decode)
        if name is not None:
            names.append(name)
    return names, others


def split_and(text: str) -> list[str]:
    """The names of a list separated by the word "and" outside braces."""
    parts, depth, start = [], 0, 0
    for found in _BRACE_OR_AND.finditer(text):
        token = found.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth = max(depth - 1, 0)
        elif depth == 0:
            parts.append(text[start : found.start()])
            start = found.end()
    parts.append(text[start:])
    return [part.strip() for part in parts if part.strip()]


_BRACE_OR_AND = re.compile(r"[{}]|\s(?:and)\s", re.IGNORECASE)  # " and " in any case


@lru_cache(maxsize=1 << 14)  # authors recur across entries; a Name is immutable
def _parsed_name(raw: str, decode: Callable[[str], str]) -> Name | None:
    return parse_bibtex_name(raw, decode)


def parse_bibtex_name(raw: str, decode: Callable[[str], str] = _unbrace) -> Name | None:
    """One BibTeX name in its parts (None when empty)."""
    raw = " ".join(raw.split())
    if not raw:
        return None
    if _braced_whole(raw):
        return Name(literal=" ".join(decode(raw).split()))
    sections = [_tokens(section) for section in _split_commas(raw)]
    sections = [s for s in sections if s] or [[]]
    if len(sections) == 1:
        first, von, last = _first_von_last(sections[0])
        jr: list[str] = []
    else:
        von, last = _von_last(sections[0])
        jr = sections[1] if len(sections) > 2 else []
        first = [t for s in sections[2 if len(sections) > 2 else 1 :] for t in s]
    parts = [" ".join(decode(" ".join(words)).split()) for words in (first, last, von, jr)]
    given, family, particle, suffix = parts
    if not family and not particle:
        return Name(literal=given) if given else None
    return Name(given=given, family=family, particle=particle, suffix=suffix)


def _braced_whole(raw: str) -> bool:
    if not (raw.startswith("{") and raw.endswith("}")):
        return False
    depth = 0
    for index, char in enumerate(raw):
        depth += (char == "{") - (char == "}")
        if depth == 0 and index < len(raw) - 1:
            return False
    return True


def _split_commas(raw: str) -> list[str]:
    """The comma-separated sections of one name, commas inside braces kept."""
    sections, depth, start = [], 0, 0
    for index, char in enumerate(raw):
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif char == "," and depth == 0:
            sections.append(raw[start:index])
            start = index + 1
    sections.append(raw[start:])
    return sections


def _tokens(section: str) -> list[str]:
    """Words split at spaces and ties outside braces (a hyphen joins words)."""
    words, depth, current = list[str](), 0, list[str]()
    for char in section:
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        if depth == 0 and (char.isspace() or char == "~"):
            if current:
                words.append("".join(current))
            current = []
            continue
        current.append(char)
    if current:
        words.append("".join(current))
    return words


def is_lower(token: str) -> bool:
    """Whether BibTeX takes `token` for a von word: its first letter at brace level 0
    is lower case; a special character `{\\'e}` counts by its letter."""
    depth, i = 0, 0
    while i < len(token):
        char = token[i]
        if char == "{":
            if depth == 0 and token[i + 1 : i + 2] == "\\":
                return _special_lower(token, i + 1)
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif depth == 0 and char == "\\":
            return _special_lower(token, i)  # \'{E}va: the case of the accented letter
        elif depth == 0 and char.isalpha():
            return char.islower()
        i += 1
    return False


def _special_lower(token: str, start: int) -> bool:
    """The case of a special character `{\\cmd x}` by its first letter after the command."""
    match = re.match(r"\\([A-Za-z]+|.)\s*\{?\s*([A-Za-z])?", token[start:])
    if match is None:
        return False
    command, letter = match.groups()
    if command in ("i", "j", "oe", "ae", "aa", "o", "l", "ss"):
        return True
    if command in ("OE", "AE", "AA", "O", "L"):
        return False
    return bool(letter) and letter.islower()


def _first_von_last(words: list[str]) -> tuple[list[str], list[str], list[str]]:
    """First von Last: von runs from the first lower-case word to the last one."""
    if len(words) == 1:
        return [], [], words
    lower = [i for i, word in enumerate(words[:-1]) if is_lower(word)]
    if not lower:
        start = end = len(words) - 1
    else:
        start, end = lower[0], lower[-1] + 1
    while start > 1 and _is_particle(words[start - 1]):
        start -= 1  # "Guy Van den Broeck", "Joao Da Costa": a capitalised particle
    return words[:start], words[start:end], words[end:]


def _von_last(words: list[str]) -> tuple[list[str], list[str]]:
    """von Last: von runs to the last lower-case word before the last word."""
    lower = [i for i, word in enumerate(words[:-1]) if is_lower(word)]
    if not lower:
        return _capital_particle(words)
    return words[: lower[-1] + 1], words[lower[-1] + 1 :]


def _capital_particle(words: list[str]) -> tuple[list[str], list[str]]:
    """No lower-case word: "Da Costa" still starts with a particle; else there is none."""
    end = 0
    while end < len(words) - 1 and _is_particle(words[end]):
        end += 1
    return words[:end], words[end:]


def _is_particle(word: str) -> bool:
    return word.lower() in PARTICLES


# ----- display strings -----------------------------------------------------------


def split_display(text: str) -> Name:
    """A display string ("Guy Van den Broeck", "Hyman, Ira E.", "Patrick Haffner, Jr.")
    in its parts."""
    text = " ".join(text.split())
    if not text:
        return Name()
    head, _, tail = text.rpartition(",")
    if " " in head and "," not in head and tail.strip().lower() in SUFFIXES:
        return replace(split_display(head), suffix=tail.strip())  # "Patrick Haffner, Jr."
    if "," in text:
        name = parse_bibtex_name(text, decode=lambda part: part)
        return name if name is not None else Name(literal=text)
    words = text.split(" ")
    suffix = ""
    if len(words) > 2 and words[-1].lower().rstrip(",") in SUFFIXES:
        suffix = words.pop().rstrip(",")
        words[-1] = words[-1].rstrip(",")
    if len(words) == 1:
        return Name(family=words[0], suffix=suffix)
    start = _particle_start(words)
    if start is None:
        return Name(given=" ".join(words[:-1]), family=words[-1], suffix=suffix)
    end = start
    while end < len(words) - 1 and _is_particle(words[end]):
        end += 1
    return Name(
        given=" ".join(words[:start]),
        particle=" ".join(words[start:end]),
        family=" ".join(words[end:]),
        suffix=suffix,
    )


def _particle_start(words: list[str]) -> int | None:
    """Where the particle starts: the first known particle after the given names."""
    for index in range(1, len(words) - 1):
        if _is_particle(words[index]):
            return index
    return None


def names_from_display(authors: list[str]) -> list[Name]:
    """Names for a list of display strings."""
    return [split_display(author) for author in authors]
