"""Moving between views: the view keys, going to a tag, the sidebar, the search scope.

A plain object the main screen owns; its commands become the screen's actions
(`delegate_actions`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from readinglist.tui.widgets.sidebar import VIEW_NAMES, Sidebar

if TYPE_CHECKING:
    from readinglist.tui.screens.main import MainScreen


class Navigation:
    """The view actions of one main screen, over its view and session."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    def show_view(self, name: str) -> None:
        if name == "new" and not self.screen.view.imported:
            self.screen.notify("Nothing imported yet", timeout=2)
            return
        self.screen.choose(name, None)

    def jump_to_tag(self) -> None:
        screen = self.screen
        tags = screen.session.counts().tags
        if not tags:
            screen.notify("No tags yet: t tags the paper", timeout=3)
            return

        def done(tag: str | None) -> None:
            if tag:
                screen.choose("all", tag)
                screen.paper_list.focus()

        from readinglist.tui.screens.jump import TagJumpDialog

        screen.app.push_screen(TagJumpDialog(tags), done)

    def toggle_sidebar(self) -> None:
        screen = self.screen
        sidebar = screen.query_one(Sidebar)
        shown = sidebar.display
        screen.set_class(shown, "-sidebar-off")
        screen.set_class(not shown, "-sidebar-on")
        if shown and screen.focused is sidebar:
            screen.paper_list.focus()
        elif not shown:
            sidebar.focus()

    def toggle_scope(self) -> None:
        screen, view = self.screen, self.screen.view
        view.everywhere = not view.everywhere
        screen.notify(f"Search looks in {self.scope_name()}", timeout=2)
        if view.searching:
            screen.research()
        else:
            screen.show_status()

    def scope_name(self) -> str:
        """Where a search looks: "everything" or the view ("Unread", "#nlp")."""
        if self.screen.view.everywhere:
            return "everything"
        return self.where()

    def where(self) -> str:
        """The view's name as the status line shows it."""
        view = self.screen.view
        return f"#{view.tag}" if view.tag else VIEW_NAMES[view.view]
