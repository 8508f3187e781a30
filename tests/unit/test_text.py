import json

from readinglist.safe_text import _UNSAFE, json_bytes, safe, safe_line


def test_json_bytes_is_the_same_value_with_nothing_that_acts_on_a_terminal():
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    data = {"all": every, "mixed": "’é ok \u202eevil\u202c \x9b31m \x1b[2J", "plain": "ascii"}
    out = json_bytes(data)
    assert json.loads(out) == data
    assert not _UNSAFE.search(out.decode("utf-8"))
    assert "’é ok" in out.decode("utf-8")  # other non-ASCII stays as it is


def test_safe_shows_escapes_visibly():
    assert safe("a\x1b[2Jb\u202ec\nd") == "a\\x1b[2Jb<U+202E>c\nd"
    assert safe_line("a\nb\tc\x9b") == "a b c\\x9b"
