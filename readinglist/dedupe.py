"""Find the stored paper a new one duplicates, and merge the two records.

Rules, strongest first (each one a reason `find_reason` can report):

- a shared DOI or arXiv id is the same paper;
- two records with different DOIs (or arXiv ids) are never the same paper, nor are
  two with different years and no author in common, whatever their titles;
- a long abstract (20 words or more) shared by two records is the same paper,
  unless several records that cannot be one share it (boilerplate): a short or
  shared abstract is no evidence;
- the same title, or a near one (rapidfuzz ratio ≥ 92) with the same numbers
  and acronyms ("AMS site report" is not "VMS site report"), with compatible
  years and abstracts;
- two entries of one file that name themselves apart are the same paper only on a
  shared identifier: entries of a BibTeX file with different keys (the file's author
  kept them apart on purpose), entries of a readinglist export with different ids
  (the library that wrote it kept them apart).
"""

from __future__ import annotations

import hashlib
import heapq
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache

from rapidfuzz import fuzz, process

from readinglist.model import FIELDS, ID_LENGTH, Paper, normalise

# find() then add() of the same paper normalise the same strings: remember the last few.
_normalise = lru_cache(maxsize=8)(normalise)

NEAR_TITLE_SCORE = 92.0
BLOCK_TOKENS = 3
MIN_ABSTRACT = 40  # characters: below this an abstract cannot tell two papers apart
MIN_ABSTRACT_WORDS = 20  # below this an abstract cannot make two records one
SAME_ABSTRACT_SCORE = 70.0
MAX_CANDIDATES = 256
# A block of more titles than this is a common word's: it is also kept by title length,
# and a title whose every block is that large is compared with the CAP_CANDIDATES titles
# of its rarest block closest to it in length (the second key), not with the whole block.
BLOCK_LIMIT = 256
CAP_CANDIDATES = 256
NEAR_LENGTH = 0.18  # a title this much longer or shorter (of its length) cannot score 92
# An import of this many papers or fewer indexes only the stored papers they could match
# (scoring every stored title against each of theirs: ~8 ms a title at 100,000 papers).
NARROW_BATCH = 256
NEAR_CHECKS = 5  # the best few similar titles are enough to judge; bounds the work
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]*[A-Z][A-Z0-9]*\b")
_ARXIV_VERSION = re.compile(r"v\d+$")
_NUMBER = re.compile(r"\d+")
_LOWER, _UPPER = bytes(range(ord("a"), ord("z") + 1)), bytes(range(ord("A"), ord("Z") + 1))
_SAME = {"doi": "same DOI", "arxiv": "same arXiv id"}
_NOT_ALNUM = bytes(c for c in range(128) if not chr(c).isalnum())


