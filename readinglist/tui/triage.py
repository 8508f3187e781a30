"""The main screen's paper actions: read, tag, note, cite, open, delete, undo, import, export.

A plain object the screen owns (its bindings call it, see `delegate_actions`). Each
change is shown at once from memory (`Session`), then written to the library on the
store thread; a failed write is reported and the library re-read, so the screen
never shows what was not stored. Every library call (settings, cite keys, imports)
runs on the store thread; citations are rendered, copied and exported on workers.
The dialogs and the domain modules behind the actions are imported where they are
used (the store thread has imported them by then, see app.WARM_UP), so that the app
paints its first page without them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from rich.text import Text
from textual.notifications import SeverityLevel

from readinglist.errors import ParseError, ReadingListError
from readinglist.model import Paper
from readinglist.persistence import last_import
from readinglist.persistence.library import Library
from readinglist.progress import Progress
from readinglist.safe_text import counted, safe_line, truncate
from readinglist.settings import Settings
from readinglist.tui.commands import COMMANDS, command_name
from readinglist.tui.searching import Searcher
from readinglist.tui.session import Change, Session, View, snapshot
from readinglist.tui.store import Store

if TYPE_CHECKING:
    from textual.app import App

    from readinglist import clipboard
    from readinglist.tui.long_work import LongWork
    from readinglist.tui.screens.files import ExportChoice
    from readinglist.tui.widgets.paper_list import PaperList

RECENT_STYLES = 5  # recent styles the citation dialog offers first
PAPER_ACTIONS = frozenset(command_name(c) for c in COMMANDS if c.needs_paper)
Imported = tuple[Session, list[str], list[str]]  # the library read afresh, lines, new ids


class Host(Protocol):
    """What the paper actions need of the screen that owns them."""

    loaded: bool
    long_work: LongWork

    @property
    def app(self) -> App[Any]: ...
    @property
    def paper_list(self) -> PaperList: ...
    def refill(self, keep: str | None = None, top: bool = False) -> None: ...
    def refill_after(self, change: Change) -> None: ...
    def load(self, prepared: Session, top: bool = False) -> None: ...
    def take_papers(self, papers: list[Paper], removed: Sequence[str] = ()) -> None: ...
    def in_thread(self, work: Callable[[], None], name: str, exclusive: bool = False) -> None: ...


@dataclass(frozen=True)
class Citing:
    """What a citation needs from the library: every paper's key and the settings."""

    keys: dict[str, str]
    settings: Settings
    style: str  # the default style, checked (bibtex if the stored one is unusable)
    warning: str = ""  # why the settings could not be read, if so


def citing(library: Library) -> Citing:
    """The cite keys and settings a citation uses (store thread)."""
    keys = library.cite_keys()
    try:
        settings = library.preferences()
    except ReadingListError as error:
        return Citing(keys, Settings(), "bibtex", f"{error}\nCiting as bibtex")
    from readinglist import citations

    try:
        style = citations.check_style(settings.citation_style)
    except ValueError:
        style = "bibtex"
    return Citing(keys, settings, style)


