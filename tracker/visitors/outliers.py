"""The outlier rule shared by the entry grid and the import: a figure far from the same month last year."""

OUTLIER_FACTOR = 3


def is_outlier(value: int, last_year: int | None) -> bool:
    """More than 3x or less than a third of last year's same month (no rule without a positive base)."""
    if not last_year:
        return False
    return value > OUTLIER_FACTOR * last_year or value * OUTLIER_FACTOR < last_year
