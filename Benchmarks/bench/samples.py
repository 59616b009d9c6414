"""Medians and percentiles of measured samples, skipping the NaNs of readings that failed."""

import statistics


def med(values):
    values = [v for v in values if v == v]
    return statistics.median(values) if values else float("nan")


def pct(values, fraction):
    """The sample at `fraction` (0-1) of the sorted values, nearest rank."""
    values = sorted(v for v in values if v == v)
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int((len(values) - 1) * fraction + 0.5))]
