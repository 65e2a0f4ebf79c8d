"""Who is working: the name and role the officer gave in the preferences.

Comments, sign-offs and every record's history name their author. The operating-system
user name said "root" or "poste12" on shared station computers; the officer's own name and
role, set once in the preferences, say who it was. Without them, the system user name is
still used, so nothing is ever left unsigned.

The window calls ``set_officer`` when the preferences are read or changed; the domain only
reads ``officer_signature``. The same preference keys (``officer_name``, ``officer_role``)
sign the commander's approval of briefs.
"""

from __future__ import annotations

import getpass

UNKNOWN_USER = "inconnu"

_officer: tuple[str, str] = ("", "")


def set_officer(name: str, role: str = "") -> None:
    """The officer now working ("" for both: the system user name again)."""
    global _officer
    _officer = (" ".join(name.split()), " ".join(role.split()))


def system_user() -> str:
    """The operating-system user name, or ``"inconnu"`` when the system gives none."""
    try:
        return getpass.getuser() or UNKNOWN_USER
    except (OSError, KeyError, ImportError):  # no user name in the environment or password db
        return UNKNOWN_USER


def officer_signature() -> str:
    """"Marie Tremblay (agente sociocommunautaire)", "Marie Tremblay", or the system user
    name when no name was given.

    >>> set_officer("Marie  Tremblay", "agente sociocommunautaire")
    >>> officer_signature()
    'Marie Tremblay (agente sociocommunautaire)'
    >>> set_officer("")
    """
    name, role = _officer
    if not name:
        return system_user()
    return f"{name} ({role})" if role else name
