"""A call's recording: where it lies, attaching one by path, and playing it.

The store holds the file's path, never the audio. Recordings live in the
configured folder (setting ``recording_folder``); a path outside it is refused,
so a desk cannot be made to play any file of the server. The PBX's files are
found by ``recording_pattern`` (e.g. ``{uniqueid}.wav``, as MixMonitor names
them); ``recording_player`` is the command that plays one.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session

from svcdesk_tui.core import audit
from svcdesk_tui.core.errors import InvalidInput, NotFound, SvcdeskError
from svcdesk_tui.core.rows import existing
from svcdesk_tui.core.settings import CenterSettings
from svcdesk_tui.models import Call
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.people.permissions import Action, require


class RecordingUnplayable(SvcdeskError):
    """The recording's file or the player is missing (exit 1, one line)."""


def folder_of(settings: CenterSettings) -> Path | None:
    return Path(settings.recording_folder).resolve() if settings.recording_folder else None


def inside_folder(settings: CenterSettings, path: str | Path) -> Path:
    """``path`` made absolute (relative ones in the folder); refused outside the folder."""
    folder = folder_of(settings)
    if folder is None:
        raise InvalidInput(
            "no recording folder is set: "
            "`svcdesk settings set recording_folder /path/to/recordings`"
        )
    given = Path(path)
    resolved = (given if given.is_absolute() else folder / given).resolve()
    if not resolved.is_relative_to(folder):
        raise InvalidInput(f"{path} is outside the recording folder {folder}")
    return resolved


def pbx_recording(settings: CenterSettings, uniqueid: str, queue: str, entered: int) -> str | None:
    """The PBX's recording of the call ``uniqueid`` when the folder holds one, else None."""
    folder = settings.recording_folder
    if not folder or "/" in uniqueid:
        return None
    name = settings.recording_pattern.format(
        uniqueid=uniqueid, queue=queue, date=datetime.fromtimestamp(entered, UTC)
    )
    path = Path(folder) / name
    return str(path) if path.is_file() else None


def attach(
    session: Session,
    actor: Actor,
    settings: CenterSettings,
    call_id: int,
    path: str,
    *,
    now: datetime,
) -> str:
    """Link the recording at ``path`` (inside the folder, an existing file) to the call."""
    require(actor, Action.MANAGE_FORMS)
    call = existing(session, Call, call_id, f"no call #{call_id}")
    resolved = inside_folder(settings, path)
    if not resolved.is_file():
        raise NotFound(f"no recording at {resolved}")
    before, call.recording_path = call.recording_path, str(resolved)
    audit.record(
        session, actor, "monitoring.attach_recording", "call", call_id, at=now,
        before={"recording_path": before}, after={"recording_path": call.recording_path},
    )  # fmt: skip
    return call.recording_path


@dataclass(frozen=True)
class Playback:
    """The command that plays one recording, checked to exist, file and player both."""

    argv: list[str]
    path: str


def playback(settings: CenterSettings, recording_path: str | None, call_id: int) -> Playback:
    """How to play the call's recording; a missing file or player is refused in one line."""
    if not recording_path:
        raise RecordingUnplayable(f"call #{call_id} has no recording")
    if not Path(recording_path).is_file():
        raise RecordingUnplayable(f"the recording of call #{call_id} is missing: {recording_path}")
    words = shlex.split(settings.recording_player)
    argv = [word.replace("{path}", recording_path) for word in words]
    if shutil.which(argv[0]) is None:
        raise RecordingUnplayable(
            f"the player {argv[0]!r} is not installed: install it or "
            "`svcdesk settings set recording_player 'PLAYER {path}'`"
        )
    return Playback(argv, recording_path)


def recording_of(session: Session, actor: Actor, call_id: int) -> str | None:
    """The recording path of a call, for someone who may play recordings."""
    require(actor, Action.PLAY_RECORDINGS)
    return existing(session, Call, call_id, f"no call #{call_id}").recording_path


def play(plan: Playback, *, quiet: bool = False) -> int:
    """Run the player until it ends; its exit status (quiet: no terminal for it)."""
    sink = subprocess.DEVNULL if quiet else None
    try:
        done = subprocess.run(plan.argv, stdin=sink, stdout=sink, stderr=sink, check=False)
        return done.returncode
    except OSError as error:
        raise RecordingUnplayable(f"could not start {plan.argv[0]}: {error}") from None
