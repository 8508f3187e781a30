"""The app: opens the library, hands it to the main screen, notices outside changes."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel

from readinglist.errors import ReadingListError
from readinglist.persistence import last_import
from readinglist.persistence.library import FirstPage, Library
from readinglist.safe_text import safe, safe_line
from readinglist.settings import Settings
from readinglist.tui.commands import PaperCommands
from readinglist.tui.key_hold import KeyHold
from readinglist.tui.messages import JobDone
from readinglist.tui.screens.main import MainScreen
from readinglist.tui.session import Session, snapshot
from readinglist.tui.store import Store
from readinglist.tui.widgets.safe_text import SafeCommandPalette

if TYPE_CHECKING:
    from readinglist.tui.screens.cite import CiteDialog

# The library as the app opens it: papers, samples imported, unsaved edits, settings, last import
Opened = tuple[Session, int | None, list[str], Settings, list[str]]
# What the app shows before that: the settings and the first page (None: wait for it all)
Glance = tuple[Settings, FirstPage | None]

POLL_SECONDS = 1.5
REPLAY_REFRESHES = 20  # a replayed key neither stopped nor back by then is taken as handled
UNSAVED_FILE = "unsaved-changes.txt"  # what the last session failed to store, shown next start
CLOSING_SIGNALS = (signal.SIGTERM, signal.SIGHUP)  # `kill`, a closed terminal or tmux window
# Imported while the library is read (store thread), not before the first paint: what
# the keys need (edits, writes, citations, imports, exports, dialogs, sync, search).
WARM_UP = (
    "readinglist.edits",
    "filelock",
    "readinglist.persistence.backups",
    "readinglist.persistence.splice",
    "readinglist.citations",
    "readinglist.importer",
    "readinglist.exporting",
    "readinglist.tui.screens.cite",
    "readinglist.tui.screens.confirm",
    "readinglist.tui.screens.files",
    "readinglist.tui.screens.help",
    "readinglist.tui.screens.jump",
    "readinglist.tui.screens.note",
    "readinglist.sync.syncing",
    "readinglist.search.cache",
)


class ReadingListApp(App[int]):
    """Triage a reading list from the keyboard."""

    CSS_PATH = "app.tcss"
    TITLE = "readinglist"
    COMMANDS = App.COMMANDS | {PaperCommands}
    BINDINGS = [Binding("q", "quit", "Quit")]

    def __init__(self, library: Library, first_run_samples: bool = False) -> None:
        super().__init__()
        self.library = library
        self.first_run_samples = first_run_samples
        self.session = Session()
        self.store: Store | None = None
        self.open_error: str | None = None  # why the library could not be read, if so
        self.keys = KeyHold()  # keys pressed before the library is loaded
        self._restored = False  # the saved theme and sort are in use

    @property
    def main(self) -> MainScreen:
        return self.get_screen("main")  # type: ignore[return-value]

    async def on_mount(self) -> None:
        # The settings and the first page are read here, before the store's first job and
        # the first paint: a few small files (see `Library.first_page`), so the first frame
        # has the theme and the papers, and no frame is painted only to be painted again.
        glance = _glance(self.library, self.size.height)  # (rows: more than the list shows)
        self.store = Store(self.library, self)
        self.install_screen(MainScreen(self.session, self.store), "main")
        self._restore(glance[0])
        await self.push_screen("main")  # mounted before the library's papers arrive
        self._glanced(glance)
        self.set_interval(POLL_SECONDS, self.poll)
        self._catch_closing_signals()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast of the app goes through the sanitiser and is shown literally."""
        super().notify(
            safe(str(message)),
            title=safe(str(title), one_line=True),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def action_command_palette(self) -> None:
        """The command palette, with an input that shows pasted controls escaped."""
        # Textual types is_open for App[object] (App is invariant in its return type)
        if self.use_command_palette and not SafeCommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(SafeCommandPalette(id="--command-palette"))

    def on_unmount(self) -> None:
        self._release_closing_signals()
        if self.store is not None:
            self.store.close()

    def _catch_closing_signals(self) -> None:
        """Quit as `q` does on SIGTERM and SIGHUP: every change shown is then stored
        (`run_app` waits for the queued writes), instead of dying with them queued."""
        loop = asyncio.get_running_loop()
        for number in CLOSING_SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(number, self.exit)

    def _release_closing_signals(self) -> None:
        with contextlib.suppress(RuntimeError):
            loop = asyncio.get_running_loop()
            for number in CLOSING_SIGNALS:
                with contextlib.suppress(NotImplementedError, ValueError):
                    loop.remove_signal_handler(number)

    # ----- the library -----------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        """Hold the keys pressed before the library is loaded (see key_hold.py)."""
        if not isinstance(event, (events.Key, events.Paste)) or event.is_forwarded:
            await super().on_event(event)
            if self.keys.is_replay(event):  # back up at the app: its bindings have run
                self.call_after_refresh(self.keys.handled, event, self.post_message)
            return
        if self.keys.is_replay(event):
            await super().on_event(event)
            self.call_after_refresh(self._replay_stopped, event, REPLAY_REFRESHES)
            return
        passes = isinstance(event, events.Key) and self._moves_on_first_page(event.key)
        if not self.keys.holds(event, passes):
            await super().on_event(event)

    def _replay_stopped(self, event: events.Key | events.Paste, refreshes: int) -> None:
        """A replayed key a widget stopped (an input took it) never comes back up."""
        if not self.keys.is_replay(event):
            return
        if getattr(event, "_stop_propagation", False) or refreshes <= 0:
            # What its handler asked for later (a focus moved) is done by the next refresh
            self.call_after_refresh(self.keys.handled, event, self.post_message)
        else:
            self.call_after_refresh(self._replay_stopped, event, refreshes - 1)

    def _moves_on_first_page(self, key: str) -> bool:
        screen = self.screen
        return isinstance(screen, MainScreen) and screen.moves_on_first_page(key)

    def _glanced(self, glance: Glance) -> None:
        """Show the first page (if the library gave one), then read the whole library."""
        page = glance[1]
        if page is not None and page.papers and not self.main.loaded:
            self.main.show_first_page(page)
            self.call_after_refresh(self._open)  # painted first: the reading holds the GIL
        else:
            self._open()

    def _open(self) -> None:
        if self.store is not None:
            self.store.submit(self._read_all, done=self._opened, failed=self._open_failed)

    def _read_all(self, library: Library) -> Opened:
        """Runs on the store thread: import the samples on a first run, then read all, what
        the last session could not store, the saved preferences and the last import."""
        for name in WARM_UP:
            importlib.import_module(name)
        samples = None
        if self.first_run_samples and not library.exists():
            from readinglist.importer import import_samples

            samples = import_samples(library)
        preferences = _preferences(library)
        session = snapshot(library, preferences.sort or "added")
        imported = last_import.recall(library.root, session.papers)
        return session, samples, take_unsaved(library.root), preferences, imported

    def _opened(self, outcome: Opened) -> None:
        papers, samples, unsaved, preferences, imported = outcome
        self._restore(preferences)
        self.main.view.imported = frozenset(imported)  # "Just imported", as the last run left it
        self.main.load(papers)
        self.keys.release(self.post_message)
        if unsaved:
            self.notify(
                "\n".join(unsaved),
                title="Not stored when the app last closed",
                severity="warning",
                markup=False,
                timeout=30,
            )
        if samples is not None:
            from readinglist.importer import samples_note

            self.notify(samples_note(samples), title="Welcome to readinglist", timeout=12)

    def _restore(self, preferences: Settings) -> None:
        """The theme and sort saved last time; from now on a theme change is saved."""
        if self._restored:
            return
        self._restored = True
        if preferences.theme in self.available_themes:
            self.theme = preferences.theme
        if preferences.sort:
            self.main.view.sort = preferences.sort
        self._saved_theme = self.theme
        self.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, theme) -> None:
        if theme.name != self._saved_theme:
            self._saved_theme = theme.name
            self.remember("theme", theme.name)

    def remember(self, key: str, value: str) -> None:
        """Save one preference in the library's settings (in the background)."""
        if self.store is None:  # not mounted yet: nothing has changed
            return
        self.store.submit(
            lambda lib: lib.set_setting(key, value),
            failed=lambda error: self.notify(str(error), severity="warning", markup=False),
        )

    def _open_failed(self, error: Exception) -> None:
        self.main.loaded = True
        self.open_error = str(error)
        self.main.paper_list.empty_message = Text(safe(f"Cannot open the library: {error}"))
        self.main.paper_list.show([], {})  # not the first page: the library cannot be read
        self.keys.release(self.post_message)
        self.notify(str(error), title="Cannot open the library", severity="error", markup=False)

    def poll(self) -> None:
        """Pick up edits made by another process (the command line, another app).

        Any library call (our own writes included) may be the one that reads those
        edits from disk, so the library's version, not `refresh()`, says whether the
        screen is behind. A result dropped because a write is queued is read again
        at the next poll: the version shown has not moved.
        """
        if self.store is None or self.store.busy or not self.main.loaded:
            return
        sort, shown = self.main.view.sort, self.session.version
        self.store.submit(lambda lib: _changes(lib, sort, shown), done=self._outside_change)

    def _outside_change(self, papers: Session | None) -> None:
        busy = self.store is not None and self.store.busy
        if papers is not None and not busy and self._showing():
            self.open_error = None
            self.main.load(papers)

    def _showing(self) -> bool:
        """Whether the main screen still holds its widgets (not while the app closes)."""
        return bool(self.main.query("#papers"))

    def on_job_done(self, message: JobDone) -> None:
        if self.store is not None:  # (always: only the store posts JobDone)
            self.store.finished()
        if message.error is not None:
            failed = message.failed or self._job_failed
            failed(message.error)
        elif message.done is not None:
            message.done(message.result)

    def on_cite_dialog_copy(self, message: CiteDialog.Copy) -> None:
        actions, papers = self.main.papers, self.main.session.papers
        actions.copy_in_thread(message.text)
        actions.remember_style(message.style)
        actions.keys_written([papers[i] for i in message.ids if i in papers], message.style)

    def on_cite_dialog_make_default(self, message: CiteDialog.MakeDefault) -> None:
        self.main.papers.make_default_style(message.style)

    def _job_failed(self, error: Exception) -> None:
        self.notify(str(error), title="Library error", severity="error", markup=False)


