"""The key bar: Textual's footer, rebuilt only when the keys it shows change."""

from __future__ import annotations

from textual.widgets import Footer

KeysShown = tuple[object, ...]


class KeyFooter(Footer):
    """A footer that rebuilds its keys only when what it would show is different.

    Textual's footer rebuilds every key on each bindings signal, and a screen
    sends several as it opens (focus, screen stack, first idle) with the same
    keys each time; restyling the keys was most of the layout work before the
    desk's first frame.
    """

    _keys_shown: KeysShown | None = None

    async def recompose(self) -> None:
        shown = self._keys_to_show()
        if shown != self._keys_shown:
            await super().recompose()
            self._keys_shown = shown

    def _keys_to_show(self) -> KeysShown:
        """Everything :meth:`Footer.compose` reads, as one comparable value."""
        if not getattr(self, "_bindings_ready", True):  # Textual sets it once bindings exist
            return ()
        bindings = tuple(
            (key, binding, enabled, tooltip)
            for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
        )
        return (self.compact, self.show_command_palette, self.combine_groups, bindings)
