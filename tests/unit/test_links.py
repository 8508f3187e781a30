"""`o` hands a browser only http(s) links with a host, never an option-like string."""

from __future__ import annotations

import pytest

from readinglist.links import RefusedLink, openable_link
from readinglist.model import Paper


def paper(**fields) -> Paper:
    return Paper(id="0123456789abcdef", title="T", **fields)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.cookie)",
        "file:///etc/passwd",
        "--gpu-launcher=xcalc",
        "-x https://example.org",
        "data:text/html,<script>x</script>",
        "ftp://example.org/paper.pdf",
        "https://",
        "https://example.org/\x1b]52;c;ZXZpbA==\x07",
        "https://example.org/a b",
        "https://example.org/\u202eevil",
        "//example.org/no-scheme",
        "http://[::1",
    ],
)
def test_anything_but_a_plain_web_address_is_refused_and_shown_escaped(url):
    with pytest.raises(RefusedLink) as refused:
        openable_link(paper(url=url))
    message = str(refused.value)
    assert "not opened" in message
    assert "\x1b" not in message and "\u202e" not in message


@pytest.mark.parametrize(
    ("fields", "link"),
    [
        ({"url": "https://example.org/paper?id=3#x"}, "https://example.org/paper?id=3#x"),
        ({"url": "HTTP://Example.org/"}, "HTTP://Example.org/"),
        ({"arxiv": "1706.03762v2"}, "https://arxiv.org/abs/1706.03762v2"),
        ({"arxiv": "hep-th/9901001"}, "https://arxiv.org/abs/hep-th/9901001"),
        ({"arxiv": "--evil x"}, "https://arxiv.org/abs/--evil%20x"),
        ({"doi": "10.1000/a(b)<c>"}, "https://doi.org/10.1000/a%28b%29%3Cc%3E"),
        ({}, None),
    ],
)
def test_web_addresses_and_the_links_the_app_builds_are_opened(fields, link):
    assert openable_link(paper(**fields)) == link
