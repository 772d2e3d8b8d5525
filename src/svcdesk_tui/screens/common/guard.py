"""Keys a role may not use: hidden from the footer, and explained when pressed anyway."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding, BindingType

from svcdesk_tui.people.permissions import Action, allowed
from svcdesk_tui.screens.common.node import DeskNode


class RoleGuard(DeskNode):
    """Base for screens whose keys need a permission (``ACTION_NEEDS``: action → right).

    A key the actor's role may not use is hidden from the footer. Each such
    binding gets a hidden twin that runs only when the first is refused: the
    status line says why and the attempt is audited, as the services do.
    """

    ACTION_NEEDS: ClassVar[dict[str, Action]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        needs = getattr(cls, "ACTION_NEEDS", {})
        own = cls.__dict__.get("BINDINGS", [])
        twins = [
            Binding(binding.key, f"refuse_key('{binding.action}')", show=False)
            for binding in own
            if isinstance(binding, Binding) and binding.action in needs
        ]
        if twins:
            cls.BINDINGS = [*own, *twins]
        super().__init_subclass__(**kwargs)  # Textual merges the bindings here

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        needed = self.ACTION_NEEDS.get(action)
        return needed is None or allowed(self.app.actor, needed)

    def action_refuse_key(self, action: str) -> None:
        self.app.refuse(self.ACTION_NEEDS[action])


Keys = tuple[list[BindingType], dict[str, Action]]
"""A screen's ``BINDINGS`` and its ``ACTION_NEEDS``, each action named once."""


def keys_with_needs(*keys: tuple[Binding, Action | None]) -> Keys:
    """Bindings, each with the right its action needs (``None``: the key is anyone's)."""
    bindings: list[BindingType] = [binding for binding, _ in keys]
    return bindings, {binding.action: right for binding, right in keys if right is not None}


def keys_needing(right: Action, *bindings: Binding) -> Keys:
    """Bindings whose actions all need ``right``."""
    return keys_with_needs(*((binding, right) for binding in bindings))
