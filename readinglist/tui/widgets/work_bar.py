"""The bar of long work: what is being done, a progress bar, counts, time left, esc."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar

from readinglist.progress import Step, duration
from readinglist.safe_text import safe_line


class WorkBar(Horizontal):
    """Hidden until work begins; the class `-working` shows it."""

    def compose(self) -> ComposeResult:
        yield Label(id="work-what")
        yield ProgressBar(total=None, show_eta=False, id="work-bar")
        yield Label(id="work-counts")

    def begin(self, what: str) -> None:
        self.show_step(Step(what))
        self.add_class("-working")

    def show_step(self, step: Step) -> None:
        self.query_one("#work-what", Label).update(Text(safe_line(step.what)))
        bar = self.query_one(ProgressBar)
        bar.update(total=step.total, progress=step.done)
        self.query_one("#work-counts", Label).update(_counts(step))

    def stopping(self) -> None:
        self.query_one("#work-counts", Label).update(Text("stopping…", style="bold"))

    def end(self) -> None:
        self.remove_class("-working")


def _counts(step: Step) -> Text:
    """`1,200/5,000 · 12s left · esc stop`: what is known of it."""
    parts = [step.counts] if step.counts else []
    if step.left is not None:
        parts.append(f"{duration(step.left)} left")
    parts.append("esc stop" if step.stoppable else "finishing")
    return Text(" · ".join(parts))
