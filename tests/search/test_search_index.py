"""The index against a brute-force scan, and changes against a rebuild."""

from __future__ import annotations

import dataclasses
from array import array

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from readinglist.model import Paper
from readinglist.persistence import records
from readinglist.search import SearchIndex, Term, parse_query
from readinglist.search import cache as cache_module
from readinglist.search import index as index_module
from readinglist.search.cache import _read, load_index, load_or_build, save_index
from readinglist.search.index import SHORT_PREFIX
from readinglist.search.state import States
from readinglist.search.tokens import variants

# Words at least three edits apart, so no typo fallback links them.
WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "kilo"]
TAGS = ["red", "blue"]

words = st.lists(st.sampled_from(WORDS), max_size=6).map(" ".join)
papers_strategy = st.lists(
    st.builds(
        lambda title, abstract, note, tags, year, read: dict(
            title=title or "untitled",
            abstract=abstract,
            note=note,
            tags=tags,
            year=year,
            read=read,
        ),
        words,
        words,
        st.sampled_from(["", "golf", "kilo hotel"]),
        st.lists(st.sampled_from(TAGS), unique=True, max_size=2),
        st.one_of(st.none(), st.integers(2019, 2022)),
        st.booleans(),
    ),
    min_size=1,
    max_size=25,
).map(lambda rows: [_paper(i, row) for i, row in enumerate(rows)])
queries = st.builds(
    lambda ws, prefix, title, excluded, flt: " ".join(
        [
            *ws,
            *([f"title:{title}"] if title else []),
            *([f"-{excluded}"] if excluded else []),
            *([flt] if flt else []),
            *([prefix] if prefix else []),
        ]
    ),
    st.lists(st.sampled_from(WORDS + ["zulu"]), max_size=2),
    st.one_of(
        st.none(),
        st.sampled_from(WORDS).flatmap(lambda w: st.integers(1, len(w)).map(lambda n: w[:n])),
    ),
    st.one_of(st.none(), st.sampled_from(WORDS)),
    st.one_of(st.none(), st.sampled_from(WORDS)),
    st.sampled_from(
        [None, "is:read", "is:unread", "tag:red", "-tag:blue", "year:>=2021", "year:2019..2020"]
    ),
)


def _paper(i: int, row: dict) -> Paper:
    year = row.pop("year")
    published = f"{year}-0{i % 9 + 1}-01" if year else None
    return Paper(id=f"p{i:03d}", year=year, published=published, added=f"t{i % 4}", **row)


def _tokens(paper: Paper) -> dict[str, set[str]]:
    state = set(paper.note.split()) | set(paper.tags)
    return {
        "title": set(paper.title.split()),
        "abstract": set(paper.abstract.split()),
        "state": state,
    }


def _term_hits(term: Term, fields: dict[str, set[str]]) -> tuple[bool, bool]:
    """(matches anywhere, matches in the title) by brute force."""
    forms = set(variants(term.word))

    def hit(tokens: set[str], prefix: bool) -> bool:
        return bool(tokens & forms) or (prefix and any(t.startswith(term.word) for t in tokens))

    in_title = hit(fields["title"], term.prefix)
    if term.title_only:
        return in_title, in_title
    long = term.prefix and len(term.word) >= SHORT_PREFIX
    anywhere = in_title or hit(fields["abstract"], long) or hit(fields["state"], term.prefix)
    return anywhere, in_title


def _passes(flt, paper: Paper) -> bool:
    if flt.kind == "read":
        ok = paper.read
    elif flt.kind == "tag":
        ok = flt.value in paper.tags
    else:
        lo = flt.lo if flt.lo is not None else -1
        hi = flt.hi if flt.hi is not None else 10**9
        ok = paper.year is not None and lo <= paper.year <= hi
    return ok != flt.negate


def brute_force(papers: list[Paper], text: str) -> list[tuple[int, Paper]]:
    """Matching papers with their title-hit counts."""
    query = parse_query(text)
    found = []
    for paper in papers:
        fields = _tokens(paper)
        hits = [_term_hits(t, fields) for t in query.terms]
        excluded = any(_term_hits(Term(t.word), fields)[0] for t in query.excluded)
        filtered = all(_passes(f, paper) for f in query.filters)
        if all(h[0] for h in hits) and not excluded and filtered:
            found.append((sum(h[1] for h in hits), paper))
    return found


