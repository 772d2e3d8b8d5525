"""Importing a CSV a person filled in: every good line goes in, every bad one is named.

The first line names the columns (in any order, any case). Each data line is
applied in its own savepoint, so a line goes in whole or not at all, and a
bad line is reported with its line number while the rest still goes in.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlmodel import Session

from svcdesk_tui.core.errors import InvalidInput, SvcdeskError


@dataclass
class ImportResult:
    """What an import did: lines that changed the store, lines already there, refusals."""

    table: str
    changed: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, message)

    def summary(self) -> str:
        text = f"{self.table}: {self.changed} changed, {self.unchanged} unchanged"
        return text + (f", {len(self.errors)} refused" if self.errors else "")


def import_rows(
    session: Session,
    text: str,
    result: ImportResult,
    *,
    columns: Sequence[str],
    required: Sequence[str],
    apply: Callable[[dict[str, str]], bool],
    required_values: Sequence[str] | None = None,
) -> ImportResult:
    """Apply each line of ``text`` with ``apply`` (True: it changed the store).

    ``required`` columns must be in the header (else the whole file is refused);
    ``required_values`` (default: the same) must be filled on every line.
    """
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip().lower() for name in next(reader, [])]
    missing = [name for name in required if name not in header]
    if missing:
        raise InvalidInput(
            f"the first line of a {result.table} CSV must name the columns; missing: "
            f"{', '.join(missing)} (expected {','.join(columns)})"
        )
    needed = required if required_values is None else required_values
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(header):
            result.errors.append((line, f"{len(values)} fields, the header has {len(header)}"))
            continue
        row = dict(zip(header, values, strict=False))
        empty = [name for name in needed if not row.get(name, "").strip()]
        if empty:
            result.errors.append((line, f"missing {', '.join(empty)}"))
            continue
        try:
            with session.begin_nested():
                changed = apply(row)
        except SvcdeskError as error:
            result.errors.append((line, error.message))
            continue
        if changed:
            result.changed += 1
        else:
            result.unchanged += 1
    return result
