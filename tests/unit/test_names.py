"""Names in parts: BibTeX's rules, display strings, and the BibTeX form back."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readinglist.names import Name, parse_bibtex_names, split_and, split_display
from readinglist.parsing.bibtex import decode


def one(text: str) -> Name:
    names, others = parse_bibtex_names(text, decode)
    assert len(names) == 1 and not others
    return names[0]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Hyman, Jr, Ira E.", Name(given="Ira E.", family="Hyman", suffix="Jr")),
        ("Van den Broeck, Guy", Name(given="Guy", family="Broeck", particle="Van den")),
        ("Guy Van den Broeck", Name(given="Guy", family="Broeck", particle="Van den")),
        ("Sahami Shirazi, Alireza", Name(given="Alireza", family="Sahami Shirazi")),
        ("Da Costa, Joao", Name(given="Joao", family="Costa", particle="Da")),
        ("De Ara{\\'u}jo, Maria", Name(given="Maria", family="Araújo", particle="De")),
        ("Jean de la Fontaine", Name(given="Jean", family="Fontaine", particle="de la")),
        ("Ludwig van Beethoven", Name(given="Ludwig", family="Beethoven", particle="van")),
        ('M{\\"u}ller, J{\\"o}rg', Name(given="Jörg", family="Müller")),
        ("{World Health Organization}", Name(literal="World Health Organization")),
        ("{Barnes and Noble, Inc.}", Name(literal="Barnes and Noble, Inc.")),
        ("Donald~E. Knuth", Name(given="Donald E.", family="Knuth")),
        ("{\\'E}mile Zola", Name(given="Émile", family="Zola")),
        ("Plato", Name(family="Plato")),
    ],
)
def test_bibtex_names_in_parts(text, name):
    assert one(text) == name


def test_and_others_is_a_flag_and_and_splits_outside_braces():
    names, others = parse_bibtex_names("Knuth, D. AND {Lamport and Co} and others", decode)
    assert [n.display() for n in names] == ["D. Knuth", "Lamport and Co"] and others


@pytest.mark.parametrize(
    ("name", "bibtex"),
    [
        (Name(given="Ira E.", family="Hyman", suffix="Jr"), "Hyman, Jr, Ira E."),
        (Name(given="Guy", family="Broeck", particle="Van den"), "Van den Broeck, Guy"),
        (Name(given="Alireza", family="Sahami Shirazi"), "Sahami Shirazi, Alireza"),
        (Name(literal="ACM & IEEE"), "{ACM \\& IEEE}"),
        (Name(given="Jörg", family="Müller"), "Müller, Jörg"),
        (Name(given="bell", family="hooks x"), "{hooks x}, bell"),
        (Name(family="Lutz Birkhahn"), "{Lutz Birkhahn},"),  # (TUGboat's \\rlap{Lutz Birkhahn})
        (Name(family="Madonna"), "Madonna"),
    ],
)
def test_bibtex_form_reads_back_to_the_same_parts(name, bibtex):
    assert name.bibtex() == bibtex
    assert one(bibtex) == name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Guy Van den Broeck", Name(given="Guy", family="Broeck", particle="Van den")),
        ("Ira E. Hyman Jr.", Name(given="Ira E.", family="Hyman", suffix="Jr.")),
        ("Joao Da Costa", Name(given="Joao", family="Costa", particle="Da")),
        ("Hyman, Jr, Ira E.", Name(given="Ira E.", family="Hyman", suffix="Jr")),
        ("Yann LeCun", Name(given="Yann", family="LeCun")),
        ("Madonna", Name(family="Madonna")),
    ],
)
def test_display_strings_split_with_the_same_rules(text, name):
    assert split_display(text) == name
    assert split_display(name.display()) == name


def test_json_forms():
    name = Name(given="Guy", family="Broeck", particle="Van den")
    assert name.to_json() == {
        "given": "Guy", "family": "Broeck", "particle": "Van den", "suffix": "", "literal": ""
    }  # fmt: skip
    assert name.stored() == {"given": "Guy", "family": "Broeck", "particle": "Van den"}
    assert Name.from_json(name.stored()) == name and name.family_full() == "Van den Broeck"


def test_a_display_string_with_a_comma_before_its_suffix():
    assert split_display("Patrick Haffner, Jr.") == Name(
        given="Patrick", family="Haffner", suffix="Jr."
    )
    assert split_display("Charles de Gaulle, Jr.").family_full() == "de Gaulle"
    # one word before the comma is BibTeX's "Last, First": V is an initial here
    assert split_display("Smith, V") == Name(given="V", family="Smith")


def _split_and_by_characters(text: str) -> list[str]:
    """split_and as a walk over every character (what the regex walk replaced)."""
    parts, depth, start, i = [], 0, 0, 0
    lowered = text.lower()
    while i < len(text):
        char = text[i]
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif (
            depth == 0
            and char.isspace()
            and lowered.startswith("and", i + 1)
            and i + 4 < len(text)
            and text[i + 4].isspace()
        ):
            parts.append(text[start:i])
            start = i = i + 5
            continue
        i += 1
    parts.append(text[start:])
    return [part.strip() for part in parts if part.strip()]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aAnNdD {}\t\nxé,", max_size=40))
def test_split_and_splits_where_the_character_walk_did(text):
    assert split_and(text) == _split_and_by_characters(text)


def test_split_and_takes_and_in_any_case_outside_braces_only():
    assert split_and("A and B AND C {D and E} aNd F andy G") == [
        "A",
        "B",
        "C {D and E}",
        "F andy G",
    ]
    assert split_and("and A and") == ["and A and"]  # no space before the first, none after the last
