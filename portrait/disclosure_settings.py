"""The disclosure thresholds of a workspace: what partner briefs hide, kept with the data.

The thresholds belong to the portrait project, not to one officer's computer: the brief a
colleague writes from the command line on the same workspace must hide the same counts as
the one written from the app. They live in the workspace's ``portrait_metadata`` table; the
app's Preferences write them there, the ``portrait brief`` command reads them, and each
brief prints the values it used.

>>> settings = DisclosureSettings(small_count_high=9)
>>> settings.as_metadata()["disclosure.small_count_high"]
'9'
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from portrait.errors import PortraitError
from portrait.workspace import Workspace

PREFIX = "disclosure."
#: The lowest value each threshold may take (a threshold under it would hide nothing).
MINIMUM = {"small_count_high": 1, "min_cell_count": 1, "survey_min_n": 1}
#: Thresholds above these hide a whole station's figures: surely a typing error.
MAXIMUM = {"small_count_high": 99, "min_cell_count": 999, "survey_min_n": 9_999}


@dataclass(frozen=True)
class DisclosureSettings:
    """Counts from 1 to ``small_count_high`` are hidden; partner maps show squares of at
    least ``min_cell_count`` incidents; survey results on fewer than ``survey_min_n``
    answers are hidden."""

    small_count_high: int = 4
    min_cell_count: int = 5
    survey_min_n: int = 30

    def __post_init__(self) -> None:
        for name, low in MINIMUM.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or \
                    not low <= value <= MAXIMUM[name]:
                raise PortraitError(f"Disclosure threshold {PREFIX}{name} is {value!r}; "
                                    f"expected a whole number from {low} to {MAXIMUM[name]}.")

    def as_metadata(self) -> dict[str, str]:
        return {PREFIX + f.name: str(getattr(self, f.name))
                for f in dataclasses.fields(self)}

    def as_dict(self) -> dict[str, int]:
        """The thresholds by name (the same names as ``exports.brief_model.BriefOptions``)."""
        return dataclasses.asdict(self)


def read_settings(workspace: Workspace) -> DisclosureSettings:
    """The workspace's thresholds (the defaults for those it does not hold).

    A value that is not a whole number raises ``PortraitError`` naming the workspace file,
    the metadata key and what was expected: a brief must never go out with a threshold
    silently replaced.
    """
    found: dict[str, int] = {}
    for field in dataclasses.fields(DisclosureSettings):
        raw = workspace.metadata.get(PREFIX + field.name)
        if raw is None or str(raw).strip() == "":
            continue
        try:
            found[field.name] = int(str(raw).strip())
        except ValueError:
            where = getattr(workspace, "path", None)
            raise PortraitError(
                f"{where.name if where else 'The workspace'}: the portrait_metadata key "
                f"{PREFIX}{field.name} holds {raw!r}; expected a whole number.") from None
    try:
        return DisclosureSettings(**found)
    except PortraitError as error:
        where = getattr(workspace, "path", None)
        raise PortraitError(f"{where.name if where else 'The workspace'}: {error}") from None


def write_settings(workspace: Workspace, settings: DisclosureSettings) -> None:
    """Store ``settings`` in the workspace (saved with it, like any metadata change)."""
    for key, value in settings.as_metadata().items():
        if workspace.metadata.get(key) != value:
            workspace.set_metadata(key, value)
