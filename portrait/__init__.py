"""Portrait de quartier: the domain model and analyses of a neighbourhood-station portrait.

This package is pure Python: it never imports Qt and holds no file-format code beyond the
workspace file itself.
"""

__version__ = "0.1.0"
