"""Keys pressed before the library is loaded: held back, then replayed in the order typed.

The first page of papers is on screen before the rest of the library is read (see
`Library.first_page`), but a key that acts on a paper (read, tag, delete, cite) needs
the whole library in memory, and a key acting on a half-read library could act on the
wrong paper. So until the library is loaded every key and paste is held; once it is,
they are posted again one at a time, in order, each once the one before has been
handled (a key may move the focus: the next goes where the user's would have gone). A
key is handled once it has bubbled back up to the app (where the bindings run), or once
a widget has stopped it (an input took the character).
Moves within the first page (its papers are the real ones, in their real order) go
through at once, but only while nothing is held: a move never overtakes a key.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from textual import events

Held = events.Key | events.Paste
Post = Callable[[Held], bool]


class KeyHold:
    """The keys held until `release`, and the one posted again but not yet handled."""

    def __init__(self) -> None:
        self.holding = True
        self._held: deque[Held] = deque()
        self._replay: Held | None = None  # posted again, not yet seen

    @property
    def pending(self) -> bool:
        """Whether keys are held, or one is posted again and not yet handled."""
        return bool(self._held) or self._replay is not None

    def is_replay(self, event: object) -> bool:
        """Whether `event` is the held key come again (its handling is watched: see
        `handled`)."""
        return event is self._replay

    def handled(self, event: object, post: Post) -> None:
        """`event` (the replay) has been handled: post the next held key."""
        if event is self._replay:
            self._replay = None
            self.next(post)

    def holds(self, event: Held, passes: bool = False) -> bool:
        """Whether `event` is held back (it comes again later).

        `passes`: it may go through now, if nothing is held before it.
        """
        if self.holding and passes and not self.pending:
            return False
        if self.holding or self.pending:
            self._held.append(event)
            return True
        return False

    def release(self, post: Post) -> None:
        """Stop holding; post the first held key again (`next` posts the others)."""
        self.holding = False
        self.next(post)

    def next(self, post: Post) -> None:
        """Post the next held key again, once the one before it has been handled."""
        if self._replay is not None or not self._held:
            return
        again = _copy(self._held.popleft())
        if post(again):
            self._replay = again
        else:  # the app is closing: nothing will handle them
            self._held.clear()


def _copy(event: Held) -> Held:
    """A fresh event like `event` (a handled event carries its handling state)."""
    if isinstance(event, events.Paste):
        return events.Paste(event.text)
    return events.Key(event.key, event.character)
