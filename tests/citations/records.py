"""Records with the venue fields real bibliographies have, for the CSL golden tests."""

from __future__ import annotations

import dataclasses

from readinglist.model import Paper, paper_id

VENUE_FIELDS = {
    "entry_type": "",
    "volume": None,
    "number": None,
    "pages": None,
    "publisher": None,
    "address": None,
    "booktitle": None,
    "school": None,
    "institution": None,
    "editors": (),
    "others": False,
}
_MISSING = [
    name for name in VENUE_FIELDS if name not in {f.name for f in dataclasses.fields(Paper)}
]


@dataclasses.dataclass(slots=True)
class _VenuePaper(Paper):
    """Paper with the venue fields the record does not hold yet."""

    entry_type: str = ""
    volume: str | None = None
    number: str | None = None
    pages: str | None = None
    publisher: str | None = None
    address: str | None = None
    booktitle: str | None = None
    school: str | None = None
    institution: str | None = None
    editors: tuple = ()
    others: bool = False


def record(title: str, **fields) -> Paper:
    """A paper with its content id and any venue fields."""
    cls = _VenuePaper if _MISSING else Paper
    return cls(id=paper_id(title, ""), title=title, **fields)


ARTICLE = record(
    "Large-Scale Assessment of Mobile Notifications",
    entry_type="article",
    authors=[
        "Guy Van den Broeck",
        "Hyman, Jr., Ira E.",
        "Sahami Shirazi, Alireza",
        "María de la Fuente",
    ],
    journal="Personal and Ubiquitous Computing",
    volume="16",
    number="4",
    pages="433--449",
    year=2012,
    published="2012-04",
    doi="10.1007/s00779-011-0412-2",
)
CONFERENCE = record(
    "Attention Is All You Need",
    entry_type="inproceedings",
    authors=["Ashish Vaswani", "Noam Shazeer", "Niki Parmar", "Jakob Uszkoreit"],
    booktitle="Advances in Neural Information Processing Systems",
    volume="30",
    pages="5998--6008",
    publisher="Curran Associates",
    year=2017,
)
BOOK = record(
    "The Handbook of Research Synthesis",
    entry_type="book",
    editors=("Harris Cooper", "Larry V. Hedges"),
    publisher="Russell Sage Foundation",
    address="New York",
    year=1994,
)
THESIS = record(
    "Learning to Rank with Partially Labeled Data",
    entry_type="phdthesis",
    authors=["Kevin Duh"],
    school="University of Washington",
    year=2009,
)
PREPRINT = record(
    "Centaur: A Foundation Model of Human Cognition",
    authors=["Marcel Binz", "Eric Schulz"],
    journal="arXiv preprint arXiv:2410.20268",
    arxiv="2410.20268",
    year=2024,
)
ORGANISATION = record(
    "Global Tuberculosis Report 2023",
    entry_type="techreport",
    authors=["World Health Organization"],
    institution="World Health Organization",
    address="Geneva",
    year=2023,
)
OTHERS = record(
    "MCMC Using Hamiltonian Dynamics",
    entry_type="article",
    authors=["Radford M. Neal"],
    others=True,
    journal="Handbook of Markov Chain Monte Carlo",
    pages="113--162",
    year=2011,
)
PROTECTED = record(
    "Scaling LLMs on ImageNet with DocLayout-YOLO and the Fokker-Planck Equation.",
    entry_type="article",
    authors=["Jane Q. Doe"],
    journal="Journal of Machine Learning Research",
    volume="25",
    pages="1--40",
    year=2024,
)
COUNT_ONLY = record(
    "Robust Training Using Natural Transformation",
    author_count=6,
    published="2021-05-09",
    year=2021,
)
DERIVED = Paper(
    id=paper_id("", "We present ALLaM: Arabic Large Language Model, a series of models."),
    title="We present ALLaM: Arabic Large Language Model",
    abstract="We present ALLaM: Arabic Large Language Model, a series of large language models.",
    title_derived=True,
    year=2024,
    year_inferred=True,
    arxiv="2407.15390",
)
RECORDS = {
    "article": ARTICLE,
    "conference": CONFERENCE,
    "book": BOOK,
    "thesis": THESIS,
    "preprint": PREPRINT,
    "organisation": ORGANISATION,
    "others": OTHERS,
    "protected": PROTECTED,
    "count_only": COUNT_ONLY,
    "derived": DERIVED,
}
