"""Records with the venue fields real bibliographies have, for the CSL golden tests."""

from __future__ import annotations

from readinglist.model import Paper, paper_id
from readinglist.names import split_display

# Venue fields, named as a BibTeX import names them in `Paper.venue`.
VENUE_KEYS = frozenset(
    {"booktitle", "volume", "number", "pages", "publisher", "address", "school", "institution"}
)


def record(title: str, editors=(), **fields) -> Paper:
    """A paper with its content id, as an import stores it: venue fields in `venue`
    (with the journal, when there is one), editors in parts, pages with an en dash."""
    venue = {name: fields.pop(name) for name in list(fields) if name in VENUE_KEYS}
    if "pages" in venue:
        venue["pages"] = venue["pages"].replace("--", "\u2013")
    if venue and fields.get("journal"):
        venue = {"journal": fields["journal"], **venue}
    if venue.get("booktitle"):
        fields.setdefault("journal", venue["booktitle"])
    people = [split_display(name).stored() for name in editors]
    return Paper(id=paper_id(title, ""), title=title, venue=venue, editors=people, **fields)


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