class DedupeIndex:
    """Identifier, abstract and title maps, plus title-token blocks for near matches.

    Papers added with `batch=True` belong to the file being imported: another entry
    of that file with a different cite key (or, when the file is `named`, a different
    id) matches them only on an identifier. When no two entries of the file share a
    name (`apart`), a new paper of it is indexed by its identifiers only: nothing else
    can match it.
    """

    def __init__(
        self, papers: Iterable[Paper] = (), *, named: bool = False, apart: bool = False
    ) -> None:
        self._papers: dict[str, Paper] = {}
        self._by_id: dict[str, str] = {}  # "doi:..." / "arxiv:..." -> paper id
        self._by_abstract: dict[int, str] = {}
        self._generic: set[int] = set()  # abstracts that records which differ share
        self._by_title: dict[str, str] = {}
        self._titles: dict[str, tuple[str, list[str], frozenset[str] | None]] = {}
        self._norm_titles: dict[str, str] = {}
        # The blocks hold normalised titles, which the fuzzy step reads as they are; each
        # title's papers, in the order they came, are in `_with_title`.
        self._with_title: dict[str, list[str]] = {}
        self._blocks: dict[str, set[str]] = defaultdict(set)
        self._by_length: dict[str, dict[int, set[str]]] = {}  # common words' blocks
        self._batch: set[str] = set()
        self._named, self._apart = named, apart
        self._stored: set[str] = set()  # (kept when `apart`: a merge is indexed whole)
        for paper in papers:
            self.add(paper)

    def add(self, paper: Paper, batch: bool = False) -> None:
        """Index `paper` so later papers can match it."""
        pid = paper.id
        self._papers[pid] = paper
        if batch:
            self._batch.add(pid)
        elif self._apart:
            self._stored.add(pid)
        if paper.doi or paper.arxiv:
            for ident in identifiers(paper):
                self._by_id.setdefault(ident, pid)
        if batch and self._apart and pid not in self._stored:
            return  # a new entry named apart from the others: only an identifier finds it
        key = _abstract_key(paper)
        if key is not None:
            self._by_abstract.setdefault(key, pid)
        if paper.title_derived:
            return
        facts = _title_facts(paper.title)
        title, digits = facts[0], facts[1]
        if not title:
            return
        self._by_title.setdefault(title, pid)
        self._titles[pid] = facts
        self._norm_titles[pid] = title
        papers = self._with_title.get(title)
        if papers is not None:  # the title is in its blocks already
            papers.append(pid)
            return
        self._with_title[title] = [pid]
        size, blocks, by_length = len(title), self._blocks, self._by_length
        for token in _block_tokens(title, digits):
            block = blocks[token]
            block.add(title)
            sized = by_length.get(token)
            if sized is None:
                if len(block) > BLOCK_LIMIT:
                    by_length[token] = _sized(block)
            elif (same := sized.get(size)) is None:
                sized[size] = {title}
            else:
                same.add(title)

    def remove(self, paper: Paper) -> None:
        """Forget `paper` (after a merge changed it, or a delete)."""
        self._papers.pop(paper.id, None)
        for ident in identifiers(paper):
            if self._by_id.get(ident) == paper.id:
                del self._by_id[ident]
        key = _abstract_key(paper)
        if key is not None and self._by_abstract.get(key) == paper.id:
            del self._by_abstract[key]
        entry = self._titles.pop(paper.id, None)
        self._norm_titles.pop(paper.id, None)
        if entry is None:
            return
        title = entry[0]
        if self._by_title.get(title) == paper.id:
            del self._by_title[title]
        papers = self._with_title[title]
        papers.remove(paper.id)
        if papers:  # another paper has the title: it stays in its blocks
            return
        del self._with_title[title]
        for token in _block_tokens(title, entry[1]):
            self._blocks[token].discard(title)
            same_length = self._by_length.get(token, {}).get(len(title))
            if same_length is not None:
                same_length.discard(title)

    def find(self, paper: Paper) -> str | None:
        """The id of a stored paper that `paper` duplicates, if any."""
        found = self.find_reason(paper)
        return None if found is None else found[0]

    def find_reason(self, paper: Paper) -> tuple[str, str] | None:
        """(id, why) of the stored paper that `paper` duplicates, if any."""
        for ident in identifiers(paper):
            pid = self._by_id.get(ident)
            if pid is not None and conflict(paper, self._papers[pid]) is None:
                return pid, _SAME[ident.split(":", 1)[0]]
        # (An empty map is not asked: a file's entries named apart leave them empty.)
        key = _abstract_key(paper) if self._by_abstract else None
        if key is not None and key not in self._generic and key in self._by_abstract:
            pid = self._by_abstract[key]
            if self._allowed(paper, pid):
                return pid, "same abstract"
            self._generic.add(key)  # shared by records that differ: boilerplate
        if paper.title_derived or not self._with_title:
            return None
        title = _title_facts(paper.title)[0]
        if not title:
            return None
        same = self._by_title.get(title)
        if same is not None and self._compatible(paper, same, title):
            return same, "same title"
        near = self._near_title(title, paper)
        return None if near is None else (near, "nearly the same title")

    def may_be(self, paper: Paper, pid: str) -> bool:
        """Whether `paper`, whose content id is stored paper `pid`'s, is that paper: the
        same long abstract, or the same title (the id's basis) with nothing against it."""
        other = self._papers.get(pid)
        if other is None or not self._allowed(paper, pid):
            return False
        if _abstract_key(paper) is not None and _abstract_key(paper) not in self._generic:
            return True
        same_title = _normalise(paper.title) == _normalise(other.title)
        return same_title and _years_compatible(paper.year, other.year)

    def _allowed(self, paper: Paper, pid: str) -> bool:
        """Whether nothing rules out `paper` being stored paper `pid`."""
        other = self._papers[pid]
        # One file, two names: only an identifier makes them one (found before this).
        if pid in self._batch and (
            (paper.key and other.key and paper.key != other.key)
            or (self._named and paper.id != pid)
        ):
            return False  # (the cheap checks first)
        return conflict(paper, other) is None

    def _compatible(self, paper: Paper, pid: str, title: str) -> bool:
        """Whether `paper` can be stored paper `pid`, whose title is (nearly) the same.

        Titles that normalise alike ("Lase" and "Lase++") with clearly different
        abstracts are different papers, as are titles with different numbers or
        acronyms.
        """
        _, other_digits, other_acronyms = self._titles[pid]
        other = self._papers[pid]
        _, digits, acronyms = _title_facts(paper.title)  # `title` is its normalised form
        return (  # the cheap checks first; the answer does not depend on the order
            _years_compatible(paper.year, other.year)
            and digits == other_digits
            and _same_acronyms(acronyms, other_acronyms)
            and self._allowed(paper, pid)
            and _abstracts_compatible(_normalise(paper.abstract), _normalise(other.abstract))
        )

    def _candidates(self, title: str) -> list[str]:
        """At most MAX_CANDIDATES stored titles (normalised) with this title's numbers
        that share its rarest words.

        A near title has the same numbers (`_compatible`), so a title with numbers is
        compared only with the titles holding the same ones: none when no stored title
        has them, however common its words (a list of numbered titles costs no more per
        title as it grows). A near duplicate shares nearly all words; a word misspelt in
        the new title has no block and is passed over. A title made only of common words
        is narrowed further by its next rarest words, and then cut at MAX_CANDIDATES
        (those of the closest length first). When even the smallest block is a common
        word's (more than BLOCK_LIMIT titles), only its CAP_CANDIDATES titles closest in
        length are taken (`_closest`), so the work per title stops growing with the library.
        """
        get = self._blocks.get
        numbers = _numbers_token(_digits(title))
        required = get(numbers) if numbers else None
        if numbers and not required:
            return []
        words = set(title.split())
        # The words' blocks, rarest first (a stable sort: ties in the words' set order).
        blocks = [block for word in words if (block := get(word))]
        if not blocks:
            return []
        blocks.sort(key=len)
        rarest = blocks[0]
        if len(rarest) > BLOCK_LIMIT and (required is None or len(required) > BLOCK_LIMIT):
            word = next(word for word in words if get(word) is rarest)
            rarest = self._closest(word, len(title))
        found = _sharing(rarest, blocks[1:BLOCK_TOKENS], required)
        for block in blocks[BLOCK_TOKENS:]:
            if len(found) <= MAX_CANDIDATES:
                break
            found &= block
        if len(found) <= MAX_CANDIDATES:
            return list(found)  # in any order: `_near_title` orders its hits by score and id
        size = len(title)  # the second key: about the same length
        return heapq.nsmallest(
            MAX_CANDIDATES, found, key=lambda other: (abs(len(other) - size), other)
        )

    def _closest(self, word: str, size: int) -> set[str]:
        """The (about) CAP_CANDIDATES titles of a common word's block closest in length
        to `size`: whole lengths, nearest first, and none that is too much longer or
        shorter to be a near title (NEAR_LENGTH)."""
        sized = self._by_length[word]
        found: set[str] = set(sized.get(size, ()))
        for step in range(1, int(size * NEAR_LENGTH) + 2):
            if len(found) >= CAP_CANDIDATES:
                break
            found.update(sized.get(size - step, ()), sized.get(size + step, ()))
        return found

    def _near_title(self, title: str, paper: Paper) -> str | None:
        choices = self._candidates(title)
        if not choices:
            return None
        hits = process.extract(
            title, choices, scorer=fuzz.ratio, score_cutoff=NEAR_TITLE_SCORE, limit=None
        )
        # The best few, in an order that does not depend on set iteration (ties by id);
        # of a title that many papers have, the first MAX_CANDIDATES (the work stays bounded).
        with_title = self._with_title
        best = heapq.nsmallest(
            NEAR_CHECKS,
            (
                (-score, pid)
                for other, score, _ in hits
                for pid in with_title[other][:MAX_CANDIDATES]
            ),
        )
        return next((pid for _, pid in best if self._compatible(paper, pid, title)), None)


