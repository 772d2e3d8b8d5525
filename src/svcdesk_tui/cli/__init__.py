"""The `svcdesk` command: one module per sub-command group."""

from __future__ import annotations

import typer

from svcdesk_tui.cli.main import full_app, main

__all__ = ["app", "main"]


def __getattr__(name: str) -> typer.Typer:
    if name == "app":  # every command; built on first use (the desk alone needs none)
        return full_app()
    raise AttributeError(name)
