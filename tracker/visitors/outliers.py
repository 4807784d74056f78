"""The outlier rule shared by the entry grid and the import: a figure far from the same month last year."""

OUTLIER_FACTOR = 3
# A figure is questioned only when it also moves by at least this many visitors: a small market's month moves by
# a few dozen by chance, and a ratio alone flagged 0 after 1 or 40 after 12 (a synthetic national file of small
# random figures raised 182,481 such warnings). 100 is a coach party; a real slip (a digit too many or too few,
# a market's figure in another's column) moves a figure by far more wherever the slip matters.
OUTLIER_MIN_CHANGE = 100


def is_outlier(value: int, last_year: int | None) -> bool:
    """More than 3x or less than a third of last year's same month, and at least OUTLIER_MIN_CHANGE visitors away
    from it (no rule without a positive base)."""
    if not last_year or abs(value - last_year) < OUTLIER_MIN_CHANGE:
        return False
    return value > OUTLIER_FACTOR * last_year or value * OUTLIER_FACTOR < last_year