class PaperActions:
    """The paper actions of one screen, over its session, view, store and searcher."""

    def __init__(
        self, session: Session, view: View, store: Store, searcher: Searcher, host: Host
    ) -> None:
        self.session, self.view, self.store, self.searcher = session, view, store, searcher
        self.host = host
        self._settings_warned = False  # a damaged settings file is reported once

    def notify(self, message: str, severity: SeverityLevel = "information", **options) -> None:
        """A toast, shown literally (safe from any thread)."""
        self.host.app.notify(message, severity=severity, markup=False, **options)

    # ----- what is possible now --------------------------------------------------------

    def possible(self, action: str) -> bool | None:
        """Whether `action` can run now (None: shown disabled), as `check_action` says."""
        plist = self.host.paper_list
        if action in PAPER_ACTIONS:
            return plist.has_targets or None
        if action == "remove_tag":
            return bool(self._tags_of(plist.target_set)) or None
        if action == "load_samples":
            return self.host.loaded and not self.session.papers
        if action == "export":
            return bool(plist.ids) or None
        if action == "enrich_missing":
            return bool(self.session.papers) or None
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

    def _ask(self, dialog: Any, done: Callable[[Any], None] | None) -> None:
        self.host.app.push_screen(dialog, done)

    # ----- changing papers -------------------------------------------------------------

    def apply(self, change: Change, keep: str | None = None) -> None:
        """Show a change now, store it in the background, say what happened."""
        self.session.apply(change)
        self.searcher.changed(change.after, change.removed)
        if change.write is not None:
            self.store.submit(
                change.write,
                failed=lambda error: self._write_failed(change, error),
                what=change.message,
            )
        plist = self.host.paper_list
        if len(change.before) > 1 or change.undo:
            plist.clear_selection()
        if change.undo:
            self.host.refill(keep=keep)
        else:
            self.host.refill_after(change)
        self.notify(change.message, timeout=3)

    def _write_failed(self, change: Change, error: Exception) -> None:
        if change in self.session.history:
            self.session.history.remove(change)
        self.notify(f"Not saved: {safe_line(str(error))}", severity="error")
        sort = self.view.sort
        self.store.submit(lambda lib: snapshot(lib, sort), done=self.host.load)

    def toggle_read(self) -> None:
        self.apply(self.session.toggle_read(self.host.paper_list.targets))

    def add_tags(self) -> None:
        ids = self.host.paper_list.targets

        def done(tags: list[str] | None) -> None:
            if tags:
                self.apply(self.session.add_tags(ids, tags))

        from readinglist.tui.screens.tags import TagDialog

        self._ask(TagDialog(self._subject(ids, True), self.session.tags()), done)

    def remove_tag(self) -> None:
        ids = self.host.paper_list.targets

        def done(tag: str | None) -> None:
            if tag:
                self.apply(self.session.remove_tag(ids, tag))

        from readinglist.tui.screens.tags import UntagDialog

        self._ask(UntagDialog(self._subject(ids), self._tags_of(ids)), done)

    def edit_note(self) -> None:
        pid = self.host.paper_list.current
        if pid is None:
            return
        paper = self.session.papers[pid]

        def done(note: str | None) -> None:
            if note is not None and note != paper.note:
                self.apply(self.session.set_note(pid, note))

        from readinglist.tui.screens.note import NoteDialog

        self._ask(NoteDialog(self._subject([pid]), paper.note), done)

    def delete(self) -> None:
        ids = self.host.paper_list.targets
        body = Text.assemble(self._subject(ids), "\n\nu undoes it; a backup is kept too.")
        noun = "paper" if len(ids) == 1 else f"{len(ids)} papers"

        def done(yes: bool | None) -> None:
            if yes:
                self.apply(self.session.delete(ids))

        from readinglist.tui.screens.confirm import ConfirmDialog

        self._ask(ConfirmDialog(f"Delete {noun}?", body, "Delete"), done)

    def undo(self) -> None:
        change = self.session.undo()
        if change is None:
            self.notify("Nothing to undo", timeout=2)
            return
        self.apply(change, keep=change.after[0].id if change.after else None)

    def select(self) -> None:
        self.host.paper_list.action_toggle_select()

    # ----- citations -------------------------------------------------------------------

    def _chosen(self) -> list[Paper]:
        papers = self.session.papers
        return [papers[pid] for pid in self.host.paper_list.targets]

    def copy_citation(self) -> None:
        self._cite(self._chosen(), in_text=False)

    def copy_in_text(self) -> None:
        self._cite(self._chosen(), in_text=True)

    def _cite(self, chosen: list[Paper], in_text: bool) -> None:
        app = self.host.app

        def copy(got: Citing) -> None:
            from readinglist import citations

            self._warn(got)
            text = citations.cite(chosen, got.style, got.keys, in_text=in_text)
            self.copy_text(text)
            app.call_from_thread(self.keys_written, chosen, got.style)

        self.store.submit(citing, done=lambda got: self.host.in_thread(lambda: copy(got), "cite"))

    def choose_citation(self) -> None:
        chosen, root = self._chosen(), self.store.library.root

        def show(got: Citing) -> None:
            from readinglist.tui.screens.cite import CiteDialog

            self._warn(got)
            recent = list(got.settings.recent_styles[:RECENT_STYLES])
            self._ask(CiteDialog(chosen, got.keys, got.style, recent, index_dir=root), None)

        self.store.submit(citing, done=show)

    def _warn(self, got: Citing) -> None:
        if got.warning and not self._settings_warned:
            self._settings_warned = True
            self.notify(got.warning, severity="warning")

    def remember_style(self, style: str) -> None:
        """Put `style` first among the recent styles."""

        def remember(lib: Library) -> None:
            from readinglist import citations

            recent = lib.preferences().with_recent(citations.style_id(style))
            lib.set_setting("recent_styles", recent)

        self.store.submit(remember)

    def keys_written(self, papers: list[Paper], style: str | None = None) -> None:
        """A BibTeX citation or an export wrote these papers' keys: fix them (as `cite` does)."""
        from readinglist import citations

        if style is not None and not citations.keyed(style):
            return
        ids = [p.id for p in papers if not p.key_fixed]
        if ids:
            self.store.submit(lambda lib: _keys_fixed(lib, ids), done=self.host.take_papers)

    def make_default_style(self, style: str) -> None:
        from readinglist import citations

        self.store.submit(
            lambda lib: lib.set_setting("citation_style", citations.style_id(style)),
            done=lambda _: self.notify(f"Default citation style: {style}", timeout=3),
            failed=lambda error: self.notify(str(error), severity="error"),
        )

    def copy_text(self, text: str) -> None:
        """Copy through the clipboard chain (call from a thread) and say where it went."""
        from readinglist import clipboard

        app = self.host.app
        result = clipboard.copy(
            text,
            self.store.library.root,
            osc52=lambda t: app.call_from_thread(app.copy_to_clipboard, t),
        )
        first = text.strip().splitlines()[0] if text.strip() else ""
        severity: SeverityLevel = "information" if result.ok else "warning"
        self.notify(f"{result.message}\n{truncate(first, 70)}", severity=severity)

    def copy_in_thread(self, text: str) -> None:
        """Copy text shown in a dialog (the citation dialog asks the app, the app asks us)."""
        self.host.in_thread(lambda: self.copy_text(text), "copy")

    # ----- links -----------------------------------------------------------------------

    def open_link(self) -> None:
        from readinglist import links
        from readinglist.links import RefusedLink, openable_link

        pid = self.host.paper_list.current
        paper = self.session.papers.get(pid) if pid else None
        try:
            link = openable_link(paper) if paper else None
        except RefusedLink as refused:
            self.notify(str(refused), severity="warning")
            return
        if not link:
            self.notify("This paper has no link (no URL, arXiv id or DOI)", severity="warning")
            return
        app = self.host.app
        if not app.is_web and links.usable_browser(background=True) is None:
            self.notify(f"No usable web browser: {safe_line(link)}", severity="warning")
            return
        app.open_url(link)
        self.notify(f"Opening {link}", timeout=3)

    # ----- files -----------------------------------------------------------------------

    def import_file(self) -> None:
        def done(path: Path | None) -> None:
            if path is not None:
                job = partial(_import, path=path, sort=self.view.sort)
                self.host.long_work.submit(f"Importing {safe_line(path.name)}", job, self._imported)

        from readinglist.tui.screens.files import ImportDialog

        self._ask(ImportDialog(), done)

    def import_clipboard(self) -> None:
        from readinglist import clipboard

        app = self.host.app
        self.host.in_thread(
            lambda: app.call_from_thread(self._import_pasted, clipboard.paste()), "paste", True
        )

    def _import_pasted(self, pasted: clipboard.PasteResult) -> None:
        if pasted.text is None:
            self.notify(pasted.message, severity="warning")
            return
        if not pasted.text.strip():
            self.notify("The clipboard is empty: copy a listing first", severity="warning")
            return
        job = partial(_import_pasted, text=pasted.text, sort=self.view.sort)
        self.host.long_work.submit("Importing the clipboard", job, self._imported)

    def load_samples(self) -> None:
        job = partial(_samples, sort=self.view.sort)
        self.host.long_work.submit("Importing the sample papers", job, self._imported)

    def _imported(self, outcome: Imported) -> None:
        papers, messages, ids = outcome
        if ids:
            self.view.imported = frozenset(ids)
            self.view.view, self.view.tag = "new", None
            self.host.paper_list.clear_selection()
        self.host.load(papers, top=bool(ids))
        for message in messages:
            failed = message.startswith("Import error")
            self.notify(message, severity="error" if failed else "information")

    def export(self) -> None:
        ids = list(self.host.paper_list.ids)

        def done(choice: ExportChoice | None) -> None:
            progress = self.host.long_work.start("Exporting") if choice is not None else None
            if choice is not None and progress is not None:
                papers = [self.session.papers[pid] for pid in ids]

                def keys(lib: Library) -> dict[str, str]:
                    progress.stage(f"Making cite keys for {counted(len(papers), 'paper')}")
                    return lib.cite_keys(papers)

                self.store.submit(
                    keys,
                    done=lambda keys: self._export(papers, keys, choice, progress),
                    failed=lambda error: self._exported(papers, error),
                )

        from readinglist.tui.screens.files import ExportDialog

        self._ask(ExportDialog(len(ids)), done)

    def _export(
        self, papers: list[Paper], keys: dict[str, str], choice: ExportChoice, progress: Progress
    ) -> None:
        """Make the text (esc stops it: no file is written), then write the file."""
        from readinglist import exporting

        app = self.host.app

        def write() -> None:
            try:
                progress.stage(f"Writing {counted(len(papers), 'paper')} as {choice.fmt}")
                text = exporting.export(papers, choice.fmt, keys)
                progress.stage(f"Saving {choice.path.name}", stoppable=False)
                exporting.write_file(choice.path, text)
            except ReadingListError as error:
                app.call_from_thread(self._exported, [], error)
                return
            app.call_from_thread(self._exported, papers)
            self.notify(f"Exported {counted(len(papers), 'paper')} to {choice.path}")

        self.host.in_thread(write, "export")

    def _exported(self, papers: list[Paper], error: Exception | None = None) -> None:
        long_work = self.host.long_work
        long_work.end()
        if error is not None:
            long_work.report_failure("Export", error, "no file was written")
        else:
            self.keys_written(papers)


