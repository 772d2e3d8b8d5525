"""Writers of one SQLite file take turns, and never wait for ever on a stuck one."""

from __future__ import annotations

import fcntl
import os
import threading
import time

from svcdesk_tui.core.writer_queue import WriterQueue

from .stores import sqlite_only

pytestmark = sqlite_only  # the queue is a lock file beside a SQLite store


def hold(path) -> int:  # type: ignore[no-untyped-def]
    """Take the writers' lock as another process would (its own open file)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o660)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def free(path) -> bool:  # type: ignore[no-untyped-def]
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


def test_a_writer_waits_for_its_turn_and_then_goes(tmp_path):
    queue = WriterQueue(tmp_path / "center.db", wait_s=600)
    other = hold(queue.path)
    entered = threading.Event()

    def write() -> None:
        with queue.turn():
            entered.set()
            assert not free(queue.path)  # while it writes, the turn is its own

    writer = threading.Thread(target=write)
    writer.start()
    assert not entered.wait(0.3)  # the other writer still holds the turn
    os.close(other)
    writer.join(timeout=60)
    assert entered.is_set()
    assert free(queue.path)


def test_threads_of_one_process_take_turns_too(tmp_path):
    queue = WriterQueue(tmp_path / "center.db", wait_s=600)
    inside, most = 0, 0
    lock = threading.Lock()

    def write() -> None:
        nonlocal inside, most
        for _ in range(20):
            with queue.turn():
                with lock:
                    inside += 1
                    most = max(most, inside)
                time.sleep(0.001)
                with lock:
                    inside -= 1

    writers = [threading.Thread(target=write) for _ in range(4)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=60)
    assert most == 1


def test_a_stuck_writer_delays_the_others_only_up_to_the_limit(tmp_path):
    queue = WriterQueue(tmp_path / "center.db", wait_s=0.2)
    stuck = hold(queue.path)
    threads = threading.active_count()
    began = time.monotonic()
    with queue.turn():  # goes on without the turn: SQLite's busy timeout decides now
        waited = time.monotonic() - began
    assert waited >= 0.2
    os.close(stuck)
    # the late waiter still takes the lock once it comes, and lets go: once its
    # thread has ended the lock must be free (checking the lock alone could look
    # in the moment before the waiter takes it)
    deadline = time.monotonic() + 60
    while threading.active_count() > threads and time.monotonic() < deadline:
        time.sleep(0.01)
    assert free(queue.path)


def test_no_queue_where_the_lock_file_cannot_be_made(tmp_path):
    queue = WriterQueue(tmp_path / "missing-dir" / "center.db", wait_s=600)
    with queue.turn():
        pass
    assert not queue.path.exists()