def import_index(stored: Iterable[Paper], batch: list[Paper], named: bool = False) -> DedupeIndex:
    """The index an import of `batch` checks its papers against: of only the stored papers
    that could match (`narrowed`) for a batch of up to NARROW_BATCH papers, else of all.
    `named`: the batch is a readinglist export's, whose ids name its papers."""
    if len(batch) <= NARROW_BATCH:
        stored = narrowed(stored, batch)
    return DedupeIndex(stored, named=named, apart=named_apart(batch, named))


def named_apart(batch: list[Paper], named: bool) -> bool:
    """Whether every entry of `batch` names itself apart from the others: a cite key of
    its own (or an id of its own, when `named`), so only an identifier makes two one."""
    names = [paper.id for paper in batch] if named else [paper.key for paper in batch]
    return all(names) and len(set(names)) == len(names)


def narrowed(stored: Iterable[Paper], batch: list[Paper]) -> list[Paper]:
    """Of the stored papers, only those that a paper of `batch` could duplicate by
    the rules above (for a few papers imported into a large library: indexing every
    stored paper costs seconds at 100,000): the same content id, a shared identifier,
    the same long abstract, the same title or a near one. Each stored title is scored
    against each title of the batch (in C) instead of through blocks, so a near title is
    found whenever the whole index would find one (scoring at least as high), and also
    where its capped blocks pass one over.
    The stored papers keep their order (the first of several with one abstract wins)."""
    stored = list(stored)
    ids = {paper.id for paper in batch}
    idents = {ident for paper in batch for ident in identifiers(paper)}
    keep = {
        i
        for i, paper in enumerate(stored)
        if paper.id in ids
        or (idents and (paper.doi or paper.arxiv) and not idents.isdisjoint(identifiers(paper)))
    }
    keep |= _same_abstracts(stored, batch)
    keep |= _near_titles(stored, batch)
    return [stored[i] for i in sorted(keep)]