def delegate_actions(owner: str, actions: type) -> Callable[[type], type]:
    """A class decorator: each command of COMMANDS that `actions` implements becomes an
    `action_…` method of the decorated screen, calling the same method of `owner`."""

    def calling(name: str) -> Callable[..., None]:
        def action(self: object, *args: object) -> None:
            getattr(getattr(self, owner), name)(*args)

        action.__name__ = f"action_{name}"
        return action

    def decorate(screen: type) -> type:
        for name in {command_name(c) for c in COMMANDS}:
            if callable(getattr(actions, name, None)):
                setattr(screen, f"action_{name}", calling(name))
        return screen

    return decorate


def _import(library: Library, progress: Progress, path: Path, sort: str) -> Imported:
    from readinglist.importer import import_files

    return _reported(library, import_files(library, [str(path)], progress=progress), sort, progress)


def _import_pasted(library: Library, progress: Progress, text: str, sort: str) -> Imported:
    from readinglist.importer import import_text

    outcomes = import_text(library, text, source="clipboard", progress=progress)
    return _reported(library, outcomes, sort, progress)


def _reported(library: Library, outcomes, sort: str, progress: Progress) -> Imported:
    """The library read afresh, a line per outcome, and the ids the import brought."""
    from readinglist.importer import ImportNote

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
    progress.stage("Showing the library", stoppable=False)
    last_import.remember(library.root, ids)
    return snapshot(library, sort), messages, ids


def _keys_fixed(library: Library, ids: list[str]) -> list[Paper]:
    library.fix_keys(ids)
    return [library.get(pid) for pid in ids]


def _samples(library: Library, progress: Progress, sort: str) -> Imported:
    from readinglist.importer import import_samples, samples_note

    count = import_samples(library, progress)
    progress.stage("Showing the library", stoppable=False)
    return snapshot(library, sort), [samples_note(count)], []