SHORT = [
    _paper(0, dict(title="bravo", abstract="alpha", note="", tags=[], year=None, read=False)),
    _paper(1, dict(title="alpha", abstract="", note="golf", tags=["red"], year=2020, read=True)),
]


@settings(max_examples=150, deadline=None)
@given(papers_strategy, queries)
@example(SHORT, "al")
@example(SHORT, "alp")
@example(SHORT, "go")
@example(SHORT, "re")
@example(SHORT, "alpha -golf")
@example(SHORT, "title:alpha")
def test_search_matches_a_brute_force_scan(papers, text):
    result = SearchIndex(papers).search(text, limit=None)
    expected = brute_force(papers, text)
    assert result.error is None
    assert set(result.ids) == {p.id for _, p in expected}
    assert result.total == len(expected)
    query = parse_query(text)
    newest = sorted(expected, key=lambda e: e[1].id)
    newest.sort(key=lambda e: (e[1].published or "", e[1].added), reverse=True)
    if not query.ranked:
        assert result.ids == [p.id for _, p in newest]  # filtered, newest first
    elif len(query.terms) == 1:
        newest.sort(key=lambda e: -e[0])
        assert result.ids == [p.id for _, p in newest]


@settings(max_examples=150, deadline=None)
@given(papers_strategy, queries, st.integers(1, 5))
def test_limit_gives_the_first_ranked_ids(papers, text, limit):
    index = SearchIndex(papers)
    everything = index.search(text, limit=None)
    first = index.search(text, limit=limit)
    assert first.ids == everything.ids[:limit]
    assert first.total == everything.total


changes = st.lists(
    st.tuples(st.sampled_from(["tag", "read", "note", "title", "remove"]), st.integers(0, 24)),
    max_size=12,
)


@settings(max_examples=100, deadline=None)
@given(papers_strategy, changes, st.lists(queries, min_size=1, max_size=4))
def test_updates_and_removals_equal_a_rebuild(papers, edits, texts):
    index = SearchIndex(papers)
    current = {p.id: p for p in papers}
    for kind, n in edits:
        pid = f"p{n:03d}"
        if pid not in current:
            continue
        if kind == "remove":
            del current[pid]
            index.remove(pid)
            continue
        paper = dataclasses.replace(current[pid])
        if kind == "tag":
            paper.tags = [] if paper.tags else ["blue"]
        elif kind == "read":
            paper.read = not paper.read
        elif kind == "note":
            paper.note = "" if paper.note else "echo"
        else:
            paper.title = paper.title + " delta"
        current[pid] = paper
        index.update(paper)
    fresh = SearchIndex(list(current.values()))
    for text in texts:
        got, want = index.search(text, limit=None), fresh.search(text, limit=None)
        assert got.total == want.total
        if parse_query(text).ranked:
            assert got.ids == want.ids
        else:
            assert set(got.ids) == set(want.ids)


dated_changes = st.lists(
    st.tuples(
        st.sampled_from(["year", "added", "add", "remove"]),
        st.integers(0, 24),
        st.one_of(st.none(), st.integers(2019, 2022)),
    ),
    max_size=8,
)


def _dated(current: dict[str, Paper], edits: list) -> tuple[set[str], set[str]]:
    """Apply `edits` to the papers of `current` (by id); the ids changed and removed."""
    changed, gone = set(), set()
    for i, (kind, n, year) in enumerate(edits):
        pid = f"new{i}" if kind == "add" else f"p{n:03d}"
        if kind == "remove":
            if current.pop(pid, None) is not None:
                changed.add(pid)
                gone.add(pid)
            continue
        if kind == "add":
            paper = Paper(id=pid, title="alpha bravo", added=f"t{n % 4}")
        elif pid in current:
            paper = dataclasses.replace(current[pid])
        else:
            continue
        if kind == "added":
            paper.added = f"t{n % 5}"
        else:
            paper.year, paper.published = year, f"{year}-01-01" if year else None
        current[pid] = paper
        changed.add(pid)
        gone.discard(pid)
    return changed, gone


def _newest(index: SearchIndex) -> list[str]:
    return index.search("", limit=None).ids