def _same_abstracts(stored: list[Paper], batch: list[Paper]) -> set[int]:
    """The positions of stored papers whose abstract key is one of the batch's. An ASCII
    abstract normalises to its letters and digits: one with another number of them is
    passed over without normalising it."""
    evidence = {key: paper for paper in batch if (key := _abstract_key(paper)) is not None}
    if not evidence:
        return set()
    texts = (_normalise(paper.abstract) for paper in evidence.values())
    counts = {len(text) - text.count(" ") for text in texts}
    return {
        i
        for i, paper in enumerate(stored)
        if not (paper.abstract.isascii() and _alnum_count(paper.abstract) not in counts)
        and _abstract_key(paper) in evidence
    }


def _alnum_count(text: str) -> int:
    """The letters and digits of an ASCII text (what `normalise` keeps of it, in C)."""
    return len(text.encode().translate(None, _NOT_ALNUM))


def _near_titles(stored: list[Paper], batch: list[Paper]) -> set[int]:
    """The positions of stored papers whose (normalised) title scores NEAR_TITLE_SCORE or
    more against a title of the batch (the same title scores 100)."""
    titles = [t for paper in batch if not paper.title_derived and (t := _normalise(paper.title))]
    if not titles:
        return set()
    places = [i for i, paper in enumerate(stored) if not paper.title_derived]
    choices = [normalise(stored[i].title) for i in places]
    found: set[int] = set()
    for title in set(titles):
        hits = process.extract(
            title, choices, scorer=fuzz.ratio, score_cutoff=NEAR_TITLE_SCORE, limit=None
        )
        found.update(places[at] for _, _, at in hits)
    return found


def _sized(block: set[str]) -> dict[int, set[str]]:
    """A common word's block of titles by their length (sets: `_closest` joins them in C)."""
    sized: dict[int, set[str]] = {}
    for title in block:
        if (same := sized.get(len(title))) is None:
            sized[len(title)] = {title}
        else:
            same.add(title)
    return sized


def _sharing(rarest: set[str], others: list[set[str]], required: set[str] | None) -> set[str]:
    """The titles in `rarest` and in one of `others` (all of `rarest` when there are none),
    kept to `required` when given; each set operation walks the smaller side, so the
    numbers' block, when it is the smaller, bounds the work."""
    if required is not None and len(required) < len(rarest):
        rarest = required & rarest
        required = None
    found = set().union(*(rarest & other for other in others)) if others else set(rarest)
    return found & required if required is not None else found


def _block_tokens(title: str, digits: list[str]) -> set[str]:
    """The blocks a normalised title is in: each of its words, and its numbers (if any)."""
    tokens = set(title.split())
    if digits:
        tokens.add(_numbers_token(digits))
    return tokens


def _numbers_token(digits: list[str]) -> str:
    """The block of titles with exactly these numbers ("#3 1" for "Part 3, chapter 1");
    "" for a title without any. Not a word: normalised words hold no "#"."""
    return "#" + " ".join(digits) if digits else ""


def identifiers(paper: Paper) -> list[str]:
    """The paper's identifiers in one comparable form: "doi:10.1/x", "arxiv:2101.00001"."""
    found = []
    if paper.doi:
        found.append("doi:" + paper.doi.strip().lower())
    if paper.arxiv:
        found.append("arxiv:" + _ARXIV_VERSION.sub("", paper.arxiv.strip().lower()))
    return found


