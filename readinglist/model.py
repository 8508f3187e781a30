"""Papers, their user state, ids and tags: plain data, no I/O."""

from __future__ import annotations

import hashlib
import itertools
import operator
import os
import re
import unicodedata
from dataclasses import dataclass, field, fields
from datetime import datetime, timezone
from functools import lru_cache
from operator import attrgetter

from readinglist.fields import (
    BIB,
    COUNTS,
    FLAG,
    OPTIONAL_TEXT,
    PEOPLE,
    STATE,
    TEXT,
    TEXT_MAP,
    TEXTS,
    YEARS,
    both,
    entry,
    first,
    known,
    largest,
    longer,
    more_authors,
    ordered,
    overlay,
    stated_title,
    surer_date,
    table,
    title_words,
    union,
    whole,
    with_new_id,
    with_new_key,
)
from readinglist.names import Name, split_display

ID_LENGTH = 16
SHORT_ID_MIN = 6
PREFIX_MIN = 4
YEAR = whole(*YEARS)
COUNT = whole(*COUNTS)

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Every ASCII byte that is not a letter or digit becomes a space.
_ASCII_WORDS = bytes(c if chr(c).isalnum() else ord(" ") for c in range(256))
_TAG_OK = re.compile(r"^[a-z0-9_./-]+$")
# BibTeX takes any character in a key but these (and we refuse control characters).
_KEY_OK = re.compile(r"[^\s{},#%\"'()=\x00-\x1f\x7f]+")
KEY_RULE = "a cite key is any characters but spaces and { } , # % \" ' ( ) ="


