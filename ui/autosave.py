"""Autosave to a recovery copy beside the workspace, never to the officer's own file.

An officer expects the workspace file to change only when they choose Save, and expects not
to lose an afternoon's work to a crash. So every few minutes, while there are unsaved
changes, the layers changed since the last save are written to ``.<name>.autosave.gpkg`` next
to it (atomically, by ``Workspace.save`` on a copy that shares the frames, so neither the
workspace's path nor its "modified" state changes). Only those layers: the records edited
this afternoon, not the ten million incidents the file already holds, so an autosave takes
milliseconds. The copy names its layers (``PARTIAL_COPY_KEY``); recovering it opens the
file and puts them back in. Saving or discarding the changes removes the copy; a copy newer
than the file found on opening is offered for recovery. Being partial, it is never offered
in place of a damaged file (``portrait.workspace_integrity``).

No Qt here: the window decides when, this module decides how.
"""

from __future__ import annotations

import logging
from pathlib import Path

from portrait.layers import ALL_LAYERS
from portrait.workspace import Workspace
from portrait.workspace_integrity import PARTIAL_COPY_KEY

log = logging.getLogger(__name__)

_AUTOSAVE_OF = "autosave_of"


def autosave_path(path: Path) -> Path:
    """``quartier.gpkg`` -> ``.quartier.autosave.gpkg`` in the same folder."""
    path = Path(path)
    return path.with_name(f".{path.stem}.autosave.gpkg")


def write_autosave(workspace: Workspace) -> Path:
    """Write the layers of ``workspace`` changed since its last save, and its metadata, to
    its recovery copy; return the copy's path.

    Runs on a background thread: it only reads the workspace.
    """
    if workspace.path is None:
        raise ValueError("A workspace without a file has no place for a recovery copy.")
    target = autosave_path(workspace.path)
    copy = Workspace(None, dict(workspace.metadata), ())
    changed = sorted(workspace.modified_layers)
    for name in changed:
        copy.set_layer(name, workspace.layer(name))
    copy.set_metadata(_AUTOSAVE_OF, str(workspace.path))
    copy.set_metadata(PARTIAL_COPY_KEY, ",".join(changed))
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
    """The workspace of ``path`` with the recovery copy's layers and metadata put back in,
    marked modified: Save then writes them to the officer's file (and Discard leaves that
    file as it was). A whole copy (from an older version) replaces every layer."""
    copy = Workspace.open(sidecar)
    layers = copy.metadata.pop(PARTIAL_COPY_KEY, None)
    copy.metadata.pop(_AUTOSAVE_OF, None)
    if layers is None:
        for spec in ALL_LAYERS:
            copy.set_layer(spec.name, copy.layer(spec.name))
        copy.path = Path(path)
        return copy
    recovered = Workspace.open(path)
    for name in filter(None, layers.split(",")):
        recovered.set_layer(name, copy.layer(name))
    for key, value in copy.metadata.items():
        recovered.set_metadata(key, value)
    return recovered


def discard_autosave(path: Path | None) -> None:
    """Remove the recovery copy of ``path`` (after a save, or when changes are discarded)."""
    if path is not None:
        autosave_path(path).unlink(missing_ok=True)
