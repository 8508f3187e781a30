"""The rendered HTML of a citation as plain text, Markdown, HTML or RTF: pure functions.

citeproc-py's HTML holds only <i>, <b>, <sup>, <sub> and a small-caps span
around escaped text; each output maps those and unescapes the text.
"""

from __future__ import annotations

import html
import re

OUTPUTS = ("text", "markdown", "html", "rtf")
_TAG = re.compile(r"<(/?)([a-z]+)[^>]*>")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
_MARKDOWN = {"i": "*", "b": "**", "sup": "^", "sub": "~"}
_RTF = {"i": ("{\\i ", "}"), "b": ("{\\b ", "}"), "sup": ("{\\super ", "}")}
_RTF.update({"sub": ("{\\sub ", "}"), "span": ("{\\scaps ", "}")})


def convert(rendered: str, output: str) -> str:
    """`rendered` (citeproc HTML) in `output`: text, markdown, html or rtf."""
    if output == "html":
        return rendered
    if output == "text":
        return html.unescape(_TAG.sub("", rendered))
    if output == "markdown":
        return _mapped(rendered, _markdown_tag, _markdown_text)
    if output == "rtf":
        return _mapped(rendered, _rtf_tag, rtf_escape)
    raise ValueError(f"unknown output {output!r}: choose from {', '.join(OUTPUTS)}")


def _mapped(rendered: str, tag, text) -> str:
    out, last = [], 0
    for match in _TAG.finditer(rendered):
        out.append(text(html.unescape(rendered[last : match.start()])))
        out.append(tag(match.group(2), bool(match.group(1))))
        last = match.end()
    out.append(text(html.unescape(rendered[last:])))
    return "".join(out)


def _markdown_tag(name: str, closing: bool) -> str:
    return _MARKDOWN.get(name, "")


def _markdown_text(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _rtf_tag(name: str, closing: bool) -> str:
    opening, close = _RTF.get(name, ("{", "}"))
    return close if closing else opening


def rtf_escape(text: str) -> str:
    """`text` as RTF: specials escaped, non-ASCII as \\uN? escapes."""
    out = []
    for char in text:
        if char in "\\{}":
            out.append("\\" + char)
        elif ord(char) < 128:
            out.append(char)
        else:
            code = ord(char)
            for unit in _utf16(code):
                out.append(f"\\u{unit - 65536 if unit > 32767 else unit}?")
    return "".join(out)


def _utf16(code: int) -> list[int]:
    if code < 0x10000:
        return [code]
    code -= 0x10000
    return [0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF)]


def rtf_document(body: str) -> str:
    """An RTF document holding `body` (already RTF), one paragraph per line."""
    paragraphs = "\\par\n".join(body.split("\n"))
    return "{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Times New Roman;}}\n" + paragraphs + "}"
