"""Exports of a set of papers: json, bibtex, csl-json, csv, markdown, ris. Pure functions.

JSON and BibTeX re-import losslessly: JSON holds `Paper.to_json()` objects;
BibTeX puts tags in `keywords` and the user's state in `readinglist-*`
fields that other tools ignore. BibTeX text is escaped so that LaTeX
decoding (pylatexenc, as bibtexparser uses it) gives back exactly the
stored string, with two limits: control characters, zero-width and
text-direction characters are dropped, and titles and abstracts come back
with their whitespace collapsed (as every importer stores them). Notes keep
their newlines, tabs and spaces inside the braced value.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from readinglist.citations import latex, styles
from readinglist.citations.latex import cite_keys, escape
from readinglist.citations.phrasing import clean_paper, inverted, sanitize
from readinglist.errors import ReadingListError
from readinglist.export_formats import BY_NAME, FORMATS
from readinglist.fields import ordered
from readinglist.model import FIELDS, Paper
from readinglist.parsing.bibvalues import MONTH_MACROS
from readinglist.safe_text import json_bytes

CSV_COLUMNS = ("id", *ordered(FIELDS, lambda spec: spec.csv))  # the table's `csv` places
CSL_CUSTOM = ("id", *ordered(FIELDS, lambda spec: spec.csl))  # kept under custom.readinglist
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write_file(path: str | Path, text: str) -> None:
    """Write an export to `path` (UTF-8); raises ReadingListError naming the file."""
    try:
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except OSError as error:
        raise ReadingListError(f"{path}: cannot write ({error.strerror})") from None


def export(papers: list[Paper], fmt: str, keys: dict[str, str] | None = None) -> str:
    """`papers` in export format `fmt`; `keys` name BibTeX entries (see `cite_keys`).

    Raises ValueError for an unknown format.
    """
    spec = BY_NAME.get(fmt)
    if spec is None:
        raise ValueError(f"unknown format {fmt!r}: choose from {', '.join(FORMATS)}")
    writer: Callable[..., str] = globals()[spec.writer]
    return writer(papers, keys) if spec.keyed else writer(papers)


def to_json(papers: list[Paper]) -> str:
    """A JSON array of `Paper.to_json()`; control characters stay \\u-escaped."""
    return json_bytes([p.to_json(changed=False) for p in papers]).decode("utf-8") + "\n"


def csl_item(paper: Paper, key: str) -> dict:
    """One CSL-JSON item: the mapping citations use (`csl_json.csl_variables`: type,
    names in parts, editors, date, venue details, DOI) with every value as stored;
    what CSL has no variable for goes under custom.readinglist."""
    from readinglist.citations.csl_json import csl_variables

    item: dict[str, Any] = {"id": key, "citation-key": key}
    item.update(csl_variables(paper, text=str, whole_date=True))
    item["title"] = paper.title
    optional = {"container-title": paper.journal, "URL": paper.link(),
                "abstract": paper.abstract, "keyword": ", ".join(paper.tags)}  # fmt: skip
    item.update((name, value) for name, value in optional.items() if value)
    ours = {name: getattr(paper, name) for name in CSL_CUSTOM}
    item["custom"] = {"readinglist": {k: v for k, v in ours.items() if v not in (None, "", [])}}
    return item


def to_csl_json(papers: list[Paper], keys: dict[str, str] | None = None) -> str:
    """A CSL-JSON array (what Zotero reads) that the project's importer reads back."""
    keys = {**cite_keys(papers), **(keys or {})}
    return json_bytes([csl_item(p, keys[p.id]) for p in papers]).decode("utf-8") + "\n"


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _full_date(text: str | None) -> bool:
    try:
        dt.date.fromisoformat(text or "")
    except ValueError:
        return False
    return True


def state_fields(paper: Paper) -> list[tuple]:
    """The abstract, keywords and `readinglist-*` fields of an export entry."""
    optional = {
        "readinglist-read-at": paper.read_at,
        "readinglist-published": paper.published if _full_date(paper.published) else None,
        "readinglist-added": paper.added,
        "readinglist-note": paper.note,
        "readinglist-upvotes": paper.upvotes,
        "readinglist-author-count": paper.author_count,
    }
    lists = {
        "readinglist-sources": paper.sources,
        "readinglist-aliases": paper.aliases,
    }
    fields: list[tuple] = []
    if paper.abstract:
        fields.append(("abstract", escape(paper.abstract)))
    if paper.tags and "keywords" not in paper.extra:
        fields.append(("keywords", escape(", ".join(paper.tags))))
    fields += [
        ("readinglist-id", escape(paper.id)),
        ("readinglist-read", _flag(paper.read)),
        ("readinglist-title-derived", _flag(paper.title_derived)),
        ("readinglist-year-inferred", _flag(paper.year_inferred)),
    ]
    fields += [(name, escape(str(v))) for name, v in optional.items() if v not in (None, "")]
    fields += [(name, list_field(items)) for name, items in lists.items() if items]
    return fields


def list_field(items: list[str]) -> str:
    """Escaped items joined by ","; an item holding a comma is braced whole."""
    return ",".join(f"{{{escape(item)}}}" if "," in item else escape(item) for item in items)


def to_bibtex(papers: list[Paper], keys: dict[str, str] | None = None) -> str:
    """BibTeX entries that the project's importer reads back to the same papers."""
    cleaned = [clean_paper(p, multiline=("abstract",), exact=("note",)) for p in papers]
    keys = {**cite_keys(cleaned), **(keys or {})}
    entries = [
        latex.render_entry(
            p.entry_type or latex.entry_type(p),
            keys[p.id],
            record_fields(p) + state_fields(p),
        )
        for p in cleaned
    ]
    return "\n\n".join(entries) + "\n" if entries else ""


