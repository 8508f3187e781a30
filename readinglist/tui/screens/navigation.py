"""Moving between views: the view keys, going to a tag, the sidebar, the search scope."""

from __future__ import annotations

from typing import TYPE_CHECKING

from readinglist.tui.screens.jump import TagJumpDialog
from readinglist.tui.widgets.sidebar import VIEW_NAMES, Sidebar

if TYPE_CHECKING:
    from textual.screen import Screen

    from readinglist.tui.session import Session, View
    from readinglist.tui.widgets.paper_list import PaperList

    _Screen = Screen
else:
    _Screen = object


class ViewActions(_Screen):
    """Mixed into MainScreen: needs `view`, `session`, `paper_list`, `choose`, `search`."""

    if TYPE_CHECKING:  # what MainScreen provides
        session: Session
        view: View

        @property
        def paper_list(self) -> PaperList: ...
        def choose(self, view: str, tag: str | None) -> None: ...
        def research(self) -> None: ...
        def show_status(self) -> None: ...

    def action_show_view(self, name: str) -> None:
        if name == "new" and not self.view.imported:
            self.notify("Nothing imported yet", timeout=2)
            return
        self.choose(name, None)

    def action_jump_to_tag(self) -> None:
        tags = self.session.counts().tags
        if not tags:
            self.notify("No tags yet: t tags the paper", timeout=3)
            return

        def done(tag: str | None) -> None:
            if tag:
                self.choose("all", tag)
                self.paper_list.focus()

        self.app.push_screen(TagJumpDialog(tags), done)

    def action_toggle_sidebar(self) -> None:
        sidebar = self.query_one(Sidebar)
        shown = sidebar.display
        self.set_class(shown, "-sidebar-off")
        self.set_class(not shown, "-sidebar-on")
        if shown and self.focused is sidebar:
            self.paper_list.focus()
        elif not shown:
            sidebar.focus()

    def action_toggle_scope(self) -> None:
        view = self.view
        view.everywhere = not view.everywhere
        self.notify(f"Search looks in {self.scope_name()}", timeout=2)
        if view.searching:
            self.research()
        else:
            self.show_status()

    def scope_name(self) -> str:
        """Where a search looks: "everything" or the view ("Unread", "#nlp")."""
        if self.view.everywhere:
            return "everything"
        return self.where()

    def where(self) -> str:
        """The view's name as the status line shows it."""
        return f"#{self.view.tag}" if self.view.tag else VIEW_NAMES[self.view.view]
