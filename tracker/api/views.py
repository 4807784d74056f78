"""The API blueprint with every feature's endpoints registered on it."""

from tracker.api import targets  # noqa: F401  (registers its routes on bp)
from tracker.api.blueprint import bp

__all__ = ["bp"]
