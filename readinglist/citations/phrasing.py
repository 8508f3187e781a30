"""Text helpers shared by the citation styles and exports: pure functions."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from typing import Any

from readinglist.model import STAMP_FIELDS, Paper

_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI ... final byte
    # OSC, DCS, SOS, PM, APC ... up to BEL or ST
    r"|(?:\x1b[\]P^_X]|[\x90\x9d\x9e\x9f\x98])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]?"  # any other escape
)
# Zero-width characters, direction marks, embeddings, overrides and isolates.
INVISIBLE = dict.fromkeys(
    [
        *range(0x200B, 0x2010),
        *range(0x202A, 0x202F),
        *range(0x2060, 0x2065),
        *range(0x2066, 0x206A),
        0xFEFF,
    ]
)
# Control characters (Unicode category Cc: C0, DEL, C1), without and with tab and newline.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROLS_BUT_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACE_LIKE = {"\u2028": "\n", "\u2029": "\n", "\r\n": "\n", "\r": "\n"}
_STOPWORDS = frozenset(
    {"a", "an", "and", "are", "as", "at", "by", "for", "from", "how", "in", "is", "of", "on"}
    | {"or", "our", "the", "to", "via", "we", "what", "when", "with"}
)
DESCRIPTION_WORDS = 8
MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip


def sanitize(text: str, newlines: bool = False, exact: bool = False) -> str:
    """`text` without terminal escapes, control or invisible characters.

    Keeps tabs and newlines only when `newlines` is true; otherwise all
    whitespace runs collapse to one space. Lines lose trailing spaces and
    the text its blank edges unless `exact`.
    """
    text = _ESCAPES.sub("", text)
    for old, new in _SPACE_LIKE.items():
        text = text.replace(old, new)
    controls = _CONTROLS_BUT_LINES if newlines else _CONTROLS
    text = controls.sub(_control_replacement, text.translate(INVISIBLE))
    if newlines and exact:
        return text
    if newlines:
        return "\n".join(line.rstrip() for line in text.strip("\n").split("\n"))
    return " ".join(text.split())


def _control_replacement(match: re.Match) -> str:
    return " " if match.group().isspace() else ""


def clean_paper(
    paper: Paper, multiline: tuple[str, ...] = (), exact: tuple[str, ...] = ()
) -> Paper:
    """A copy of `paper` with control-free text, single-line except `multiline` fields.

    `exact` fields keep their whitespace as it is (tabs and newlines included).
    """
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(paper):
        if f.name in STAMP_FIELDS:  # when each field changed: not text to cite
            continue
        value = getattr(paper, f.name)
        if isinstance(value, str):
            keep = f.name in exact
            changes[f.name] = sanitize(value, newlines=keep or f.name in multiline, exact=keep)
        elif isinstance(value, list):
            changes[f.name] = [clean for item in value if (clean := _clean_item(item))]
        elif isinstance(value, dict):  # venue, extra: values verbatim but for controls
            exact_map = f.name == "extra"
            changes[f.name] = {
                k: sanitize(v, newlines=exact_map, exact=exact_map) for k, v in value.items()
            }
    return dataclasses.replace(paper, **changes)


def _clean_item(item: str | dict) -> str | dict:
    """A list item cleaned: a string, or the parts of a name."""
    if isinstance(item, dict):
        return {key: sanitize(part) for key, part in item.items()}
    return sanitize(item)


def venue_value(paper: Paper, name: str) -> str | None:
    """A venue field ("booktitle", "volume", "pages", ...): the record's `venue`, else an
    attribute of that name (records built with venue attributes)."""
    return (getattr(paper, "venue", None) or {}).get(name) or getattr(paper, name, None)


def month_from_text(text: str | None) -> int | None:
    """1-12 when `text` is one month ("apr", "April", "4"), else None ("April-May")."""
    text = (text or "").strip().lower().rstrip(".")
    if text.isdigit() and text.isascii():
        return int(text) if 1 <= int(text) <= 12 else None
    for number, name in enumerate(MONTH_NAMES, start=1):
        if text in (name, name[:3]) or (len(text) >= 3 and name.startswith(text)):
            return number
    return None


def split_name(name: str) -> tuple[str, str]:
    """(given, family) of a name written "Given Family" or "Family, Given"."""
    if "," in name:
        family, _, given = name.partition(",")
        return given.strip(), family.strip()
    parts = name.split()
    if len(parts) < 2:
        return "", name.strip()
    start = len(parts) - 1
    while start > 1 and parts[start - 1].islower():
        start -= 1
    return " ".join(parts[:start]), " ".join(parts[start:])


def initials(given: str) -> str:
    """'Jean-Paul Marie' -> 'J.-P. M.'."""
    return " ".join(
        "-".join(piece[0] + "." for piece in part.split("-") if piece) for part in given.split()
    )


def inverted(name: str, full: bool = False) -> str:
    """'Family, G.' (or 'Family, Given' when `full`), or the bare family name."""
    given, family = split_name(name)
    given = given if full else initials(given)
    return f"{family}, {given}" if given else family


def direct(name: str, full: bool = True) -> str:
    """'Given Family' (or 'G. Family' when not `full`)."""
    given, family = split_name(name)
    given = given if full else initials(given)
    return f"{given} {family}" if given else family


def join_list(items: list[str], conj: str = "and", serial: bool = True) -> str:
    """'a', 'a and b', 'a, b, and c' (no serial comma when `serial` is false)."""
    if len(items) <= 1:
        return "".join(items)
    if len(items) == 2:
        return f"{items[0]} {conj} {items[1]}"
    comma = "," if serial else ""
    return f"{', '.join(items[:-1])}{comma} {conj} {items[-1]}"


def terminate(text: str, mark: str = ".") -> str:
    """`text` ending in `mark` unless it already ends in sentence punctuation."""
    return text if text.endswith((".", "?", "!", "…")) else text + mark


def description(paper: Paper, words: int = DESCRIPTION_WORDS) -> str:
    """'Abstract: We present ALLaM…': what stands in for a derived title."""
    source = paper.abstract or paper.title
    head = source.split()
    text = " ".join(head[:words])
    return f"Abstract: {text}…" if len(head) > words else f"Abstract: {text}"


def title_or_description(paper: Paper, bracket: bool = True) -> str:
    """The real title, else a (bracketed) description of the abstract."""
    if not paper.title_derived:
        return paper.title
    return f"[{description(paper)}]" if bracket else description(paper)


def _plain_capitalised(word: str) -> bool:
    return len(word) > 1 and word[0].isupper() and word[1:].isalpha() and word[1:].islower()


def _lower_word(word: str) -> str:
    core = word.strip("\"'“”‘’()[]{}.,;:!?")
    if not core:
        return word
    parts = core.split("-")
    if all(_plain_capitalised(p) or p == "A" for p in parts):
        return word.replace(core, core.lower(), 1)
    return word


def sentence_case(title: str) -> str:
    """Lower plain capitalised words; keep acronyms and mixed case.

    The first word and the word after a colon keep (or get) a capital.
    """
    words = title.split(" ")
    out: list[str] = []
    capital_next = True
    for word in words:
        if not word:
            out.append(word)
            continue
        if capital_next:
            core = word.rstrip(":;,.?!")
            if core.isalpha() and core.islower():
                word = word[0].upper() + word[1:]
        else:
            word = _lower_word(word)
        out.append(word)
        capital_next = word.endswith((":", "?", "!", "—"))
    return " ".join(out)


def needs_protection(word: str) -> bool:
    """True for acronyms and mixed-case words (LLMs, ImageNet, 3D, GPT-4)."""
    core = "".join(ch for ch in word if ch.isalnum())
    return any(ch.isupper() for ch in core[1:])


_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def ascii_word(text: str) -> str:
    """Lower-case ASCII letters and digits of `text` (accents folded)."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_ALNUM.sub("", text.lower())


def first_word(title: str) -> str:
    """The first significant word of a title, for cite keys."""
    first = ""
    for raw in re.split(r"[\s\-:/]+", title):
        word = ascii_word(raw)
        if word and word not in _STOPWORDS:
            return word
        first = first or word
    return first
