"""Census values per area, as a table of indicators ready to map or compare.

>>> import pandas as pd
>>> values = pd.DataFrame({"area_id": ["A", "A"], "indicator_id": ["low_income", "low_income_base"],
...                        "value": [30.0, 120.0]})
>>> float(indicator_table(values).loc["A", "low_income_rate"])
25.0
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from portrait.indicators import CATALOGUE, Indicator


def indicator_table(census_values: pd.DataFrame,
                    catalogue: Iterable[Indicator] = CATALOGUE) -> pd.DataFrame:
    """One row per area, one column per indicator (counts, medians and recomputed shares).

    Shares are in percent (rates per their ``per``), computed from the area's own numerator
    and denominator counts; an area whose denominator is missing or zero gets no share rather
    than a division by zero. A count under its indicator's ``suppress_below`` is hidden, with
    the shares and rates made from it.
    """
    grouped = census_values.groupby(["area_id", "indicator_id"], observed=True)["value"]
    wide = grouped.sum(min_count=1).unstack("indicator_id")  # suppressed values stay missing
    wide.columns.name = None
    catalogue = tuple(catalogue)
    for item in catalogue:  # the indicator's own small-number rule, as the portrait applies it
        if item.suppress_below is not None and item.id in wide:
            wide[item.id] = wide[item.id].where(~(wide[item.id] < item.suppress_below))
    for item in catalogue:
        if not item.is_ratio:
            continue
        if item.numerator in wide and item.denominator in wide:
            denominator = wide[item.denominator].where(wide[item.denominator] > 0)
            wide[item.id] = item.per * wide[item.numerator] / denominator
        else:
            wide[item.id] = np.nan
    return wide
