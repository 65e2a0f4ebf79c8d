"""Speed measurements on data of realistic size; run with ``python -m benchmarks``."""
