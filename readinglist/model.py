"""Papers, their user state, ids and tags: plain data, no I/O."""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from dataclasses import MISSING, dataclass, field, fields
from datetime import datetime, timezone

ID_LENGTH = 16
SHORT_ID_MIN = 6
PREFIX_MIN = 4

BIB_FIELDS = (
    "title",
    "title_derived",
    "abstract",
    "authors",
    "author_count",
    "published",
    "year",
    "year_inferred",
    "upvotes",
    "doi",
    "arxiv",
    "arxiv_version",
    "url",
    "journal",
    "sources",
    "added",
    "aliases",
    "key",
    "key_fixed",
)
STATE_FIELDS = ("read", "read_at", "tags", "note")
STAMPED_FIELDS = (*BIB_FIELDS, *STATE_FIELDS)
RECORD_STAMP = "*"  # in `Paper.stamps`: when the record was made (what no field overrides)
MIGRATED_REPLICA = ""  # the replica of stamps given to fields changed before stamps existed
_JSON_FIELDS = (
    "id",
    *(f for f in BIB_FIELDS if f not in ("doi", "arxiv", "url")),
    *STATE_FIELDS,
)

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Every ASCII character that is not a letter or digit becomes a space.
_ASCII_WORDS = {c: " " for c in range(128) if not chr(c).isalnum()}
_TAG_OK = re.compile(r"^[a-z0-9_./-]+$")
_KEY_OK = re.compile(r"[A-Za-z0-9][A-Za-z0-9_:./+-]{0,99}")


@dataclass(slots=True)
class Paper:
    """One paper: bibliographic record plus the user's state for it.

    Fields come in stored order: id, BIB_FIELDS, STATE_FIELDS.
    """

    id: str
    title: str
    title_derived: bool = False
    abstract: str = ""
    authors: list[str] = field(default_factory=list)
    author_count: int | None = None
    published: str | None = None
    year: int | None = None
    year_inferred: bool = False
    upvotes: int | None = None
    doi: str | None = None
    arxiv: str | None = None  # without version
    arxiv_version: str | None = None  # the version last seen ("v2")
    url: str | None = None
    journal: str | None = None
    sources: list[str] = field(default_factory=list)
    added: str = ""
    aliases: list[str] = field(default_factory=list)
    key: str = ""  # the BibTeX cite key, stored when the paper is first stored
    # A provisional key (False) follows the authors and year until it is first written
    # out (a BibTeX citation, an export), set with `edit --key` or read from a BibTeX
    # file. Records stored before there were provisional keys have no field: fixed.
    key_fixed: bool = True
    read: bool = False
    read_at: str | None = None
    tags: list[str] = field(default_factory=list)
    note: str = ""
    # When, where and from what each field last changed: `[time, replica, source]`.
    stamps: dict[str, list] = field(default_factory=dict)  # bibliographic fields, and "*"
    state_stamps: dict[str, list] = field(default_factory=dict)  # state fields
    tag_stamps: dict[str, list] = field(default_factory=dict)  # tag -> [added, removed or None]

    @property
    def authors_known(self) -> int | None:
        """Number of authors: the names if given, else the count."""
        return len(self.authors) if self.authors else self.author_count

    def link(self) -> str | None:
        """The best web address for the paper: URL, else arXiv, else DOI."""
        if self.url:
            return self.url
        if self.arxiv:
            return f"https://arxiv.org/abs/{self.arxiv}"
        if self.doi:
            return f"https://doi.org/{self.doi}"
        return None

    def stamp(self, name: str) -> list | None:
        """When, where and from what field `name` last changed (None: it never had a value).

        A field without a stamp of its own has the record's: the time it was made, or
        for a record written before stamps existed the time of the paper's last change,
        with source `import` (bibliographic fields) or `user` (read flag, tags, note).
        """
        own = (self.state_stamps if name in _STATE_NAMES else self.stamps).get(name)
        if own is not None or getattr(self, name) == _DEFAULTS[name]:
            return own
        return self._fallback(name in _STATE_NAMES)

    def changed(self) -> dict[str, list]:
        """Every field's stamp (the `changed` key of the JSON shape), fields never set left out."""
        values = {name: getattr(self, name) for name in STAMPED_FIELDS}
        found: dict[str, list] = {}
        own = self.stamps.keys() | self.state_stamps.keys()
        unstamped = [
            name for name, value in values.items() if value != _DEFAULTS[name] and name not in own
        ]
        if unstamped:
            bib, state = self._fallback(False), self._fallback(True)
            found = {name: state if name in _STATE_NAMES else bib for name in unstamped}
        found.update((k, v) for k, v in self.stamps.items() if k != RECORD_STAMP)
        found.update(self.state_stamps)
        return {name: found[name] for name in STAMPED_FIELDS if name in found}

    def tag_stamp(self, tag: str) -> list | None:
        """`[added, removed]` stamps of a tag (removed None while it is on the paper)."""
        own = self.tag_stamps.get(tag)
        if own is not None or tag not in self.tags:
            return own
        return [self.stamp("tags"), None]

    def record_stamp(self) -> list:
        """When the record was made, or for one made before stamps, what stands in for it."""
        base = self.stamps.get(RECORD_STAMP)
        if base is None:
            base = [last_change(self), MIGRATED_REPLICA, "import"]
        return base

    def _fallback(self, state: bool) -> list:
        base = self.record_stamp()
        return [base[0], base[1], "user"] if state else base

    def bib_dict(self) -> dict:
        """The bibliographic fields."""
        return {name: getattr(self, name) for name in BIB_FIELDS}

    def stored_bib(self) -> dict:
        """The bibliographic fields as the corpus file stores them: those not at their default.

        Records half the size load twice as fast (100k papers: 0.4 s instead of 0.65 s).
        The stamps of the bibliographic fields go with them (`stamps`).
        """
        record = {
            name: value
            for name in BIB_FIELDS
            if (value := getattr(self, name)) != _BIB_DEFAULTS.get(name, _NO_DEFAULT)
        }
        if self.stamps:
            record["stamps"] = self.stamps
        return record

    def state_dict(self) -> dict:
        """The user's state: read flag, read time, tags, note."""
        return {name: getattr(self, name) for name in STATE_FIELDS}

    def stored_state(self) -> dict:
        """The user's state as a state shard stores it (with its stamps, once it has some)."""
        state = self.state_dict()
        if self.state_stamps:
            state["stamps"] = self.state_stamps
        if self.tag_stamps:
            state["tag_stamps"] = self.tag_stamps
        return state

    def to_json(self, changed: bool = True) -> dict:
        """The public JSON shape (CLI `--json`, JSON export).

        `changed`: with the stamps of the fields (not in an export: a library that
        imports it stamps what it takes as its own change).
        """
        data = {name: getattr(self, name) for name in _JSON_FIELDS}
        data["identifiers"] = {"doi": self.doi, "arxiv": self.arxiv, "url": self.url}
        if changed:
            data["changed"] = self.changed()
        return data

    @classmethod
    def from_json(cls, data: dict) -> Paper:
        """Build a paper from the public JSON shape (or a stored record)."""
        data = dict(data)
        data.update(data.pop("identifiers", None) or {})
        data.pop("score", None)
        names = {f.name for f in fields(cls)} - _STAMP_NAMES  # stamps are the library's own
        return cls(**{key: value for key, value in data.items() if key in names})


