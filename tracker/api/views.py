"""The API blueprint with every feature's endpoints registered on it."""

from tracker.api.blueprint import bp

__all__ = ["bp"]
