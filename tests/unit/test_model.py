import os

import pytest

from readinglist.model import Paper, normalise, normalise_tag, paper_id, parse_tags, short_ids


def test_paper_id_is_content_hash_of_abstract_else_title():
    assert paper_id("A title", "Some Abstract.") == paper_id("Other", "some   abstract")
    assert paper_id("A Title!", "") == paper_id("a title", "")
    assert paper_id("A", "x") != paper_id("A", "y")
    pid = paper_id("t", "a")
    assert len(pid) == 16 and int(pid, 16) >= 0 and pid == pid.lower()


def test_normalise_folds_case_accents_and_punctuation():
    assert normalise("Éclair: the  BEST—café!") == "eclair the best cafe"


@pytest.mark.parametrize(
    ("raw", "tag"),
    [(" Robust Training ", "robust-training"), ("ml/cv", "ml/cv"), ("v1.2_x", "v1.2_x")],
)
def test_tags_are_normalised(raw, tag):
    assert normalise_tag(raw) == tag


@pytest.mark.parametrize("raw", ["", "  ", "no#hash", "emoji✨", "a,b"])
def test_bad_tags_are_refused(raw):
    with pytest.raises(ValueError):
        normalise_tag(raw)


def test_parse_tags_splits_commas_and_deduplicates():
    assert parse_tags("a, B", "b,c", " ") == ["a", "b", "c"]


def test_short_ids_are_unique_prefixes_of_at_least_six():
    ids = ["abcdef0123", "abcdef0199", "ffff000000"]
    short = short_ids(ids)
    assert short == {"abcdef0123": "abcdef012", "abcdef0199": "abcdef019", "ffff000000": "ffff00"}


def test_json_shape_round_trips():
    paper = Paper(
        id="0123456789abcdef",
        title="T",
        abstract="A",
        authors=["Ada Lovelace"],
        doi="10.1/x",
        tags=["x"],
        read=True,
        read_at="2024-01-01T00:00:00+00:00",
        note="n",
    )
    data = paper.to_json()
    assert data["identifiers"] == {
        "doi": "10.1/x", "arxiv": None, "arxiv_class": None, "isbn": None, "issn": None,
        "url": None, "file": None,
    }  # fmt: skip
    assert "doi" not in data
    assert Paper.from_json(data) == paper


def test_with_changes_is_dataclasses_replace():
    import dataclasses

    from readinglist.model import with_changes

    paper = Paper(
        id="a" * 16, title="T", authors=["Ada Lovelace"], tags=["x"], year=2020, read=True
    )
    for changes in ({}, {"tags": ["y"], "year": None}, {"stamps": {"*": ["t", "r", "s"]}}):
        copy = with_changes(paper, changes)
        assert copy == dataclasses.replace(paper, **changes)
        assert copy is not paper
    assert paper.tags == ["x"] and paper.year == 2020  # the original is left as it was
    with pytest.raises(TypeError):
        with_changes(paper, {"no_such_field": 1})


def test_short_ids_are_the_shortest_prefixes_no_other_id_shares():
    import random

    rng = random.Random(7)
    for _ in range(300):
        digits = "0123456789abcdef"[: rng.choice([1, 2, 4, 16])]
        count = rng.randint(0, 60)
        ids = list({"".join(rng.choices(digits, k=rng.randint(6, 16))) for _ in range(count)})
        short = short_ids(ids)
        assert short.keys() == set(ids)
        for pid in ids:
            length = max([6, *(len(os.path.commonprefix([pid, o])) + 1 for o in ids if o != pid)])
            assert short[pid] == pid[:length]
