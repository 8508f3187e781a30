"""The paper actions of the main screen: read, tag, note, cite, open, delete, undo.

Each change is shown at once from memory (`Session`), then written to the
library on the store thread; a failed write is reported and the library
re-read, so the screen never shows what was not stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.notifications import SeverityLevel

from readinglist import citations, clipboard, exporting, links
from readinglist.errors import ParseError, ReadingListError
from readinglist.importer import (
    ImportNote,
    import_files,
    import_samples,
    import_text,
    samples_note,
)
from readinglist.library import Library
from readinglist.links import RefusedLink, openable_link
from readinglist.model import Paper
from readinglist.text import counted, safe_line, truncate
from readinglist.tui.screens.cite import CiteDialog
from readinglist.tui.screens.confirm import ConfirmDialog
from readinglist.tui.screens.files import ExportChoice, ExportDialog, ImportDialog
from readinglist.tui.screens.help import HelpScreen
from readinglist.tui.screens.note import NoteDialog
from readinglist.tui.screens.tags import TagDialog, UntagDialog
from readinglist.tui.session import Change, Session, View, snapshot

if TYPE_CHECKING:
    from textual.screen import Screen

    from readinglist.tui.searching import Searcher
    from readinglist.tui.store import Store
    from readinglist.tui.widgets.paper_list import PaperList

    _Screen = Screen
else:
    _Screen = object

RECENT_STYLES = 5
PAPER_ACTIONS = frozenset(
    {"toggle_read", "add_tags", "edit_note", "copy_citation", "choose_citation", "copy_in_text",
     "select",
     "open_link", "delete"}
)  # fmt: skip


class TriageActions(_Screen):
    """Mixed into MainScreen: needs `session`, `store`, `searcher`, `paper_list`, `refill`."""

    _settings_warned = False  # a damaged settings file is reported once

    if TYPE_CHECKING:  # what MainScreen provides
        session: Session
        store: Store
        searcher: Searcher
        view: View
        loaded: bool
        keys_cache: tuple[int, dict[str, str]] | None
        keys_generation: int

        @property
        def paper_list(self) -> PaperList: ...
        def current_paper(self) -> Paper | None: ...
        def load(self, prepared: Session, top: bool = False) -> None: ...
        def refill(self, keep: str | None = None, top: bool = False) -> None: ...
        def refill_after(self, change: Change) -> None: ...
        def take_papers(self, papers: list[Paper], removed: Sequence[str] = ()) -> None: ...

    # ----- what is possible now --------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in PAPER_ACTIONS:
            return self.paper_list.has_targets or None
        if action == "remove_tag":
            return bool(self._tags_of(self.paper_list.target_set)) or None
        if action == "load_samples":
            return self.loaded and not self.session.papers
        if action == "export":
            return bool(self.paper_list.ids) or None
        return True

    def _tags_of(self, ids: Iterable[str]) -> list[str]:
        papers = self.session.papers
        return sorted({t for pid in ids if pid in papers for t in papers[pid].tags})

    def _subject(self, ids: list[str], with_tags: bool = False) -> Text:
        if len(ids) == 1:
            subject = Text(truncate(safe_line(self.session.papers[ids[0]].title), 200))
        else:
            subject = Text(f"{len(ids)} selected papers")
        tags = self._tags_of(ids)
        if with_tags and tags:
            subject.append("\nTagged " + " ".join(f"#{safe_line(t)}" for t in tags), "dim")
        return subject

    # ----- changing papers -------------------------------------------------------------

    def apply(self, change: Change, keep: str | None = None) -> None:
        """Show a change now, store it in the background, say what happened."""
        papers = self.session.papers
        if change.removed or any(p.id not in papers for p in change.after):
            self.forget_keys()
        self.session.apply(change)
        self.searcher.changed(change.after, change.removed)
        if change.write is not None:
            self.store.submit(
                change.write,
                failed=lambda error: self._write_failed(change, error),
                what=change.message,
            )
        if len(change.before) > 1 or change.undo:
            self.paper_list.clear_selection()
        if change.undo:
            self.refill(keep=keep)
        else:
            self.refill_after(change)
        self.notify(change.message, markup=False, timeout=3)

    def _write_failed(self, change: Change, error: Exception) -> None:
        if change in self.session.history:
            self.session.history.remove(change)
        self.notify(f"Not saved: {safe_line(str(error))}", severity="error", markup=False)
        sort = self.view.sort
        self.store.submit(lambda lib: snapshot(lib, sort), done=self.load)

    def action_toggle_read(self) -> None:
        self.apply(self.session.toggle_read(self.paper_list.targets))

    def action_add_tags(self) -> None:
        ids = self.paper_list.targets

        def done(tags: list[str] | None) -> None:
            if tags:
                self.apply(self.session.add_tags(ids, tags))

        self.app.push_screen(TagDialog(self._subject(ids, True), self.session.tags()), done)

    def action_remove_tag(self) -> None:
        ids = self.paper_list.targets

        def done(tag: str | None) -> None:
            if tag:
                self.apply(self.session.remove_tag(ids, tag))

        self.app.push_screen(UntagDialog(self._subject(ids), self._tags_of(ids)), done)

    def action_edit_note(self) -> None:
        pid = self.paper_list.current
        if pid is None:
            return
        paper = self.session.papers[pid]

        def done(note: str | None) -> None:
            if note is not None and note != paper.note:
                self.apply(self.session.set_note(pid, note))

        self.app.push_screen(NoteDialog(self._subject([pid]), paper.note), done)

    def action_delete(self) -> None:
        ids = self.paper_list.targets
        body = Text.assemble(self._subject(ids), "\n\nu undoes it; a backup is kept too.")
        noun = "paper" if len(ids) == 1 else f"{len(ids)} papers"

        def done(yes: bool | None) -> None:
            if yes:
                self.apply(self.session.delete(ids))

        self.app.push_screen(ConfirmDialog(f"Delete {noun}?", body, "Delete"), done)

    def action_undo(self) -> None:
        change = self.session.undo()
        if change is None:
            self.notify("Nothing to undo", timeout=2)
            return
        self.apply(change, keep=change.after[0].id if change.after else None)

    def action_select(self) -> None:
        self.paper_list.action_toggle_select()

    # ----- citations -------------------------------------------------------------------

    def default_style(self) -> str:
        """The library's citation style, or bibtex if its settings are damaged (threads only)."""
        try:
            style = self.store.library.settings().get("citation_style", "bibtex")
        except ReadingListError as error:
            if not self._settings_warned:
                self._settings_warned = True
                self.app.notify(f"{error}\nCiting as bibtex", severity="warning", markup=False)
            return "bibtex"
        try:
            citations.check_style(style)
        except ValueError:
            return "bibtex"
        return style

    def _cite_inputs(self) -> tuple[list[Paper], list[Paper], int]:
        papers = self.session.papers
        chosen = [papers[pid] for pid in self.paper_list.targets]
        return chosen, list(papers.values()), self.keys_generation

    def action_copy_citation(self) -> None:
        self._copy_citation(*self._cite_inputs())

    def forget_keys(self) -> None:
        """Papers came or went: cite keys are computed afresh on the next citation."""
        self.keys_cache = None
        self.keys_generation += 1

    def citation_keys(self, everything: list[Paper], generation: int) -> dict[str, str]:
        """BibTeX keys unique across the library (slow at 100k: threads only; cached).

        Keys are cached with the generation of papers they were made for, so keys a slow
        worker made for papers a reload has replaced are never used for the new ones.
        """
        cached = self.keys_cache
        if cached is not None and cached[0] == generation:
            return cached[1]
        keys = citations.cite_keys(everything)
        if generation == self.keys_generation:
            self.keys_cache = (generation, keys)  # tagged: a later reload ignores it
        return keys

    @work(thread=True, group="cite", description="copy citation")
    def _copy_citation(self, chosen: list[Paper], everything: list[Paper], generation: int) -> None:
        style = self.default_style()
        text = citations.cite(chosen, style, self.citation_keys(everything, generation))
        self.copy_text(text)
        self.app.call_from_thread(self.keys_written, chosen, style)

    def action_copy_in_text(self) -> None:
        self._copy_in_text(*self._cite_inputs())

    @work(thread=True, group="cite", description="copy in-text citation")
    def _copy_in_text(self, chosen: list[Paper], everything: list[Paper], generation: int) -> None:
        style = self.default_style()
        keys = self.citation_keys(everything, generation)
        self.copy_text(citations.cite(chosen, style, keys, in_text=True))
        self.app.call_from_thread(self.keys_written, chosen, style)

    def action_choose_citation(self) -> None:
        self._open_cite_dialog(*self._cite_inputs())

    @work(thread=True, group="cite", description="cite dialog")
    def _open_cite_dialog(
        self, chosen: list[Paper], everything: list[Paper], generation: int
    ) -> None:
        keys, style = self.citation_keys(everything, generation), self.default_style()
        self.app.call_from_thread(self._push_cite_dialog, chosen, keys, style, self.recent_styles())

    def _push_cite_dialog(
        self, chosen: list[Paper], keys: dict[str, str], style: str, recent: list[str]
    ) -> None:
        root = self.store.library.root
        self.app.push_screen(CiteDialog(chosen, keys, style, recent, index_dir=root))

    def recent_styles(self) -> list[str]:
        """The styles copied last in the citation dialog, newest first (threads only)."""
        try:
            recent = self.store.library.settings().get("recent_styles", [])
        except ReadingListError:
            return []
        return (
            [s for s in recent if isinstance(s, str)][:RECENT_STYLES]
            if isinstance(recent, list)
            else []
        )

    def remember_style(self, style: str) -> None:
        """Put `style` first among the recent styles."""

        def remember(lib) -> None:
            recent = lib.settings().get("recent_styles", [])
            recent = [s for s in recent if isinstance(s, str)] if isinstance(recent, list) else []
            chosen = citations.style_id(style)
            kept = [s for s in recent if s != chosen]
            lib.set_setting("recent_styles", [chosen, *kept][:8])

        self.store.submit(remember)

    def copy_text(self, text: str) -> None:
        """Copy through the clipboard chain (call from a thread) and say where it went."""
        app = self.app
        result = clipboard.copy(
            text,
            self.store.library.root,
            osc52=lambda t: app.call_from_thread(app.copy_to_clipboard, t),
        )
        first = text.strip().splitlines()[0] if text.strip() else ""
        severity: SeverityLevel = "information" if result.ok else "warning"
        app.notify(f"{result.message}\n{truncate(first, 70)}", severity=severity, markup=False)

    @work(thread=True, group="cite", description="copy")
    def copy_in_thread(self, text: str) -> None:
        """Copy text shown in a dialog (the citation dialog asks the app, the app asks us)."""
        self.copy_text(text)

    def keys_written(self, papers: list[Paper], style: str | None = None) -> None:
        """A BibTeX citation or an export wrote these papers' keys: fix them (as `cite` does)."""
        if style is not None and style not in citations.LATEX_STYLES:
            return
        ids = [p.id for p in papers if not p.key_fixed]
        if ids:
            self.store.submit(lambda lib: _keys_fixed(lib, ids), done=self.take_papers)

    def make_default_style(self, style: str) -> None:
        self.store.submit(
            lambda lib: lib.set_setting("citation_style", citations.style_id(style)),
            done=lambda _: self.notify(f"Default citation style: {style}", timeout=3),
            failed=lambda error: self.notify(str(error), severity="error", markup=False),
        )

    # ----- links -----------------------------------------------------------------------

    def action_open_link(self) -> None:
        paper = self.current_paper()
        try:
            link = openable_link(paper) if paper else None
        except RefusedLink as refused:
            self.notify(str(refused), severity="warning")
            return
        if not link:
            self.notify("This paper has no link (no URL, arXiv id or DOI)", severity="warning")
            return
        if not self.app.is_web and links.usable_browser(background=True) is None:
            shown = safe_line(link)
            self.notify(f"No usable web browser: {shown}", markup=False, severity="warning")
            return
        self.app.open_url(link)
        self.notify(f"Opening {link}", timeout=3)

    # ----- files -----------------------------------------------------------------------

    def action_import_file(self) -> None:
        def done(path: Path | None) -> None:
            if path is not None:
                self.notify(f"Importing {path.name}…", markup=False, timeout=2)
                sort = self.view.sort
                self.store.submit(lambda lib: _import(lib, path, sort), done=self._imported)

        self.app.push_screen(ImportDialog(), done)

    def action_import_clipboard(self) -> None:
        self._read_clipboard()

    @work(thread=True, group="paste", exclusive=True, description="read the clipboard")
    def _read_clipboard(self) -> None:
        pasted = clipboard.paste()
        self.app.call_from_thread(self._import_pasted, pasted)

    def _import_pasted(self, pasted: clipboard.PasteResult) -> None:
        if pasted.text is None:
            self.notify(pasted.message, severity="warning", markup=False)
            return
        if not pasted.text.strip():
            self.notify("The clipboard is empty: copy a listing first", severity="warning")
            return
        self.notify(f"Importing the clipboard ({len(pasted.text)} characters)…", timeout=2)
        sort, text = self.view.sort, pasted.text
        self.store.submit(lambda lib: _import_pasted(lib, text, sort), done=self._imported)

    def action_load_samples(self) -> None:
        self.notify("Importing the sample papers…", timeout=2)
        sort = self.view.sort
        self.store.submit(lambda lib: _samples(lib, sort), done=self._imported)

    def _imported(self, outcome: tuple[Session, list[str], list[str]]) -> None:
        papers, messages, ids = outcome
        if ids:
            self.view.imported = frozenset(ids)
            self.view.view, self.view.tag = "new", None
            self.paper_list.clear_selection()
        self.load(papers, top=bool(ids))
        for message in messages:
            failed = message.startswith("Import error")
            self.notify(message, markup=False, severity="error" if failed else "information")

    def action_export(self) -> None:
        ids = list(self.paper_list.ids)

        def done(choice: ExportChoice | None) -> None:
            if choice is not None:
                papers = [self.session.papers[pid] for pid in ids]
                everything = list(self.session.papers.values())
                self._export(papers, everything, self.keys_generation, choice)

        self.app.push_screen(ExportDialog(len(ids)), done)

    @work(thread=True, group="export", description="export")
    def _export(
        self, papers: list[Paper], everything: list[Paper], generation: int, choice: ExportChoice
    ) -> None:
        text = exporting.export(papers, choice.fmt, self.citation_keys(everything, generation))
        try:
            exporting.write_file(choice.path, text)
        except ReadingListError as error:
            self.app.notify(str(error), severity="error", markup=False)
            return
        self.app.call_from_thread(self.keys_written, papers)
        self.app.notify(f"Exported {counted(len(papers), 'paper')} to {choice.path}", markup=False)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())


