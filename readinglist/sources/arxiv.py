"""arXiv API (Atom): papers by id list and by title.

Traps: a malformed id comes back as HTTP 400 with a feed whose one entry is titled "Error"
(never a paper); a missing id is silently dropped (HTTP 200, no entry); entry ids are always
versioned; the legacy format hard-wraps titles and summaries; element order, attribute order
and namespace prefixes vary, so entries are read by namespace and local name only; a first
page can come back empty by mistake, so an empty answer is asked again once.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from readinglist.sources import record as rec
from readinglist.sources.common import failure
from readinglist.sources.errors import SourceError
from readinglist.sources.http import Answer, Client
from readinglist.sources.record import Record

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
MAX_RESULTS = 5
_ERROR_ID = "/api/errors"
_QUERY_WORD = re.compile(r"[^\W_]+")


def parse_feed(body: bytes) -> list[Record]:
    """The papers of an Atom feed; raises SourceError for arXiv's "Error" entry or bad XML."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        raise SourceError("arXiv", "unreadable", "an answer that is not an Atom feed") from None
    records = []
    for entry in root.iter(f"{ATOM}entry"):
        ident = _text(entry, f"{ATOM}id")
        if _ERROR_ID in ident or _text(entry, f"{ATOM}title") == "Error":
            message = rec.text(_text(entry, f"{ATOM}summary"), 200) or "an error"
            raise SourceError("arXiv", "rejected", f"rejected the request: {message}")
        record = _entry(entry, ident)
        if record is not None:
            records.append(record)
    return records


def _entry(entry: ET.Element, ident: str) -> Record | None:
    found = rec.arxiv_id(ident)
    title = rec.text(_text(entry, f"{ATOM}title"))
    if found is None or not title:
        return None
    arxiv, version = found
    authors = [_text(a, f"{ATOM}name") for a in entry.findall(f"{ATOM}author")]
    doi = rec.doi(_text(entry, f"{ARXIV}doi")) or _doi_link(entry)
    return Record(
        source="arxiv",
        title=title,
        abstract=rec.text(_text(entry, f"{ATOM}summary")),
        authors=rec.names(authors),
        arxiv=arxiv,
        arxiv_version=version,
        doi=doi,
        url=f"https://arxiv.org/abs/{arxiv}",
        published=rec.iso_date(_text(entry, f"{ATOM}published")),
        journal=rec.text(_text(entry, f"{ARXIV}journal_ref"), 300) or None,
    )


def _doi_link(entry: ET.Element) -> str | None:
    for link in entry.findall(f"{ATOM}link"):
        if link.get("title") == "doi":
            return rec.doi(link.get("href"))
    return None


def _text(element: ET.Element, tag: str) -> str:
    child = element.find(tag)
    return "".join(child.itertext()) if child is not None else ""


def _records(answer: Answer) -> list[Record]:
    if answer.status not in (200, 400):
        raise failure("arxiv", answer)
    records = parse_feed(answer.body)  # a 400 carries the "Error" entry
    if answer.status == 400:
        raise SourceError("arXiv", "rejected", "rejected the request (HTTP 400)")
    return records


def _ask(client: Client, params: dict) -> list[Record]:
    """Ask; an empty answer is asked once more before it counts (and only then is saved)."""
    answer = client.get("arxiv", "/api/query", params, keep=_has_entries)
    records = _records(answer)
    if records or answer.cached:
        return records
    return _records(client.get("arxiv", "/api/query", params))


def _has_entries(answer: Answer) -> bool:
    return answer.status == 200 and b"<entry" in answer.body


def by_ids(client: Client, ids: list[str]) -> list[Record]:
    """The papers with these arXiv ids (missing ones are left out)."""
    return _ask(client, {"id_list": ",".join(ids), "max_results": max(len(ids), 1)})


def by_title(client: Client, title: str) -> list[Record]:
    """Papers whose title contains the words of `title` as a phrase (best few)."""
    words = _QUERY_WORD.findall(title)[:40]
    if not words:
        return []
    query = f'ti:"{" ".join(words)}"'
    return _ask(client, {"search_query": query, "max_results": MAX_RESULTS})
