"""Writers that turn a workspace into files people read: maps, reports, spreadsheets.

Exports depend on ``portrait`` only; they never import Qt, so the command line and the
tests can produce the same files as the desktop application.
"""