def _glance(library: Library, rows: int) -> Glance:
    """The saved settings and the first `rows` papers of the view the app opens on
    (Unread, by the saved sort), if they can be read without the whole library."""
    preferences = _preferences(library)
    try:
        return preferences, library.first_page(preferences.sort or "added", False, rows)
    except (ReadingListError, OSError):  # (a damaged shard): the whole read says what is wrong
        return preferences, None


def _preferences(library: Library) -> Settings:
    """The saved theme and sort that can be used (a damaged settings file: none)."""
    try:
        return library.preferences()
    except ReadingListError:
        return Settings()


def _changes(library: Library, sort: str, shown: int) -> Session | None:
    """The library read afresh if it holds edits the screen has not shown, else None."""
    library.refresh()
    return snapshot(library, sort) if getattr(library, "version", 0) != shown else None


def run_app(library: Library, first_run_samples: bool = False, **options) -> int:
    """Run the app on `library` until the user quits (or SIGTERM, SIGHUP); return the exit
    status once every change it showed is stored. `options` go to `App.run`."""
    app = ReadingListApp(library, first_run_samples=first_run_samples)
    try:
        result = app.run(**options)
    finally:
        if app.store is not None:
            app.store.close(wait=True)
            note_unsaved(library.root, app.store.unsaved)
    if app.return_code:  # an error the app could not show in place
        return app.return_code
    if app.open_error is not None:
        print(f"readinglist: {safe(app.open_error, one_line=True)}", file=sys.stderr)
        return 1
    return result or 0


def note_unsaved(root: Path, changes: list[str]) -> None:
    """Keep the changes that failed after the app closed, for the next start to show."""
    if changes:
        with contextlib.suppress(OSError), open(root / UNSAVED_FILE, "a", encoding="utf-8") as out:
            out.writelines(f"{safe_line(line)}\n" for line in changes)


def take_unsaved(root: Path) -> list[str]:
    """The changes the last session could not store (the note is then removed)."""
    path = root / UNSAVED_FILE
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        path.unlink()
    except OSError:
        return []
    return [safe_line(line) for line in lines[-20:]]
