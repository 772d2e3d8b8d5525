"""The typed way from any screen to the desk: ``self.app`` is a :class:`SvcDeskApp`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import getters
from textual.message_pump import MessagePump
from textual.screen import Screen

if TYPE_CHECKING:
    from svcdesk_tui.app import SvcDeskApp


class desk_app(getters.app["SvcDeskApp"]):
    """Textual's typed app getter, resolved on first use: the app module imports the screens."""

    def __init__(self) -> None:  # the class is looked up in __get__, not here
        self._resolved = False

    def __get__(self, obj: MessagePump, obj_type: type[MessagePump]) -> SvcDeskApp:
        if not self._resolved:
            from svcdesk_tui.app import SvcDeskApp

            self._app_type, self._resolved = SvcDeskApp, True
        return super().__get__(obj, obj_type)


class DeskNode(Screen[Any]):
    """Base of every svcdesk screen and dialog: the app with its db, actor, clock, settings.

    Dialogs list it before ``ModalScreen``; the result type comes from the latter.
    """

    app = desk_app()
