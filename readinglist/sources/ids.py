"""What the user typed after `add`: an arXiv id or URL, a Hugging Face paper URL, a DOI."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from readinglist.sources import record as rec

_ARXIV_HOSTS = ("arxiv.org", "www.arxiv.org", "export.arxiv.org")
_HF_HOSTS = ("huggingface.co", "www.huggingface.co", "hf.co")
_DOI_HOSTS = ("doi.org", "dx.doi.org", "www.doi.org")
_ARXIV_PATH = re.compile(r"/(?:abs|pdf)/(.+?)(?:\.pdf)?/?$")
_HF_PATH = re.compile(r"/papers/([^/?#]+)/?$")


@dataclass(frozen=True)
class Ref:
    """One identifier to add: `kind` is "arxiv" or "doi"."""

    kind: str
    value: str
    version: str | None = None
    typed: str = ""


def parse_ref(typed: str) -> Ref | None:
    """The identifier in `typed`, or None when it is none of the forms `add` takes."""
    raw = typed.strip()
    if raw.lower().startswith(("arxiv:", "doi:")):
        kind, _, rest = raw.partition(":")
        return _arxiv(rest, typed) if kind.lower() == "arxiv" else _doi(rest, typed)
    if "://" in raw or raw.startswith(("arxiv.org/", "huggingface.co/", "doi.org/")):
        return _url(raw if "://" in raw else "https://" + raw, typed)
    if raw.startswith("10."):
        return _doi(raw, typed)
    return _arxiv(raw, typed)


def _url(raw: str, typed: str) -> Ref | None:
    parts = urlsplit(raw)
    host, path = (parts.hostname or "").lower(), unquote(parts.path)
    if parts.scheme not in ("http", "https"):
        return None
    if host in _ARXIV_HOSTS and (m := _ARXIV_PATH.search(path)):
        return _arxiv(m[1], typed)
    if host in _HF_HOSTS and (m := _HF_PATH.search(path)):
        return _arxiv(m[1], typed)
    if host in _DOI_HOSTS:
        return _doi(path.lstrip("/"), typed)
    return None


def _arxiv(text: str, typed: str) -> Ref | None:
    found = rec.arxiv_id(text.strip())
    if found is None or found[0] != text.strip().removesuffix(found[1] or ""):
        return None
    return Ref("arxiv", found[0], found[1], typed)


def _doi(text: str, typed: str) -> Ref | None:
    value = rec.doi(text)
    if value is None or not text.strip().lower().startswith(value[:8]):
        return None
    return Ref("doi", value, None, typed)
