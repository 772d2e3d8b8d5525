"""Writing files so that a reader never sees half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from svcdesk_tui.core.errors import SvcdeskError


def write_atomic(path: Path, content: str) -> None:
    """Write ``content`` to a temporary file beside ``path``, then rename it over ``path``.

    A target that exists and is not a regular file (``/dev/null``, a named
    pipe, ``/dev/stdout``) is written in place: renaming over it would
    replace the device with a file.
    """
    if path.exists() and not path.is_file():
        _write_in_place(path, content)
        return
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise SvcdeskError(f"cannot write {path}: folder {folder} does not exist")
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise SvcdeskError(f"cannot write {path}: {error.strerror}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise SvcdeskError(f"cannot write {path}: {error.strerror}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _write_in_place(path: Path, content: str) -> None:
    try:
        with path.open("w", encoding="utf-8", newline="") as stream:
            stream.write(content)
    except OSError as error:
        raise SvcdeskError(f"cannot write {path}: {error.strerror}") from None
