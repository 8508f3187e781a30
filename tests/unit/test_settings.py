"""Typed settings: a stored value of the wrong type or an unknown choice reads as the default."""

from __future__ import annotations

import json

from readinglist.persistence.library import Library
from readinglist.settings import Settings


def test_stored_values_of_the_right_type_are_read():
    stored = {"citation_style": "ieee", "recent_styles": ["apa", "mla"], "theme": "nord",
              "sort": "title", "contact": "me@example.org"}  # fmt: skip
    assert Settings.of(stored) == Settings("ieee", ("apa", "mla"), "nord", "title")


def test_wrong_types_and_unknown_sorts_read_as_the_defaults():
    stored = {"citation_style": 5, "recent_styles": ["apa", 3, None, "mla"], "theme": ["x"],
              "sort": "relevance"}  # fmt: skip
    assert Settings.of(stored) == Settings(recent_styles=("apa", "mla"))
    assert Settings.of({"recent_styles": "apa"}) == Settings()


def test_a_used_style_goes_first_among_the_recent_ones_each_once():
    settings = Settings(recent_styles=tuple("abcdefgh"))
    assert settings.with_recent("e") == ["e", "a", "b", "c", "d", "f", "g", "h"]
    assert settings.with_recent("z") == ["z", *"abcdefg"]


def test_the_library_reads_its_settings_file_typed(tmp_path):
    lib = Library(tmp_path / "lib")
    assert lib.preferences() == Settings()
    lib.set_setting("citation_style", "apa")
    lib.set_setting("sort", "upvotes")
    assert lib.preferences() == Settings(citation_style="apa", sort="upvotes")
    settings = json.loads((tmp_path / "lib" / "settings.json").read_text())
    assert settings["citation_style"] == "apa"
