from readinglist.dedupe import DedupeIndex, merge
from readinglist.model import Paper, paper_id


def make(title, abstract="", **fields):
    abstract = abstract or (
        f"Abstract of {title}: long enough to take part in matching, with twenty words "
        "or more, which a short or generic abstract does not have."
    )
    return Paper(id=paper_id(title, abstract), title=title, abstract=abstract, **fields)


def test_exact_title_and_abstract_match():
    stored = make("Robust Training Using Natural Transformation", year=2021)
    index = DedupeIndex([stored])
    assert index.find(make("robust training using natural transformation.")) == stored.id
    assert index.find(make("Other title", stored.abstract)) == stored.id
    assert index.find(make("Something else entirely")) is None


def test_near_title_needs_compatible_year():
    stored = make("Efficient Adversarial Training in LLMs with Continuous Attacks", year=2024)
    index = DedupeIndex([stored])
    typo = make("Efficient Adversarial Training in LLMs with Continous Attacks", year=2024)
    assert index.find(typo) == stored.id
    far = make("Efficient Adversarial Training in LLMs with Continous Attacks", year=2015)
    assert index.find(far) is None


def test_derived_titles_never_match_by_title():
    stored = make("We present a method", title_derived=True)
    index = DedupeIndex([stored])
    assert (
        index.find(make("We present a method", "A different abstract, long enough to match."))
        is None
    )
    assert index.find(make("We present a method", stored.abstract, title_derived=True)) == stored.id


def test_merge_keeps_the_richest_fields():
    kept = make(
        "Derived title",
        title_derived=True,
        author_count=6,
        upvotes=1,
        published="2024-03-14",
        year=2024,
        year_inferred=True,
        sources=["a"],
        tags=["x"],
        read=True,
        read_at="t",
    )
    new = make(
        "Real Title",
        kept.abstract,
        authors=["A B", "C D"],
        upvotes=3,
        published="2023-03-14",
        year=2023,
        sources=["b"],
        doi="10.1/z",
    )
    merged = merge(kept, new)
    assert merged.id == kept.id
    assert (merged.title, merged.title_derived) == ("Real Title", False)
    assert merged.authors == ["A B", "C D"] and merged.author_count == 6
    assert (merged.published, merged.year, merged.year_inferred) == ("2023-03-14", 2023, False)
    assert merged.upvotes == 3 and merged.doi == "10.1/z"
    assert merged.sources == ["a", "b"] and merged.tags == ["x"] and merged.read


def test_titles_that_differ_only_in_numbers_are_different_papers():
    part1 = make("Physics of Language Models: Part 3.1, Knowledge Storage and Extraction")
    index = DedupeIndex([part1])
    part2 = make("Physics of Language Models: Part 3.2, Knowledge Storage and Extraction")
    assert index.find(part2) is None


def test_similar_titles_with_different_abstracts_are_different_papers():
    stored = make(
        "NogibeLM: Learning from Noisy Labels via Self-Taught Meta Loss Rescaling",
        "We study label noise and propose a meta-learned loss rescaling for image classifiers.",
    )
    index = DedupeIndex([stored])
    other = make(
        "MapeBench: Learning from Noisy Labels via Self-Taught Meta Loss Rescaling",
        "A benchmark of table question answering over spreadsheets with ten thousand tasks.",
    )
    assert index.find(other) is None
    revised = make(
        "NogibeLM: Learning From Noisy Labels via Self-Taught Meta-Loss Rescaling",
        "We study label noise and propose a meta-learned loss rescaling for image classifiers!",
    )
    assert index.find(revised) == stored.id


def test_titles_that_normalise_alike_with_different_abstracts_are_different_papers():
    lase = make("Lase", "We learn to align speech embeddings across many languages at scale.")
    index = DedupeIndex([lase])
    plus = make("Lase++", "A compiler pass that vectorises sparse loops on modern GPU hardware.")
    assert index.find(plus) is None
    again = make("LASE", lase.abstract + " Code is available.")
    assert index.find(again) == lase.id
    bare = Paper(id=paper_id("Lase", ""), title="Lase")
    assert index.find(bare) == lase.id  # no abstract to tell them apart


def _counting(index: DedupeIndex) -> list[int]:
    """Record how many stored titles each lookup hands to the fuzzy step."""
    counts: list[int] = []
    candidates = index._candidates

    def counted(title: str) -> list[str]:
        found = candidates(title)
        counts.append(len(found))
        return found

    index._candidates = counted  # type: ignore[method-assign]
    return counts


def test_a_numbered_title_is_compared_only_with_titles_holding_its_numbers():
    words = ["deep", "learning", "graph", "neural", "networks", "robust", "vision"]
    index = DedupeIndex(
        Paper(id=f"{i:016x}", title=f"{' '.join(words[i % 3 : i % 3 + 5])} {i}", year=2020)
        for i in range(3000)
    )
    counts = _counting(index)
    assert index.find(Paper(id="f" * 16, title="deep learning graph neural networks 99999")) is None
    assert counts == [0]  # 3,000 titles share every word, none the number
    typo = Paper(id="e" * 16, title="deep learning graph neural netwroks 1200", year=2020)
    assert index.find(typo) == f"{1200:016x}"
    assert counts[-1] == 1
    part = Paper(id="d" * 16, title="graph neural networks robust vision 1201 2", year=2020)
    assert index.find(part) is None and counts[-1] == 0


def test_removed_titles_leave_the_numbers_block():
    stored = Paper(id="a" * 16, title="Attention Is All You Need 2", year=2017)
    index = DedupeIndex([stored])
    near = Paper(id="b" * 16, title="Attention Is All You Needs 2", year=2017)
    assert index.find(near) == stored.id
    index.remove(stored)
    assert index.find(near) is None
