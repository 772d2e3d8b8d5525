"""Evaluation forms are data: sections and items, imported and exported as CSV, versioned.

A form is never edited: importing a changed form adds a new version, and an
evaluation keeps the version it was made with. A CSV goes in whole or not at
all: every bad line is named, and then nothing is written.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from svcdesk_tui.core import audit
from svcdesk_tui.core.errors import InvalidInput, NotFound
from svcdesk_tui.models import ItemKind, MonitoringForm, MonitoringItem
from svcdesk_tui.monitoring.scoring import ItemSpec
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.people.permissions import Action, require

COLUMNS = ("form", "section", "code", "text", "kind", "weight", "critical", "scale_max")
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_TRUTH = {"yes": True, "y": True, "true": True, "1": True, "no": False, "n": False}
_TRUTH |= {"false": False, "0": False, "": False}

DEFAULT_FORM_CSV = """\
form,section,code,text,kind,weight,critical,scale_max
Service call,Listening,listened,Listened to the end without interrupting,yes_no_partly,3,no,
Service call,Listening,reflected,Reflected back what they understood,yes_no_partly,3,no,
Service call,Listening,thanked,Thanked the customer for the complaint,yes_no,1,no,
Service call,Outcome,can_do,Ended with what can be done (never 'impossible'),yes_no,3,yes,
Service call,Outcome,checked_solved,Checked that the problem was solved before ending,yes_no,3,no,
Service call,Outcome,compensation,Offered compensation within authority,yes_no_partly,2,no,
Service call,Records,identified,Identified the customer and had their agreement,yes_no,2,yes,
Service call,Records,reason_route,Recorded the right contact reason and route,yes_no,2,no,
Service call,Manner,courtesy,Tone and courtesy,scale,2,no,5
"""
"""The center's service rules as a form (DOMAIN.md, Difficult customers and complaints)."""


@dataclass(frozen=True)
class FormItem:
    item_id: int
    section: str
    code: str
    text: str
    kind: str
    weight: int
    critical: bool
    scale_max: int | None

    @property
    def spec(self) -> ItemSpec:
        return ItemSpec(self.code, self.kind, self.weight, self.critical, self.scale_max)


@dataclass(frozen=True)
class Form:
    form_id: int
    name: str
    version: int
    items: tuple[FormItem, ...]

    @property
    def label(self) -> str:
        return f"{self.name} v{self.version}"


class FormRejected(InvalidInput):
    """A form CSV with bad lines: each is named, and nothing was imported."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        super().__init__(f"the form was not imported: {len(errors)} bad line(s)")
        self.errors = errors


def parse_form(text: str) -> tuple[str, list[dict[str, Any]]]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip().lower() for name in next(reader, [])]
    missing = [name for name in COLUMNS[:6] if name not in header]
    if missing:
        raise InvalidInput(
            f"the first line of a form CSV must name the columns; missing: {', '.join(missing)} "
            f"(expected {','.join(COLUMNS)})"
        )
    errors: list[tuple[int, str]] = []
    rows: list[dict[str, Any]] = []
    names: set[str] = set()
    codes: set[str] = set()
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        row = {k: v.strip() for k, v in zip(header, values, strict=False)}
        try:
            item = _item(row, codes)
        except InvalidInput as error:
            errors.append((line, error.message))
            continue
        names.add(str(row.get("form", "")))
        rows.append(item)
    if len(names) > 1:
        errors.append((1, f"one form per file; this one names {', '.join(sorted(names))}"))
    if not rows and not errors:
        errors.append((1, "the file holds no items"))
    if errors:
        raise FormRejected(sorted(errors))
    return names.pop(), rows


def _item(row: dict[str, str], codes: set[str]) -> dict[str, Any]:
    empty = [name for name in ("form", "section", "code", "text", "kind") if not row.get(name)]
    if empty:
        raise InvalidInput(f"missing {', '.join(empty)}")
    code, kind = row["code"], row["kind"].lower()
    if not _CODE.match(code):
        raise InvalidInput(f"code {code!r}: lower-case letters, digits and _, up to 40")
    if code in codes:
        raise InvalidInput(f"code {code!r} appears twice")
    if kind not in set(ItemKind):
        raise InvalidInput(f"kind {kind!r}: use {', '.join(ItemKind)}")
    weight = row.get("weight", "")
    if not weight.isdigit() or not 0 <= int(weight) <= 100:
        raise InvalidInput(f"weight {weight!r}: a whole number from 0 to 100")
    critical = _TRUTH.get(row.get("critical", "").lower())
    if critical is None:
        raise InvalidInput(f"critical {row.get('critical')!r}: yes or no")
    scale = row.get("scale_max", "")
    if kind == ItemKind.SCALE and not (scale.isdigit() and 2 <= int(scale) <= 10):
        raise InvalidInput(f"a scale item needs scale_max from 2 to 10, not {scale!r}")
    if kind != ItemKind.SCALE and scale:
        raise InvalidInput(f"scale_max is for scale items only, not {kind}")
    if len(row["text"]) > 200 or len(row["section"]) > 80:
        raise InvalidInput("text is at most 200 characters, section 80")
    codes.add(code)
    return {
        "section": row["section"],
        "code": code,
        "text": row["text"],
        "kind": kind,
        "weight": int(weight),
        "critical": critical,
        "scale_max": int(scale) if kind == ItemKind.SCALE else None,
    }


def _same(form: Form, rows: list[dict[str, Any]]) -> bool:
    keys = ("section", "code", "text", "kind", "weight", "critical", "scale_max")
    mine = [tuple(getattr(item, k) for k in keys) for item in form.items]
    return mine == [tuple(row[k] for k in keys) for row in rows]


def import_form(session: Session, actor: Actor | None, text: str, *, now: datetime) -> Form:
    """Store the CSV's form as its next version (the same form again adds none)."""
    if actor is not None:
        require(actor, Action.MANAGE_FORMS)
    name, rows = parse_form(text)
    if len(name) > 80:
        raise InvalidInput("a form's name is at most 80 characters")
    newest = latest_form(session, name)
    if newest is not None and _same(newest, rows):
        return newest
    version = 1 if newest is None else newest.version + 1
    form = MonitoringForm(name=name, version=version, created_at=now)
    form.created_by_id = actor.id if actor else None
    audit.added(
        session, actor, form, "monitoring.form_import", at=now,
        after={"name": name, "version": version, "items": len(rows)},
    )  # fmt: skip
    assert form.id is not None
    for position, row in enumerate(rows):
        session.add(MonitoringItem(form_id=form.id, position=position, **row))
    session.flush()
    return load_form(session, form.id)