def record_fields(paper: Paper) -> list[tuple]:
    """Every bibliographic field of an export entry: names in BibTeX form, the venue
    fields, identifiers, then `extra` verbatim (a field of `extra` that we would
    also write, "year = {2020a}", is written as it was read)."""
    fields = [
        field
        for field in latex.standard_fields(paper, cite=False)
        if not (field[0] == "journal" and paper.venue)
        and not (field[0] == "month" and "month" in paper.venue)
    ]
    people = _people_field(paper.author_names(), paper.others)
    fields = [("author", people) if f[0] == "author" else f for f in fields]
    title = latex.protect_title(paper.title, paper.protected)  # the source's braces back
    fields = [("title", title) if f[0] == "title" else f for f in fields]
    fields = [(f[0], paper.doi) if f[0] == "doi" and _balanced(paper.doi) else f for f in fields]
    fields = [f for f in fields if f[0] != "editor"]
    if paper.editors:
        fields.append(("editor", _people_field(paper.editor_names(), False)))
    for name, value in paper.venue.items():
        bare = name == "month" and MONTH_MACROS.get(value[:3].lower()) == value
        fields.append((name, value[:3].lower(), "bare") if bare else (name, escape(value)))
    if paper.arxiv_class and paper.arxiv:
        fields.append(("primaryclass", escape(paper.arxiv_class)))
    for name in ("isbn", "issn"):
        if getattr(paper, name):
            fields.append((name, escape(getattr(paper, name))))
    if paper.file:  # read verbatim from a braced value, so written back as it was
        fields.append(("file", paper.file if _balanced(paper.file) else latex.verbatim(paper.file)))
    if paper.key_aliases:  # biblatex's aliases: \cite{old} still finds the entry
        fields.append(("ids", ",".join(paper.key_aliases)))
    written = {field[0]: index for index, field in enumerate(fields)}
    for name, raw in paper.extra.items():
        if name in written:
            fields[written[name]] = (name, raw)
        else:
            fields.append((name, raw))
    return fields


def _balanced(text: str | None) -> bool:
    if text is None:
        return False
    depth = 0
    for char in text:
        depth += (char == "{") - (char == "}")
        if depth < 0:
            return False
    return depth == 0 and not text.endswith("\\")


def _people_field(names: list, others: bool) -> str:
    parts = [name.bibtex() for name in names] + (["others"] if others else [])
    return " and ".join(parts)


def spreadsheet_safe(cell: str) -> str:
    """A cell that cannot run as a formula: risky first characters get a `'`."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _csv_value(paper: Paper, column: str) -> str:
    value = getattr(paper, column)
    if isinstance(value, list):
        value = "; ".join(value)
    elif isinstance(value, bool):
        value = _flag(value)
    elif value is None:
        value = ""
    long_text = column in ("abstract", "note")
    return spreadsheet_safe(sanitize(str(value), newlines=long_text))


def to_csv(papers: list[Paper]) -> str:
    """A header row and one row per paper; lists joined with '; '."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for paper in papers:
        writer.writerow([_csv_value(paper, column) for column in CSV_COLUMNS])
    return out.getvalue()


def markdown_item(paper: Paper) -> str:
    """'- [Title](link) (2021). Authors. Tags: `a`, `b`' for a cleaned paper."""
    line = f"- {styles.markdown(paper)}"
    if styles.authors_plain(paper):
        line += f". {styles.markdown_escape(styles.authors_plain(paper))}"
    if paper.tags:
        line += ". Tags: " + ", ".join(f"`{tag.replace('`', '')}`" for tag in paper.tags)
    return line


def to_markdown(papers: list[Paper]) -> str:
    """A reading list in two sections, Unread then Read, in the given order."""
    cleaned = [clean_paper(p) for p in papers]
    lines = ["# Reading list"]
    for heading, read in (("Unread", False), ("Read", True)):
        items = [markdown_item(p) for p in cleaned if p.read is read]
        if items:
            lines += ["", f"## {heading} ({len(items)})", "", *items]
    return "\n".join(lines) + "\n"


def ris_record(paper: Paper) -> list[tuple[str, str]]:
    """(tag, value) pairs of one RIS record of a cleaned paper."""
    kind = "JOUR" if paper.journal else ("ELEC" if paper.link() else "GEN")
    tags = [("TY", kind), ("TI", paper.title)]
    tags += [("AU", inverted(name, full=True)) for name in paper.authors]
    if paper.year is not None:
        tags.append(("PY", str(paper.year)))
    if paper.published and paper.published[:4] == str(paper.year):
        tags.append(("DA", paper.published[:10].replace("-", "/")))
    optional = [("JO", paper.journal), ("AB", paper.abstract), ("DO", paper.doi)]
    optional.append(("UR", paper.link()))
    tags += [(tag, value) for tag, value in optional if value]
    tags += [("KW", tag) for tag in paper.tags]
    notes = latex.note_parts(paper)
    if paper.title_derived:
        notes.append("title derived from the abstract")
    tags += [("N1", note) for note in [*notes, paper.note] if note]
    return [*tags, ("ER", "")]


def to_ris(papers: list[Paper]) -> str:
    """RIS records (TY … ER), one blank line apart."""
    records = [ris_record(clean_paper(p)) for p in papers]
    return "\n".join("".join(f"{tag}  - {value}\n" for tag, value in record) for record in records)