@dataclass(slots=True)
class Paper:
    """One paper: bibliographic record plus the user's state for it.

    Fields come in stored order: id, BIB_FIELDS, STATE_FIELDS, then the stamps. Each
    bibliographic and state field is one entry of the field table (`fields.entry`).
    """

    id: str
    # ----- the field table (fields.py): kind, default, where stored, merge rule, exports -----
    title: str = entry(TEXT, merge=stated_title, csv=1)
    title_derived: bool = entry(FLAG, default=False, merge=both, csv=17, csl=1)
    abstract: str = entry(TEXT, default="", merge=longer, csv=19)
    authors: list[str] = entry(TEXTS, factory=list, merge=more_authors, csv=2)
    author_count: int | None = entry(COUNT, default=None, merge=known, csv=3, csl=4)
    published: str | None = entry(OPTIONAL_TEXT, default=None, merge=surer_date, csv=5, csl=3)
    year: int | None = entry(YEAR, default=None, merge=surer_date, csv=4)
    year_inferred: bool = entry(FLAG, default=False, merge=surer_date, csv=18, csl=2)
    upvotes: int | None = entry(COUNT, default=None, merge=largest, csv=15, csl=5)
    doi: str | None = entry(OPTIONAL_TEXT, default=None, merge=first, identifier=1, csv=7)
    arxiv: str | None = entry(  # without version
        OPTIONAL_TEXT, default=None, merge=first, identifier=2, csv=8, csl=6
    )
    arxiv_version: str | None = entry(OPTIONAL_TEXT, default=None)  # the version last seen ("v2")
    url: str | None = entry(OPTIONAL_TEXT, default=None, merge=first, identifier=6, csv=9)
    journal: str | None = entry(OPTIONAL_TEXT, default=None, merge=first, csv=6)
    sources: list[str] = entry(TEXTS, factory=list, merge=union, csv=16, csl=7)
    added: str = entry(TEXT, default="", csv=13, csl=8)
    aliases: list[str] = entry(TEXTS, factory=list, merge=with_new_id, csl=9)
    key: str = entry(TEXT, default="")  # the BibTeX cite key, stored when first stored
    # A provisional key (False) follows the authors and year until it is first written
    # out (a BibTeX citation, an export), set with `edit --key` or read from a BibTeX
    # file. Records stored before there were provisional keys have no field: fixed.
    key_fixed: bool = entry(FLAG, default=True)
    # The BibTeX record (`record=True`): stored only when not at their defaults.
    # entry_type: "article", "inproceedings", ... as the source gave it (JSON: `type`);
    # names: the authors in parts (Name.stored()); others: the author list ended in
    # "and others" (et al.); venue: journal, booktitle, volume, pages...; arxiv_class:
    # the arXiv primary class ("cs.LG"); extra: every other BibTeX field, verbatim, in
    # order; key_aliases: the keys of entries merged into this one.
    entry_type: str = entry(TEXT, default="", merge=first, record=True, json_key="type")
    # The title's words and phrases the source braced to keep their case ("Naive Bayes"),
    # but those that keep it anyway (citations.protection): "{BERT}" says nothing more.
    protected: list[str] = entry(TEXTS, factory=list, merge=title_words, record=True)
    names: list[dict] = entry(PEOPLE, factory=list, merge=more_authors, record=True)
    editors: list[dict] = entry(PEOPLE, factory=list, merge=first, record=True)
    others: bool = entry(FLAG, default=False, merge=more_authors, record=True)
    venue: dict[str, str] = entry(TEXT_MAP, factory=dict, merge=overlay, record=True)
    arxiv_class: str | None = entry(
        OPTIONAL_TEXT, default=None, merge=first, record=True, identifier=3
    )
    isbn: str | None = entry(OPTIONAL_TEXT, default=None, merge=first, record=True, identifier=4)
    issn: str | None = entry(OPTIONAL_TEXT, default=None, merge=first, record=True, identifier=5)
    file: str | None = entry(OPTIONAL_TEXT, default=None, merge=first, record=True, identifier=7)
    extra: dict[str, str] = entry(TEXT_MAP, factory=dict, merge=overlay, record=True)
    key_aliases: list[str] = entry(TEXTS, factory=list, merge=with_new_key, record=True)
    # The user's state (state shards).
    read: bool = entry(FLAG, default=False, part=STATE, merge=first, csv=11, csl=10)
    read_at: str | None = entry(
        OPTIONAL_TEXT, default=None, part=STATE, merge=first, csv=12, csl=11
    )
    tags: list[str] = entry(TEXTS, factory=list, part=STATE, merge=union, csv=10)
    note: str = entry(TEXT, default="", part=STATE, merge=first, csv=14, csl=12)
    # ----- end of the field table -----
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

    def author_names(self) -> list[Name]:
        """The authors in parts: as read from BibTeX while they match `authors`, else
        split from the display strings (after an edit of the authors)."""
        return _people(self.names, self.authors)

    def editor_names(self) -> list[Name]:
        """The editors in parts."""
        return [Name.from_json(part) for part in self.editors]

    def bib_dict(self) -> dict:
        """The bibliographic fields."""
        return {name: getattr(self, name) for name in BIB_FIELDS}

    def stored_bib(self) -> dict:
        """The bibliographic fields as the corpus file stores them: those not at their default.

        Records half the size load about twice as fast (see the README's Performance).
        The stamps of the bibliographic fields go with them (`stamps`).
        """
        record = {
            name: value
            for name in BIB_FIELDS
            if (value := getattr(self, name)) != _BIB_DEFAULTS[name]
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
        data["names"] = [name.to_json() for name in self.author_names()]
        data["editors"] = [name.to_json() for name in self.editor_names()]
        for key, name in _JSON_KEYS.items():
            data[key] = data.pop(name)
        data["type"] = data["type"] or inferred_type(self)
        data["venue"] = self.venue or ({"journal": self.journal} if self.journal else {})
        data["identifiers"] = {name: getattr(self, name) for name in IDENTIFIER_FIELDS}
        if changed:
            data["changed"] = self.changed()
        return data

    @classmethod
    def from_json(cls, data: dict) -> Paper:
        """Build a paper from the public JSON shape (or a stored record)."""
        data = dict(data)
        data.update(data.pop("identifiers", None) or {})
        data.pop("score", None)
        for key, name in _JSON_KEYS.items():
            if key in data:
                data[name] = data.pop(key) or FIELDS[name].default
        parts: list[Name] = []  # the authors' names, read once
        for people in PEOPLE_FIELDS:
            if isinstance(data.get(people), list):
                read = [_name_of(part) for part in data[people]]
                data[people] = [
                    _stored_name(part, name) for part, name in zip(data[people], read, strict=True)
                ]
                parts = read if people == "names" else parts
        if data.get("names") and not _same_displays(parts, data.get("authors")):
            data["names"], parts = [], []  # edited by hand: the display strings win
        made = _MADE_FROM  # (each key given as the class spells it: see _MADE_FROM)
        paper = cls(**{made[key]: value for key, value in data.items() if key in made})
        return settle_record(paper, parts)


FIELDS = table(Paper)  # the field table: name -> entry (fields.Spec), in stored order
BIB_FIELDS = tuple(name for name, spec in FIELDS.items() if spec.part == BIB)
STATE_FIELDS = tuple(name for name, spec in FIELDS.items() if spec.part == STATE)
RECORD_FIELDS = tuple(name for name, spec in FIELDS.items() if spec.record)
STAMPED_FIELDS = tuple(name for name, spec in FIELDS.items() if spec.stamped)
IDENTIFIER_FIELDS = ordered(FIELDS, lambda spec: spec.identifier)
PEOPLE_FIELDS = tuple(name for name, spec in FIELDS.items() if spec.kind.people)
# The state of a paper never touched.
EMPTY_STATE: dict[str, object] = {name: FIELDS[name].default for name in STATE_FIELDS}
RECORD_STAMP = "*"  # in `Paper.stamps`: when the record was made (what no field overrides)
MIGRATED_REPLICA = ""  # the replica of stamps given to fields changed before stamps existed
STAMP_FIELDS = ("stamps", "state_stamps", "tag_stamps")  # the library's own, not the paper's
_JSON_FIELDS = ("id", *(f for f in BIB_FIELDS if f not in IDENTIFIER_FIELDS), *STATE_FIELDS)
_JSON_KEYS = {spec.json_key: name for name, spec in FIELDS.items() if spec.json_key}
_BIB_DEFAULTS = {name: FIELDS[name].default for name in BIB_FIELDS}  # MISSING: always stored
_DEFAULTS = {name: spec.default for name, spec in FIELDS.items()}
_STATE_NAMES = frozenset(STATE_FIELDS)
_STAMP_NAMES = frozenset(STAMP_FIELDS)
# The fields a paper is made from (stamps are the library's own), each name -> itself as
# the class spells it: keyword arguments named by these very strings are matched by
# identity, not compared letter by letter (parsed JSON's keys are equal strings only,
# and with forty of them that took three times as long as making the paper).
_MADE_FROM = {f.name: f.name for f in fields(Paper) if f.name not in _STAMP_NAMES}
_FIELD_NAMES = tuple(f.name for f in fields(Paper))
_FIELD_VALUES = attrgetter(*_FIELD_NAMES)


def with_changes(paper: Paper, changes: dict) -> Paper:
    """A copy of `paper` with `changes`: what `dataclasses.replace` gives (every field of
    Paper is an init field and nothing runs after __init__), at half its cost, which an
    import of 100,000 papers pays once per paper."""
    values = dict(zip(_FIELD_NAMES, _FIELD_VALUES(paper), strict=True))
    values.update(changes)
    return Paper(**values)


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


def _people(parts: list[dict], displays: list[str]) -> list[Name]:
    if parts and _same_people(parts, displays):
        return [Name.from_json(part) for part in parts]
    return [display_name(display) for display in displays]


@lru_cache(maxsize=1 << 14)  # names recur across papers; a Name is immutable
def display_name(display: str) -> Name:
    """A display string in parts, or whole as a literal when the parts would not
    give it back ("Smith, Ann and Bob Ltd")."""
    name = split_display(display)
    return name if name.display() == display else Name(literal=display)


def settle_record(paper: Paper, names: list[Name] | None = None) -> Paper:
    """`paper` with the record fields that say no more than the others left at their
    defaults (stored only when they add something): names that splitting the
    display strings gives anyway, a venue that is only the journal, an entry type
    that the export would choose anyway. `names`: `paper.names` as Names, if made."""
    if paper.names and (names or [Name.from_json(n) for n in paper.names]) == [
        display_name(a) for a in paper.authors
    ]:
        paper.names = []
    if paper.venue and paper.venue == {"journal": paper.journal}:
        paper.venue = {}
    if paper.entry_type and paper.entry_type == inferred_type(paper):
        paper.entry_type = ""
    return paper


def inferred_type(paper: Paper) -> str:
    """The entry type a BibTeX export gives a paper whose source named none."""
    from readinglist.citations.latex import entry_type  # citations build on the model

    own, paper.entry_type = paper.entry_type, ""  # entry_type() prefers the record's own
    try:
        return entry_type(paper)
    finally:
        paper.entry_type = own


def _same_people(parts: list, displays) -> bool:
    """Whether names in parts still say what the display strings say."""
    return (
        isinstance(displays, list)
        and len(parts) == len(displays)
        and all(
            isinstance(part, dict) and Name.from_json(part).display() == display
            for part, display in zip(parts, displays, strict=True)
        )
    )


def _same_displays(names: list[Name], displays) -> bool:
    """`_same_people` for names already read."""
    return (
        isinstance(displays, list)
        and len(names) == len(displays)
        and all(name.display() == display for name, display in zip(names, displays, strict=True))
    )


def _name_of(part) -> Name:
    return Name.from_json(part) if isinstance(part, dict) else Name(literal=str(part))


def _stored_name(part, name: Name) -> dict:
    return name.stored() if isinstance(part, dict) else {"literal": str(part)}


def valid_key(key: str) -> bool:
    """Whether `key` can name a BibTeX entry as it is (see KEY_RULE)."""
    return _KEY_OK.fullmatch(key) is not None


def now_iso() -> str:
    """The current time, ISO 8601 in UTC with an offset, to the second."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def now_utc() -> str:
    """The current time, ISO 8601 in UTC with an offset, to the microsecond (stamps)."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def normalise(text: str) -> str:
    """Lower-case words of `text` joined by single spaces (accents folded)."""
    if text.isascii():  # fast path on bytes (a third less time on abstracts), same result
        return b" ".join(text.encode().lower().translate(_ASCII_WORDS).split()).decode()
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
    ordered = sorted(set(ids))
    firsts = [pid[:SHORT_ID_MIN] for pid in ordered]
    result = dict(zip(ordered, firsts, strict=True))
    # Only neighbours that share their first SHORT_ID_MIN characters need more.
    for i in itertools.compress(itertools.count(1), map(operator.eq, firsts, firsts[1:])):
        before, pid = ordered[i - 1], ordered[i]
        length = len(os.path.commonprefix([before, pid])) + 1
        for one in (before, pid):
            if len(result[one]) < length:
                result[one] = one[:length]
    return result
