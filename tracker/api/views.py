"""The API blueprint with every feature's endpoints registered on it."""

from tracker.api import affiliations, docs, exports, jobs, notes, reporting, targets, visitors  # noqa: F401  (registers their routes on bp)
from tracker.api.blueprint import bp
from tracker.api.docs import pages

__all__ = ["bp", "pages"]