@settings(max_examples=100, deadline=None)
@given(papers_strategy, dated_changes)
def test_a_changed_date_takes_its_place_in_the_newest_first_order_of_a_rebuild(
    tmp_path_factory, papers, edits
):
    """Each change puts its paper in the rank order (nothing is sorted again), fresh or
    saved: the order is a rebuild's, and so is the rank a fresh index saves."""
    path = tmp_path_factory.mktemp("cache") / "search-index.bin"
    index = SearchIndex(papers)
    save_index(index, path)
    current = {p.id: p for p in papers}
    changed, gone = _dated(current, edits)
    states = States({p.id: (p.read, p.tags, p.note) for p in current.values()})
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(index_module, "_newest_first", None)  # a sort would fail
        saved = SearchIndex.saved(_read(path, lazy=True), states, current.get, changed, gone)
        for pid in changed:
            index.remove(pid)
            if pid in current:
                index.update(current[pid])
        got, got_saved = _newest(index), _newest(saved)
        ranked, ranked_saved = index.search("alpha"), saved.search("alpha")
    fresh = SearchIndex(list(current.values()))
    assert got == got_saved == _newest(fresh)
    assert ranked.ids == ranked_saved.ids == fresh.search("alpha").ids
    rank_ids = [
        [data["ids"][pos] for pos in array("I", data["rank"])]
        for data in (index.bibliographic(), fresh.bibliographic())
    ]
    assert rank_ids[0] == rank_ids[1] == got


def test_new_words_from_an_added_paper_are_searchable():
    index = SearchIndex([Paper(id="a", title="alpha")])
    index.update(Paper(id="b", title="zebra crossing", abstract="striped"))
    assert index.search("zebr").ids == ["b"]
    assert index.search("striped ").ids == ["b"]
    assert index.search("zebar ").ids == ["b"]  # a typo finds the new word too


def test_a_malformed_qualifier_is_an_error_field_not_an_exception():
    result = SearchIndex([Paper(id="a", title="alpha")]).search("alpha year:abc")
    assert result.ids == [] and result.error.startswith("year:abc — expected a year")


def test_empty_query_lists_everything_newest_first_ties_by_id():
    papers = [
        Paper(id=f"p{i}", title=f"paper {i}", year=y) for i, y in ((3, 2020), (1, 2024), (2, 2020))
    ]
    assert SearchIndex(papers).search("").ids == ["p1", "p2", "p3"]


def _networks() -> list[Paper]:
    return [
        Paper(id=f"p{i}", title=f"{w} networks", abstract=f"about {w} (XY)")
        for i, w in enumerate(WORDS * 3)
    ]


def test_saved_index_round_trips_and_takes_in_a_change(tmp_path):
    papers = _networks()
    built, loaded = load_or_build(papers, tmp_path)
    assert not loaded
    again, loaded = load_or_build(papers, tmp_path)
    assert loaded
    for text in ["alp", "networks ", "charlei ", "-golf", "year:2020"]:
        assert again.search(text).ids == built.search(text).ids
    renamed = [*papers[:-1], dataclasses.replace(papers[-1], title="renamed")]
    path = tmp_path / "search-index.bin"
    patched, changed = load_index(path, renamed)
    assert changed
    assert patched.search("renamed").ids == [papers[-1].id]
    assert papers[-1].id not in patched.search("kilo networks").ids
    merged = [*papers[:-1], dataclasses.replace(papers[-1], abstract="zanzibarite richer text")]
    assert load_or_build(merged, tmp_path)[0].search("zanzibarite").ids == [merged[-1].id]
    path.write_bytes(b"garbage")
    assert load_or_build(papers, tmp_path)[1] is False


def test_a_saved_index_is_trusted_by_the_corpus_generation_else_checked_paper_by_paper(
    tmp_path, monkeypatch
):
    papers = _networks()
    path = tmp_path / "search-index.bin"
    load_or_build(papers, tmp_path, stamp="a1")
    checked = []
    real = index_module.text_key
    monkeypatch.setattr(index_module, "text_key", lambda p: checked.append(p.id) or real(p))
    assert load_index(path, papers, "a1")[1] is False
    assert checked == []  # the generation matched: no text was read
    assert load_index(path, papers, "b2")[1] is True  # same text, another generation: re-save
    assert len(checked) == len(papers)


def test_a_saved_index_that_changed_too_much_is_rebuilt(tmp_path):
    papers = _networks()
    load_or_build(papers, tmp_path)
    others = [dataclasses.replace(p, title=f"other {p.title}") for p in papers[:10]]
    assert load_index(tmp_path / "search-index.bin", others + papers[10:]) is None


