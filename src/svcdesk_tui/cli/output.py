"""The one way `svcdesk` commands print: lines and tables, whole texts, or a file.

Rich prints plain text (no colour, no cursor moves) when the stream is not a
terminal, and never colour under ``NO_COLOR``; ``--out`` files are written
atomically so a reader never sees half of one.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer
from rich.console import Console, RenderableType

from svcdesk_tui.core import exit_codes
from svcdesk_tui.core.csv_import import ImportResult
from svcdesk_tui.core.files import write_atomic

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


def say(*lines: RenderableType) -> None:
    """Each of ``lines`` on standard output (strings are never read as markup)."""
    for line in lines:
        out.print(line, markup=False)


def note(line: str) -> None:
    """A remark for the person at the terminal, on standard error."""
    err.print(line, markup=False)


def emit(text: str, out_path: Path | None = None) -> bool:
    """``text`` as is on standard output, or into ``out_path`` atomically.

    False when standard output's reader went away (``svcdesk ... | head``).
    """
    if out_path is not None:
        write_atomic(out_path, text)
        return True
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:  # the reader left: nothing more to say, and no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return False
    return True


def report_import(result: ImportResult, source: Path) -> None:
    """Each refused line on stderr as ``FILE:LINE: why``, the summary on stdout; exit 4 if any."""
    for line, message in result.errors:
        note(f"{source}:{line}: {message}")
    say(result.summary())
    if result.errors:
        raise typer.Exit(exit_codes.LINES_REJECTED)
