"""What a text looks like: formats with a clear signature, else Daily Papers or abstracts."""

from __future__ import annotations

import re

from readinglist.errors import ParseError
from readinglist.parsing import hflines
from readinglist.parsing.abstracts import strip_prefix
from readinglist.parsing.common import clean

_SAMPLE = 256 * 1024  # characters looked at
_HEAD = 8 * 1024  # characters of a JSON text looked at for its keys
_PROSE_WORDS = 8  # an abstract has at least this many words
_TITLE_WORDS = 25  # an HF title has fewer words than this

_JSON_START = re.compile(r"\[\s*[{\]]|\{\s*[\"}]")
_OWN_JSON = re.compile(r'"identifiers"\s*:')
_CSL_KEY = re.compile(r'"(?:issued|container-title|citation-key|author|DOI|URL)"\s*:')
_CSL_TYPE = re.compile(r'"type"\s*:\s*"')
_BIB_ENTRY = re.compile(r"^[ \t]*@[A-Za-z]+[ \t]*[{(]", re.MULTILINE)
_RIS_TAG = re.compile(r"^[A-Z][A-Z0-9] {1,2}-(?: |$)", re.MULTILINE)
_RIS_TYPE = re.compile(r"^TY {1,2}- ?\S", re.MULTILINE)
_MARKUP = re.compile(r"<(?:\?xml|!doctype|html|head|body|rdf:|feed|div|p|meta)\b", re.I)
_ARXIV_ID = re.compile(
    r"^(?:\[\d+\]\s*|Cite as:\s*)?arXiv:\d{4}\.\d{4,5}(?:v\d+)?\b", re.MULTILINE | re.IGNORECASE
)
_ARXIV_LABEL = re.compile(r"^(?:Title|Authors?|Subjects|Comments|Abstract):|^\[Submitted on ", re.M)


def looks_like(text: str) -> str | None:
    """The format a text clearly is ("json", "csl-json", "bibtex", "ris", "arxiv", "markup")."""
    sample = clean(text[:_SAMPLE]).lstrip()
    if _JSON_START.match(sample):
        head = sample[:_HEAD]
        if not _OWN_JSON.search(head) and _CSL_TYPE.search(head) and _CSL_KEY.search(head):
            return "csl-json"
        return "json"
    if _BIB_ENTRY.search(sample):
        return "bibtex"
    if _RIS_TYPE.search(sample) and len(_RIS_TAG.findall(sample, 0, 64 * 1024)) >= 2:
        return "ris"
    if _ARXIV_ID.search(sample) and _ARXIV_LABEL.search(sample):
        return "arxiv"
    if sample.startswith("<") and _MARKUP.match(sample):
        return "markup"
    return None


def detect(text: str, source: str = "<text>") -> str:
    """The format to read a text as; raises ParseError if none fits."""
    sample = clean(text[:_SAMPLE]).strip()
    if not sample:
        raise ParseError(source, "nothing to import: the text is empty")
    clear = looks_like(sample)
    if clear == "markup":
        raise ParseError(source, "looks like XML or HTML: save the page's text, not its source")
    if clear:
        return clear
    lines = [line.strip() for line in sample.split("\n")]
    if any(hflines.classify(line) in ("chrome", "authors", "dot") for line in lines):
        return "hf"
    return _by_shape(lines, source)


def _by_shape(lines: list[str], source: str) -> str:
    """Paragraphs with short ones among them: HF; lines of prose: abstracts."""
    filled = [line for line in lines if line]
    words = [len(line.split()) for line in filled]
    if len(filled) > 1 and len(filled) < len(lines) and min(words) < _TITLE_WORDS:
        return "hf"
    labelled = any(strip_prefix(line) != line for line in filled)
    if labelled or sum(count >= _PROSE_WORDS for count in words) * 2 >= len(words):
        return "abstracts"
    raise ParseError(
        source,
        "unknown format: expected Hugging Face Daily Papers text, one abstract per line, "
        "BibTeX, RIS, CSL-JSON, arXiv listing text or JSON",
    )
