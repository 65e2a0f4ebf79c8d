"""The desktop application (PySide6): the only package that imports Qt.

Widgets stay thin: they gather the officer's choices and call ``portrait`` and ``exports``,
which do the work and can be tested without a display.
"""
