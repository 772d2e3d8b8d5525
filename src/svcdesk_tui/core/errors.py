"""Errors that reach a person: each carries a message fit to show as is."""

from __future__ import annotations

from svcdesk_tui.core import exit_codes


class SvcdeskError(Exception):
    """Base of every error svcdesk reports in words rather than a traceback."""

    exit_code = exit_codes.FAILURE

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else self.__class__.__name__


class DatabaseError(SvcdeskError):
    """The store is missing, unreadable, corrupt, busy or of another version."""


class PermissionDenied(SvcdeskError):
    """The acting person's role or limits do not allow the action."""


class NotFound(SvcdeskError):
    """A record named by the user does not exist."""


class Conflict(SvcdeskError):
    """The action no longer fits the record's state (e.g. someone else took the call)."""


class InvalidInput(SvcdeskError):
    """A value given by the user is not acceptable."""

    exit_code = exit_codes.USAGE


def stripped(text: str | None, message: str, *, longest: int | None = None) -> str:
    """``text`` without its surrounding blanks; :class:`InvalidInput` saying ``message`` when that
    leaves nothing (or more than ``longest`` characters)."""
    value = (text or "").strip()
    if not value or (longest is not None and len(value) > longest):
        raise InvalidInput(message)
    return value