def conflict(a: Paper, b: Paper) -> str | None:
    """Why `a` and `b` cannot be one paper whatever their titles say, or None."""
    if a.doi and b.doi and a.doi.strip().lower() != b.doi.strip().lower():
        return "different DOIs"
    ids_a, ids_b = dict(_split(i) for i in identifiers(a)), dict(_split(i) for i in identifiers(b))
    if "arxiv" in ids_a and "arxiv" in ids_b and ids_a["arxiv"] != ids_b["arxiv"]:
        return "different arXiv ids"
    if a.year and b.year and a.year != b.year and _disjoint_authors(a, b):
        return "different years and no author in common"
    return None


def _split(ident: str) -> tuple[str, str]:
    kind, _, value = ident.partition(":")
    return kind, value


def _disjoint_authors(a: Paper, b: Paper) -> bool:
    """Both name authors, and no family name is on both lists."""
    if not (a.authors and b.authors):
        return False
    families_a, families_b = _families(tuple(a.authors)), _families(tuple(b.authors))
    return bool(families_a and families_b) and not families_a & families_b


@lru_cache(maxsize=4096)  # a stored paper is checked against many new ones
def _families(authors: tuple[str, ...]) -> frozenset[str]:
    from readinglist.names import split_display

    return frozenset(normalise(split_display(name).family_full()) for name in authors) - {""}


def distinct_id(paper: Paper, taken: Iterable[str] | dict) -> str:
    """A content id for a paper whose usual id is another paper's: the content id
    salted with what tells them apart (year, authors, identifiers, key)."""
    salt = "\n".join([paper.id, str(paper.year), *paper.authors, *identifiers(paper), paper.key])
    n = 0
    while True:
        pid = hashlib.sha256(f"{salt}\n{n}".encode()).hexdigest()[:ID_LENGTH]
        if pid not in taken:
            return pid
        n += 1


def _abstract_key(paper: Paper) -> int | None:
    """A compact key for the normalised abstract (None when too short to be evidence)."""
    abstract = _normalise(paper.abstract)
    if len(abstract) < MIN_ABSTRACT or abstract.count(" ") + 1 < MIN_ABSTRACT_WORDS:
        return None
    return hash(abstract)


def _digits(title: str) -> list[str]:
    """The numbers in a title: "Part 3.1" and "Part 3.2" are different papers."""
    return _NUMBER.findall(title)


@lru_cache(maxsize=8)  # find() then add() of one paper, and each near title checked
def _title_facts(title: str) -> tuple[str, list[str], frozenset[str] | None]:
    """A title's normalised form, the numbers in it and its acronyms."""
    normalised = _normalise(title)
    return normalised, _digits(normalised), _acronyms(title)


def _acronyms(title: str) -> frozenset[str] | None:
    """The all-capital words of a title ("AMS", "GPT4"): a different one is a different
    paper. None for a title in capitals throughout, which has no acronyms to compare."""
    found = _ACRONYM.findall(title)
    if not found:
        return frozenset()
    if title.isascii():  # the same counts as below, in C: a-z and A-Z are ASCII's cased
        raw = title.encode("ascii")
        lower = len(raw) - len(raw.translate(None, _LOWER))
        upper = len(raw) - len(raw.translate(None, _UPPER))
    else:
        lower, upper = sum(map(str.islower, title)), sum(map(str.isupper, title))
    if lower * 4 < upper:
        return None
    return frozenset(found)


def _same_acronyms(a: frozenset[str] | None, b: frozenset[str] | None) -> bool:
    return a is None or b is None or a == b


def _abstracts_compatible(a: str, b: str) -> bool:
    """Two normalised abstracts that may belong to one paper: either missing, or much alike.

    Similar titles with clearly different abstracts are different papers
    ("FooLM: Learning X" and "BarNet: Learning X").
    """
    if len(a) < MIN_ABSTRACT or len(b) < MIN_ABSTRACT:
        return True
    return fuzz.ratio(a, b, score_cutoff=SAME_ABSTRACT_SCORE) > 0


def _years_compatible(a: int | None, b: int | None) -> bool:
    return a is None or b is None or abs(a - b) <= 1


def merge(kept: Paper, new: Paper) -> Paper:
    """`kept` enriched with what `new` knows better; `kept`'s id and state survive.

    Each field follows its merge rule in the field table (`model.FIELDS`).
    """
    return replace(kept, **{name: spec.merge(kept, new, name) for name, spec in FIELDS.items()})
