"""Playing a call's recording from a screen: the player gets the terminal and gives it back.

Where the desk cannot lend its terminal (a served or headless desk) the player
runs without one in a worker. A missing file or player is said in one line.
"""

from __future__ import annotations

from textual import work
from textual.app import SuspendNotSupported
from textual.worker import Worker

from svcdesk_tui.monitoring.recordings import Playback, RecordingUnplayable, play, playback
from svcdesk_tui.screens.common.node import DeskNode


def play_call(screen: DeskNode, call_id: int, recording_path: str | None) -> None:
    """Play the call's recording with the ``recording_player`` setting's command."""
    try:
        plan = playback(screen.app.settings, recording_path, call_id)
    except RecordingUnplayable as refused:
        screen.notify(refused.message, title="Cannot play", severity="warning")
        return
    try:
        with screen.app.suspend():
            play(plan)
    except SuspendNotSupported:
        _play_quietly(screen, plan, call_id)


def _play_quietly(screen: DeskNode, plan: Playback, call_id: int) -> Worker[None]:
    @work(thread=True, group="player")
    def run(node: DeskNode) -> None:
        app = node.app
        app.call_from_thread(node.notify, f"Playing call #{call_id}")
        try:
            status = play(plan, quiet=True)
        except RecordingUnplayable as refused:
            app.call_from_thread(node.notify, refused.message, severity="warning")
            return
        if status:
            said = f"The player stopped with status {status}"
            app.call_from_thread(node.notify, said, severity="warning")

    return run(screen)