changes = st.lists(
    st.tuples(st.sampled_from(["add", "remove", "title", "abstract", "tag"]), st.integers(0, 99)),
    max_size=4,
)


@settings(max_examples=80, deadline=None)
@given(papers_strategy, changes, st.lists(queries, min_size=1, max_size=4))
def test_a_patched_saved_index_answers_as_a_fresh_build(tmp_path_factory, papers, steps, texts):
    folder = tmp_path_factory.mktemp("cache")
    load_or_build(papers, folder)
    for _ in range(2):  # patch a patched index too
        _change_and_compare(folder, papers, steps, texts)


def _change_and_compare(folder, papers, steps, texts):
    current = {p.id: p for p in papers}
    for i, (kind, n) in enumerate(steps):
        pid = list(current)[n % len(current)]
        if kind == "add":
            current[f"new{i}"] = Paper(id=f"new{i}", title=WORDS[n % 9], abstract=WORDS[-n % 9])
        elif kind == "remove" and len(current) > 1:
            del current[pid]
        elif kind in ("title", "abstract"):
            current[pid] = dataclasses.replace(current[pid], **{kind: WORDS[n % 9]})
        elif kind == "tag":
            current[pid] = dataclasses.replace(current[pid], tags=["blue"])
    now = list(current.values())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(index_module, "STALE_SHARE", 1e9)  # patch, however much changed
        loaded, patched = load_or_build(now, folder)
    assert patched
    fresh = SearchIndex(now)
    for text in [*texts, "", "is:read", "year:>=2021", "alph", "charlei"]:
        assert loaded.search(text, None).ids == fresh.search(text, None).ids
    papers[:] = now


def test_saved_arrays_in_vocabulary_order_read_back_as_the_postings_hold_them(tmp_path):
    papers = _networks()
    index = SearchIndex(papers)
    path = tmp_path / "search-index.bin"
    save_index(index, path)
    saved, whole, lazy = index.bibliographic(), _read(path), _read(path, lazy=True)
    for part in ("title", "abstract"):
        rare = {word: positions.tobytes() for word, positions in saved[part]["rare"].items()}
        assert whole[part]["rare"] == rare and dict(lazy[part]["rare"].items()) == rare
        assert set(rare) < set(saved["vocab"])  # (words with a mask or in the other part)
        assert not any(word in lazy[part]["rare"] for word in set(saved["vocab"]) - set(rare))
        assert "zzz" not in lazy[part]["rare"] and 3 not in lazy[part]["rare"]


def test_an_index_saved_in_the_format_before_is_rebuilt_never_misread(tmp_path):
    """Format 9 saved each part's arrays keyed by word, with no arrays in vocabulary order."""
    papers = _networks()
    path = tmp_path / "search-index.bin"
    parts = SearchIndex(papers).bibliographic()
    for part in ("title", "abstract"):  # (format 9 saved them as bytes)
        parts[part]["rare"] = {word: a.tobytes() for word, a in parts[part]["rare"].items()}
    parts["title"]["rare"] = {"kilo": parts["title"]["rare"]["alpha"]}  # would misfind
    pieces = [piece for name, part in parts.items() for piece in cache_module._records(name, part)]
    head = {"format": 9, "stamp": "a1", "names": [name for name, _ in pieces]}
    path.write_bytes(records.pack([head, *(piece for _, piece in pieces)]))
    assert _read(path) is None and _read(path, lazy=True) is None
    index, loaded = load_or_build(papers, tmp_path, "a1")
    assert not loaded
    assert set(index.search("kilo").ids) == {p.id for p in papers if "kilo" in p.title}
    assert _read(path) is not None  # saved again, in this format


def test_a_truncated_saved_index_is_rebuilt_not_an_error(tmp_path):
    papers = _networks()
    load_or_build(papers, tmp_path)
    path = tmp_path / "search-index.bin"
    whole = path.read_bytes()
    for size in (0, 3, 7, len(whole) // 2, len(whole) - 1):
        path.write_bytes(whole[:size])
        index, loaded = load_or_build(papers, tmp_path)
        assert not loaded
        assert set(index.search("alpha").ids) == {"p0", "p9", "p18"}
        assert path.read_bytes() == whole  # saved again, whole
