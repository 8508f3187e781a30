"""Answers in the shapes the services give (written for these tests, not recorded ones)."""

from __future__ import annotations

from xml.sax.saxutils import escape


def hf_paper(arxiv: str, title: str, summary: str = "", authors=(), **extra) -> dict:
    """A Hugging Face paper object (`item.paper`)."""
    paper = {
        "id": arxiv,
        "authors": [
            {"_id": f"a{i}", "name": name, "hidden": False} for i, name in enumerate(authors)
        ],
        "publishedAt": "2025-03-14T00:00:00.000Z",
        "title": title,
        "summary": summary,
        "upvotes": 0,
        "discussionId": "d1",
    }
    paper.update(extra)
    return paper


def hf_item(paper: dict, **extra) -> dict:
    """A Daily Papers item: the paper, plus the page's own copies of title and summary."""
    item = {
        "paper": paper,
        "publishedAt": "2025-03-13T20:00:00.000Z",
        "title": paper["title"],
        "summary": paper["summary"],
        "thumbnail": "https://cdn.example/thumb.png",
        "numComments": 2,
        "submittedBy": {"fullname": "AK", "name": "akhaliq", "type": "user"},
    }
    item.update(extra)
    return item


def atom_entry(
    arxiv: str,
    title: str,
    summary: str = "",
    authors=(),
    published: str = "2025-03-14T17:59:01Z",
    doi: str | None = None,
    journal: str | None = None,
) -> str:
    """One arXiv Atom entry, authors last (the current order), with `vN` in the id."""
    names = "".join(f"<author><name>{escape(n)}</name></author>" for n in authors)
    extra = ""
    if doi:
        extra += f'<link rel="related" href="https://doi.org/{doi}" title="doi"/>'
        extra += f"<arxiv:doi>{doi}</arxiv:doi>"
    if journal:
        extra += f"<arxiv:journal_ref>{escape(journal)}</arxiv:journal_ref>"
    return (
        f"<entry><id>http://arxiv.org/abs/{arxiv}</id><title>{escape(title)}</title>"
        f"<updated>{published}</updated>"
        f'<link href="https://arxiv.org/abs/{arxiv}" rel="alternate" type="text/html"/>'
        f"<summary>{escape(summary)}</summary><published>{published}</published>"
        f'{extra}<arxiv:primary_category term="cs.CV"/>{names}</entry>'
    )


def atom_feed(*entries: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom"'
        ' xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">'
        "<id>https://arxiv.org/api/x</id><title>arXiv Query</title>"
        f"<opensearch:totalResults>{len(entries)}</opensearch:totalResults>"
        f"{''.join(entries)}</feed>"
    )


def atom_error(bad: str) -> str:
    """arXiv's answer to a malformed id: HTTP 400 with a feed of one entry titled "Error"."""
    return atom_feed(
        f"<entry><id>https://arxiv.org/api/errors#incorrect_id_format_for_{bad}</id>"
        f"<title>Error</title><summary>incorrect id format for {bad}</summary>"
        "<author><name>arXiv api core</name></author></entry>"
    )


def crossref_work(doi: str, title: str, authors=(), year=2025, **extra) -> dict:
    work = {
        "DOI": doi,
        "title": [title],
        "author": [
            {"given": n.split()[0], "family": n.split()[-1], "sequence": "additional"}
            for n in authors
        ],
        "container-title": ["Journal of Tests"],
        "issued": {"date-parts": [[year, 6, 1]]},
        "type": "journal-article",
        "volume": "12",
        "page": "1-10",
        "URL": f"https://doi.org/{doi}",
    }
    work.update(extra)
    return work


def crossref_message(work: dict) -> dict:
    return {"status": "ok", "message-type": "work", "message-version": "1.0.0", "message": work}


def crossref_list(*works: dict) -> dict:
    return {
        "status": "ok",
        "message-type": "work-list",
        "message": {"total-results": len(works), "items": list(works), "items-per-page": 5},
    }
