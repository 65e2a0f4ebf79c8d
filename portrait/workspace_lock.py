"""One writer at a time: a lock file beside the workspace, held from opening to closing.

Two imports into one workspace at once each read the file, add their rows and save: the
second save silently drops the first one's rows. A writer (an import, the app editing a
workspace) therefore holds ``.<name>.lock`` from before it reads the file until it is done;
another writer is told who holds it, and since when, and is refused (or waits). Readers
(``report``, ``brief``, review mode) never need it: saves are SQLite transactions, so a
reader sees the file as it was before a save or after it (waiting while one commits).

The lock is an operating-system lock (``flock``) on that file, which the system releases when
the holding process dies, however it dies: a lock left by a killed process is stale and is
simply taken over. The file also says who holds it (user, host, process, time) so the refusal
can name them. A lock written by another computer on a shared drive cannot be checked from
here (its process is not ours to see): the user is told so and may force it.
"""

from __future__ import annotations

import getpass
import json
import logging
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path

from portrait import clock
from portrait.errors import WorkspaceError, WorkspaceLockedError

log = logging.getLogger(__name__)

#: How often a waiting writer tries the lock again (seconds).
RETRY_SECONDS = 0.2

#: Locks held by this process, by lock path: [open file, how many holders]. A process is
#: one writer, so a second hold in the same process (the app's window and its importer)
#: shares the first one.
_HELD: dict[Path, list] = {}


@dataclass(frozen=True)
class LockHolder:
    """Who holds a workspace's lock, as written in the lock file."""

    user: str
    host: str
    pid: int
    since: str

    def describe(self) -> str:
        return f"{self.user or 'unknown user'} on {self.host or 'an unknown computer'} " \
               f"(process {self.pid}) since {self.since or 'an unknown time'}"


def lock_path(workspace: Path) -> Path:
    """``quartier.gpkg`` -> ``.quartier.gpkg.lock`` in the same folder."""
    workspace = Path(workspace)
    return workspace.with_name(f".{workspace.name}.lock")


class WorkspaceLock:
    """The writer's lock on one workspace file; ``release`` (or ``with``) gives it back."""

    def __init__(self, workspace: Path, *, wait: float = 0.0, force: bool = False):
        self.path = lock_path(Path(workspace).resolve())
        self._released = False
        deadline = time.monotonic() + max(wait, 0.0)
        while True:
            try:
                _acquire(self.path, force=force)
                return
            except WorkspaceLockedError:
                if time.monotonic() >= deadline:
                    raise
            time.sleep(RETRY_SECONDS)

    def release(self) -> None:
        if self._released:
            return
        self._released = True
        held = _HELD.get(self.path)
        if held is None:
            return
        held[1] -= 1
        if held[1] > 0:
            return
        del _HELD[self.path]
        handle = held[0]
        try:
            self.path.unlink(missing_ok=True)  # removed while still locked: see ``_acquire``
        except OSError:  # Windows cannot remove an open file; the next writer takes it over
            log.debug("Lock file %s left in place", self.path)
        _unlock(handle)
        handle.close()

    def __enter__(self) -> WorkspaceLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def holds_lock(workspace: Path) -> bool:
    """Whether this process holds the writer's lock on ``workspace``."""
    return lock_path(Path(workspace).resolve()) in _HELD


def current_holder(workspace: Path) -> LockHolder | None:
    """Who holds ``workspace``'s lock now, or None when nobody (or a dead process) does."""
    path = lock_path(Path(workspace).resolve())
    if path in _HELD:
        return _read_holder(path)
    try:
        handle = open(path)  # noqa: SIM115 (closed below, after the lock test)
    except OSError:
        return None
    with handle:
        if _try_lock(handle):
            _unlock(handle)
            return None
        return _read_holder(path)


def _acquire(path: Path, *, force: bool) -> None:
    held = _HELD.get(path)
    if held is not None:
        held[1] += 1
        return
    while True:
        try:
            handle = open(path, "a+")  # noqa: SIM115 (kept open while the lock is held)
        except OSError as error:
            raise WorkspaceError(
                f"Cannot create the lock file {path} ({error.strerror}); the workspace's "
                "folder must be writable to change the workspace.") from error
        if not _try_lock(handle):
            holder = _read_holder(path)
            handle.close()
            if force and holder is not None and holder.host != socket.gethostname():
                log.warning("Forcing the lock of %s held by %s", path, holder.describe())
                path.unlink(missing_ok=True)
                continue
            raise WorkspaceLockedError(_in_use_message(path, holder, checkable=True))
        if not _same_file(handle, path):  # the holder removed it between our open and lock
            _unlock(handle)
            handle.close()
            continue
        previous = _read_holder(path)
        if previous is not None and previous.host != socket.gethostname() and not force:
            _unlock(handle)
            handle.close()
            raise WorkspaceLockedError(_in_use_message(path, previous, checkable=False))
        if previous is not None:
            log.warning("Taking over the stale lock of %s (%s)", path, previous.describe())
        _write_holder(handle)
        _HELD[path] = [handle, 1]
        return


def _in_use_message(path: Path, holder: LockHolder | None, *, checkable: bool) -> str:
    workspace = path.name[1:-len(".lock")]
    who = holder.describe() if holder else "another program"
    message = f"The workspace {workspace} is in use by {who}: only one program at a time " \
              "may change it (reading it, e.g. report, brief or review, is still possible)."
    if checkable:
        return message + " Wait until it is done (the command line's --wait SECONDS " \
                         "waits for it), or close the other program."
    return message + " That lock was written by another computer, whose programs cannot " \
                     "be checked from here. If nothing is using the workspace there any " \
                     f"more, force the lock (--force-unlock), or delete {path}."


def _me() -> LockHolder:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = ""
    return LockHolder(user, socket.gethostname(), os.getpid(), clock.local_timestamp())


def _write_holder(handle) -> None:
    handle.seek(0)
    handle.truncate()
    handle.write(json.dumps(vars(_me())))
    handle.flush()


def _read_holder(path: Path) -> LockHolder | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "null")
        return LockHolder(str(data["user"]), str(data["host"]), int(data["pid"]),
                          str(data["since"]))
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _same_file(handle, path: Path) -> bool:
    try:
        return os.stat(path).st_ino == os.fstat(handle.fileno()).st_ino
    except OSError:
        return False


try:
    import fcntl

    def _try_lock(handle) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(handle) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

except ImportError:  # Windows
    import msvcrt

    def _try_lock(handle) -> bool:
        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