def _import(library: Library, path: Path, sort: str) -> tuple[Session, list[str], list[str]]:
    return _reported(library, import_files(library, [str(path)]), sort)


def _import_pasted(library: Library, text: str, sort: str) -> tuple[Session, list[str], list[str]]:
    return _reported(library, import_text(library, text, source="clipboard"), sort)


def _reported(library: Library, outcomes, sort: str) -> tuple[Session, list[str], list[str]]:
    """The library read afresh, a line per outcome, and the ids the import brought."""
    messages, ids = [], []
    for outcome in outcomes:
        if isinstance(outcome, ParseError):
            messages.append(f"Import error: {safe_line(str(outcome))}")
        elif isinstance(outcome, ImportNote):
            messages.append(safe_line(outcome.message))
        else:
            ids += outcome.ids
            messages.append(
                f"{safe_line(outcome.source)}: {outcome.parsed} papers read, "
                f"{outcome.added} new, {outcome.merged} merged"
            )
    return snapshot(library, sort), messages, ids


def _keys_fixed(library: Library, ids: list[str]) -> list[Paper]:
    library.fix_keys(ids)
    return [library.get(pid) for pid in ids]


def _samples(library: Library, sort: str) -> tuple[Session, list[str], list[str]]:
    count = import_samples(library)
    return snapshot(library, sort), [samples_note(count)], []
