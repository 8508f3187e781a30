"""The footer: the keys that matter first, so a narrow terminal still shows Quit and Keys."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.reactive import reactive
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from readinglist.tui.commands import FOOTER_FIRST, NARROW_ACTIONS


class KeyFooter(Footer):
    """Quit and Keys first; when `narrow`, only the keys the command table marks narrow."""

    narrow: reactive[bool] = reactive(False, recompose=True)

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        active = self.screen.active_bindings
        shown: dict[str, tuple] = {}
        for _node, binding, enabled, tooltip in active.values():
            wanted = binding.show and (not self.narrow or binding.action in NARROW_ACTIONS)
            if wanted and binding.action not in shown:
                shown[binding.action] = (binding, enabled, tooltip)
        first = [a for a in FOOTER_FIRST if a in shown]
        order = first + [a for a in shown if a not in first]
        self.styles.grid_size_columns = len(order)
        for action in order:
            binding, enabled, tooltip = shown[action]
            yield FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                disabled=not enabled,
                tooltip=tooltip,
            ).data_bind(compact=Footer.compact)
        yield from self._palette_key(active)

    def _palette_key(self, active) -> ComposeResult:
        if not (self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE):
            return
        found = active.get(self.app.COMMAND_PALETTE_BINDING)
        if found is None:
            return
        _node, binding, enabled, tooltip = found
        yield FooterKey(
            binding.key,
            self.app.get_key_display(binding),
            binding.description,
            binding.action,
            classes="-command-palette",
            disabled=not enabled,
            tooltip=binding.tooltip or binding.description,
        )
