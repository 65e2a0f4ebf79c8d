"""The sections of a portrait, one module each; every builder takes a ``StationContext``
and returns a ``Section`` (empty, with a reason, when there is nothing to show)."""
