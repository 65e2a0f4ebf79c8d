"""Autosave to a recovery copy beside the workspace, never to the officer's own file.

An officer expects the workspace file to change only when they choose Save, and expects not
to lose an afternoon's work to a crash. So every few minutes, while there are unsaved
changes, the whole workspace is written to ``.<name>.autosave.gpkg`` next to it (atomically,
by ``Workspace.save`` on a copy that shares the frames, so neither the workspace's path nor its
"modified" state changes). Saving or discarding the changes removes the copy; a copy newer
than the file found on opening is offered for recovery.

No Qt here: the window decides when, this module decides how.
"""

from __future__ import annotations

import logging
from pathlib import Path

from portrait.layers import ALL_LAYERS
from portrait.workspace import Workspace

log = logging.getLogger(__name__)

_AUTOSAVE_OF = "autosave_of"


def autosave_path(path: Path) -> Path:
    """``quartier.gpkg`` -> ``.quartier.autosave.gpkg`` in the same folder."""
    path = Path(path)
    return path.with_name(f".{path.stem}.autosave.gpkg")


def write_autosave(workspace: Workspace) -> Path:
    """Write every layer of ``workspace`` to its recovery copy; return the copy's path.

    Runs on a background thread: it only reads the workspace (loading layers not read yet).
    """
    if workspace.path is None:
        raise ValueError("A workspace without a file has no place for a recovery copy.")
    target = autosave_path(workspace.path)
    copy = Workspace(None, dict(workspace.metadata), ())
    for spec in ALL_LAYERS:
        copy.set_layer(spec.name, workspace.layer(spec.name))
    copy.set_metadata(_AUTOSAVE_OF, str(workspace.path))
    copy.save(target)
    log.info("Autosaved %s to %s", workspace.path, target)
    return target


def recovery_copy(path: Path) -> Path | None:
    """The recovery copy of the workspace at ``path`` if it is newer than the file."""
    sidecar = autosave_path(path)
    try:
        if sidecar.is_file() and sidecar.stat().st_mtime > Path(path).stat().st_mtime:
            return sidecar
    except OSError:
        return None
    return None


def recover(path: Path, sidecar: Path) -> Workspace:
    """The recovery copy as the workspace of ``path``, every layer marked modified: Save then
    writes it to the officer's file (and Discard leaves that file as it was)."""
    recovered = Workspace.open(sidecar)
    for spec in ALL_LAYERS:
        recovered.set_layer(spec.name, recovered.layer(spec.name))
    recovered.metadata.pop(_AUTOSAVE_OF, None)
    recovered.path = Path(path)
    return recovered


def discard_autosave(path: Path | None) -> None:
    """Remove the recovery copy of ``path`` (after a save, or when changes are discarded)."""
    if path is not None:
        autosave_path(path).unlink(missing_ok=True)
