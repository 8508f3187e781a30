"""BibTeX via bibtexparser 2, LaTeX-decoded, including our own export fields.

Authors come out first-name-first ("Jörg Müller" from "M{\\"u}ller, J{\\"o}rg");
a braced name ("{World Health Organization}") is kept whole; "others" is dropped.
url, doi and eprint are read verbatim (not LaTeX-decoded). A publication
day is set only when year, month and day are all known. Fields named
`readinglist-*` carry the user's state and are read strictly.
"""

from __future__ import annotations

import logging
import re

import bibtexparser
from bibtexparser.library import Library
from bibtexparser.middlewares import (
    LatexDecodingMiddleware,
    NormalizeFieldKeys,
    SeparateCoAuthors,
)
from bibtexparser.middlewares.middleware import BlockMiddleware
from bibtexparser.middlewares.names import parse_single_name_into_parts
from bibtexparser.model import DuplicateBlockKeyBlock, Entry, Field

from readinglist.errors import ParseError
from readinglist.model import Paper, normalise_tag
from readinglist.parsing.bibfields import EntryFields
from readinglist.parsing.common import clean, collapse, content_id
from readinglist.parsing.titles import derive_title

logging.getLogger("bibtexparser").addHandler(logging.NullHandler())

NAME_KEY = "readinglist:author:"
VERBATIM_FIELDS = frozenset({"url", "doi", "eprint"})
# Written by some exporters (ours included) but decoded to "" or "ˆ" by pylatexenc.
_TEXT_MACROS = {
    r"\textbraceleft{}": r"\{",
    r"\textbraceright{}": r"\}",
    r"\textasciicircum{}": "^",
}
_AUTHOR_NOTE = re.compile(r"(\d{1,6}) +authors?")
_ARXIV_ID = re.compile(
    r"(?:arxiv:)?(\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?)", re.IGNORECASE
)
_DOI_PREFIX = re.compile(r"(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


class _Verbatim(tuple):
    """A raw field value the LaTeX decoder leaves alone (it skips non-strings)."""


class _BeforeDecoding(BlockMiddleware):
    """Keeps URL-like fields raw and spells three text macros the decoder can read."""

    def transform_entry(self, entry: Entry, library: Library) -> Entry:
        for field in entry.fields:
            if not isinstance(field.value, str):
                continue
            if field.key in VERBATIM_FIELDS:
                field.value = _Verbatim((field.value,))
            elif "\\text" in field.value:
                for macro, plain in _TEXT_MACROS.items():
                    field.value = field.value.replace(macro, plain)
        return entry


class _NamesAsFields(BlockMiddleware):
    """Turns the author list into one first-name-first field per author."""

    def transform_entry(self, entry: Entry, library: Library) -> Entry:
        names = entry.get("author")
        if names is None or not isinstance(names.value, list):
            return entry
        kept = [field for field in entry.fields if field.key != "author"]
        people = [name for name in names.value if name.strip().lower() != "others"]
        for index, name in enumerate(people):
            whole = parse_single_name_into_parts(name, strict=False).merge_first_name_first
            kept.append(Field(f"{NAME_KEY}{index}", whole, names.start_line))
        entry.fields = kept
        return entry


def _stack() -> list[BlockMiddleware]:
    return [
        NormalizeFieldKeys(),
        SeparateCoAuthors(),
        _NamesAsFields(),
        _BeforeDecoding(),
        LatexDecodingMiddleware(),
    ]


def parse(text: str, *, source: str, **_options) -> list[Paper]:
    """The entries of a BibTeX file; raises ParseError naming a bad entry's line."""
    try:
        library = bibtexparser.parse_string(clean(text), append_middleware=_stack())
    except Exception as exc:  # the library's own failures, whatever their type
        raise ParseError(source, f"not valid BibTeX ({type(exc).__name__})") from None
    _check_failed(library, source)
    return [_paper(EntryFields(entry, source)) for entry in library.entries]


def _check_failed(library: Library, source: str) -> None:
    if not library.failed_blocks:
        return
    block = library.failed_blocks[0]
    line = (block.start_line or 0) + 1
    if isinstance(block, DuplicateBlockKeyBlock):
        raise ParseError(source, f"duplicate entry key {block.key!r}", line)
    detail = str(block.error).strip().split("\n")[0]
    raise ParseError(source, "malformed BibTeX entry" + (f": {detail}" if detail else ""), line)


def _paper(fields: EntryFields) -> Paper:
    title, abstract = fields.text("title"), fields.text("abstract")
    if not title and not abstract:
        raise fields.error("has neither a title nor an abstract")
    derived = fields.flag("readinglist-title-derived", default=not title)
    title = title or derive_title(abstract)
    authors = [collapse(name) for name in fields.prefixed(NAME_KEY)]
    paper = Paper(
        id=fields.text("readinglist-id") or content_id(title, abstract),
        title=title,
        abstract=abstract,
        title_derived=derived,
        authors=authors,
        author_count=_author_count(fields, authors),
        upvotes=fields.number("readinglist-upvotes"),
        doi=_doi(fields.text("doi")),
        arxiv=_arxiv(fields),
        url=fields.text("url") or None,
        journal=fields.text("journal") or fields.text("booktitle") or None,
        sources=fields.listing("readinglist-sources") or [fields.source],
        added=fields.text("readinglist-added"),
        aliases=fields.listing("readinglist-aliases"),
        read=fields.flag("readinglist-read", default=False),
        read_at=fields.text("readinglist-read-at") or None,
        tags=_tags(fields.text("keywords")),
        note=fields.raw("readinglist-note").strip(),
    )
    paper.published, paper.year, paper.year_inferred = fields.when()
    return paper


def _author_count(fields: EntryFields, authors: list[str]) -> int | None:
    count = fields.number("readinglist-author-count")
    if count is not None or authors:
        return count
    match = _AUTHOR_NOTE.fullmatch(fields.text("note"))
    return int(match[1]) if match else None


def _doi(text: str) -> str | None:
    match = _DOI_PREFIX.match(text)
    return (text[match.end() :] if match else text).strip() or None


def _arxiv(fields: EntryFields) -> str | None:
    eprint = fields.text("eprint")
    prefix = (fields.text("archiveprefix") or fields.text("eprinttype")).lower()
    match = _ARXIV_ID.fullmatch(eprint)
    if prefix == "arxiv" and eprint:
        return match[1] if match else eprint
    return match[1] if match else None


def _tags(keywords: str) -> list[str]:
    tags: list[str] = []
    for raw in re.split(r"[,;]", keywords):
        try:
            tag = normalise_tag(raw)
        except ValueError:
            continue
        if tag not in tags:
            tags.append(tag)
    return tags
