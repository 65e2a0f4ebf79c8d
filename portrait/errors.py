"""Errors that carry a message meant for the user.

The UI shows ``str(error)`` as is, without a traceback; anything that is not a
``PortraitError`` is an unexpected failure and is reported as such.
"""

from __future__ import annotations


class PortraitError(Exception):
    """A known problem, explained in words a community officer can act on."""


class WorkspaceError(PortraitError):
    """The workspace file cannot be opened or saved."""


class NotAWorkspaceError(WorkspaceError):
    """The file exists but is not a Portrait de quartier workspace."""


class NewerSchemaError(WorkspaceError):
    """The workspace was written by a newer version of the application."""


class CancelledError(PortraitError):
    """Long work stopped because the user asked for it; a normal outcome, not a failure."""


class CorruptWorkspaceError(WorkspaceError):
    """The workspace file is damaged; ``recovery`` is the newest good copy found, if any."""

    def __init__(self, message: str, recovery: object = None):
        super().__init__(message)
        self.recovery = recovery


class WorkspaceLockedError(WorkspaceError):
    """Another program is writing to the workspace; reading it is still allowed."""
