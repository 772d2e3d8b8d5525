"""The queue_log importer links the PBX's recordings (MixMonitor files named by uniqueid)."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select

from svcdesk_tui.core.settings import save_setting
from svcdesk_tui.ingest.follow import import_file
from svcdesk_tui.ingest.importer import QueueLogImporter
from svcdesk_tui.models import Call

DAY = Path(__file__).parent / "data" / "day.queue_log"


def test_answered_calls_get_their_recording_when_the_folder_holds_it(center, tmp_path):
    folder = tmp_path / "monitor"
    (folder / "2026" / "01").mkdir(parents=True)
    (folder / "2026" / "01" / "1767603700.1-support.wav").write_bytes(b"RIFF")  # call A
    (folder / "2026" / "01" / "1767603900.4-support.wav").write_bytes(b"RIFF")  # abandoned
    center.queue("Support")
    manager = center.staff("mvos", "manager")
    center.staff("sip-1001")
    with center.db.write() as session:
        save_setting(session, "recording_folder", str(folder))
        save_setting(session, "recording_pattern", "{date:%Y/%m}/{uniqueid}-{queue}.wav")
    importer = QueueLogImporter(center.db, manager, clock=center.clock)
    import_file(importer, DAY)
    importer.finish()
    with center.db.read() as session:
        linked = session.exec(
            select(Call.external_id, Call.recording_path).where(Call.recording_path.is_not(None))
        ).all()
    assert linked == [
        ("1767603700.1:support:1767603700", str(folder / "2026/01/1767603700.1-support.wav"))
    ]


def test_without_a_folder_nothing_is_linked(center):
    center.queue("Support")
    manager = center.staff("mvos", "manager")
    importer = QueueLogImporter(center.db, manager, clock=center.clock)
    import_file(importer, DAY)
    importer.finish()
    with center.db.read() as session:
        assert session.exec(select(Call).where(Call.recording_path.is_not(None))).all() == []
        assert len(session.exec(select(Call)).all()) > 5
