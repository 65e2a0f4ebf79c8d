"""The ``portrait`` command: the desktop app and the commands that work without it."""
