"""Who is at the keyboard: OS login → staff record, and --as where allowed."""

from __future__ import annotations

from datetime import date

import pytest

from svcdesk_tui.core.errors import PermissionDenied
from svcdesk_tui.people.identity import resolve_actor

from .builders import Center
from .stores import new_store

TODAY = date(2026, 1, 5)


@pytest.fixture
def demo(tmp_path, clock):
    center = Center.create(new_store(tmp_path), clock, demo=True)
    center.staff("mvos", "manager", name="Mara Vos")
    center.staff("alice")
    return center


def resolve(center, **kwargs):
    with center.db.read() as session:
        return resolve_actor(session, demo=center.db.demo, today=TODAY, **kwargs)


def test_demo_defaults_to_the_service_manager_whoever_you_are(demo):
    assert resolve(demo, login="stranger").login == "mvos"


def test_demo_lets_anyone_pick_who_they_are(demo):
    assert resolve(demo, login="stranger", as_login="alice").role == "agent"
    with pytest.raises(PermissionDenied, match="no staff member 'zed'"):
        resolve(demo, login="stranger", as_login="zed")


def test_unknown_login_is_told_how_to_get_added(center):
    with pytest.raises(PermissionDenied, match="svcdesk staff add stranger"):
        resolve(center, login="stranger")


def test_os_login_maps_to_its_role(center):
    center.staff("lena", "lead")
    assert resolve(center, login="lena").role == "lead"


def test_as_is_for_admins_only(center):
    center.staff("alice")
    center.staff("lena", "lead")
    center.staff("root", "admin")
    with pytest.raises(PermissionDenied, match="--as is for admins only"):
        resolve(center, login="lena", as_login="alice")
    assert resolve(center, login="root", as_login="alice").login == "alice"


def test_people_who_left_are_refused(center):
    center.staff("gone", left=date(2025, 12, 31))
    with pytest.raises(PermissionDenied):
        resolve(center, login="gone")