def _csv(rows: list[tuple[str, str, str, str, str, int, bool, int | None]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for form, section, code, text, kind, weight, critical, scale in rows:
        writer.writerow(
            (form, section, code, text, kind, weight, "yes" if critical else "no", scale or "")
        )
    return buffer.getvalue()


def export_form(form: Form) -> str:
    """The form as CSV: importing it again adds no version."""
    return _csv(
        [
            (form.name, i.section, i.code, i.text, i.kind, i.weight, i.critical, i.scale_max)
            for i in form.items
        ]
    )


def load_form(session: Session, form_id: int) -> Form:
    form = session.get(MonitoringForm, form_id)
    if form is None:
        raise NotFound(f"no evaluation form #{form_id}")
    items = session.exec(
        select(MonitoringItem)
        .where(MonitoringItem.form_id == form_id)
        .order_by(col(MonitoringItem.position))
    ).all()
    assert form.id is not None
    return Form(
        form.id,
        form.name,
        form.version,
        tuple(
            FormItem(
                i.id or 0, i.section, i.code, i.text, i.kind, i.weight, i.critical, i.scale_max
            )
            for i in items
        ),
    )


def latest_form(
    session: Session, name: str | None = None, version: int | None = None
) -> Form | None:
    """The newest version of the form ``name`` (or a given version); with no name, the form
    created last."""
    query = select(col(MonitoringForm.id))
    if name is not None:
        query = query.where(col(MonitoringForm.name) == name)
    if version is not None:
        query = query.where(col(MonitoringForm.version) == version)
    found = session.exec(
        query.order_by(col(MonitoringForm.created_at).desc(), col(MonitoringForm.id).desc())
    ).first()
    return None if found is None else load_form(session, found)


def require_form(session: Session, name: str | None = None, version: int | None = None) -> Form:
    form = latest_form(session, name, version)
    if form is None:
        what = "no evaluation form" if name is None else f"no evaluation form {name!r}"
        what += f" version {version}" if version is not None else ""
        raise NotFound(f"{what}: import one with `svcdesk monitoring forms import FILE`")
    return form


def form_names(session: Session) -> list[tuple[str, int]]:
    """Each form's name and its newest version."""
    rows = session.execute(
        select(col(MonitoringForm.name), func.max(MonitoringForm.version))
        .group_by(col(MonitoringForm.name))
        .order_by(col(MonitoringForm.name))
    ).all()
    return [(name, version) for name, version in rows]
