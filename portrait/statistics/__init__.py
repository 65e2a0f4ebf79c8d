"""Statistics of the portrait: pure functions on arrays and frames, no workspace or Qt.

Each module holds one family: ``rates`` (Poisson counts, rates and change tests),
``proportions`` (Wilson intervals, weighted shares, differences), ``multiple_testing``
(Benjamini-Hochberg), ``grid`` (the metric grid over a station), ``hotspots`` (Gi*),
``density`` (quartic kernel density), ``concentration`` (top shares, Gini, repeat
locations), ``location_quotients``, ``apportion`` (census areas to stations) and ``raking``
(survey weights to population margins).
"""