_NO_DEFAULT = object()
_BIB_DEFAULTS = {
    f.name: [] if f.default_factory is list else f.default
    for f in fields(Paper)
    if f.name in BIB_FIELDS and (f.default is not MISSING or f.default_factory is list)
}


_DEFAULTS = {
    f.name: [] if f.default_factory is list else f.default
    for f in fields(Paper)
    if f.name in STAMPED_FIELDS
}
_STATE_NAMES = frozenset(STATE_FIELDS)
_STAMP_NAMES = frozenset({"stamps", "state_stamps", "tag_stamps"})


def utc_time(text: str | None) -> str:
    """An ISO 8601 time in UTC to the microsecond, as stamps hold it ("" if unreadable)."""
    if not text:
        return ""
    try:
        when = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return ""
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).isoformat(timespec="microseconds")


def last_change(paper: Paper) -> str:
    """The last time a record written before stamps existed is known to have changed."""
    return max(utc_time(paper.added), utc_time(paper.read_at))


def valid_key(key: str) -> bool:
    """Whether `key` can name a BibTeX entry as it is (ASCII letters, digits, `_:./+-`)."""
    return _KEY_OK.fullmatch(key) is not None


def now_iso() -> str:
    """The current time, ISO 8601 in UTC with an offset, to the second."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def now_utc() -> str:
    """The current time, ISO 8601 in UTC with an offset, to the microsecond (stamps)."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def normalise(text: str) -> str:
    """Lower-case words of `text` joined by single spaces (accents folded)."""
    if text.isascii():  # fast path, same result as the general one
        return " ".join(text.lower().translate(_ASCII_WORDS).split())
    return normalise_unicode(text)


def normalise_unicode(text: str) -> str:
    """`normalise` for any text: case and accents folded, words kept."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return " ".join(_WORD.findall(folded))


def paper_id(title: str, abstract: str) -> str:
    """The content id: a hash of the normalised abstract, else of the title."""
    basis = normalise(abstract) or normalise(title)
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:ID_LENGTH]


def normalise_tag(raw: str) -> str:
    """A tag in canonical form; raises ValueError for an unusable one."""
    tag = re.sub(r"\s+", "-", raw.strip().lower())
    if not tag:
        raise ValueError("empty tag")
    if not _TAG_OK.match(tag):
        raise ValueError(f"bad tag {raw.strip()!r}: use letters, digits, - _ / .")
    return tag


def parse_tags(*raw: str) -> list[str]:
    """Tags from comma-separated strings, normalised, de-duplicated, in order."""
    tags: list[str] = []
    for chunk in raw:
        for part in chunk.split(","):
            if part.strip():
                tag = normalise_tag(part)
                if tag not in tags:
                    tags.append(tag)
    return tags


def short_ids(ids: list[str]) -> dict[str, str]:
    """The shortest unique prefix (at least SHORT_ID_MIN long) of each id."""
    ordered = sorted(ids)
    result = {}
    for i, pid in enumerate(ordered):
        common = 0
        for neighbour in ordered[max(i - 1, 0) : i + 2]:
            if neighbour != pid:
                common = max(common, len(os.path.commonprefix([pid, neighbour])))
        result[pid] = pid[: max(SHORT_ID_MIN, common + 1)]
    return result
