"""Every model, re-exported so that Alembic and the app see all tables."""

from tracker.models.areas import AREA_LEVELS, Area, Market
from tracker.models.audit import OUTCOMES, SOURCES, ImportBatch, Revision
from tracker.models.exports import UNITS, Exporter, ExportProductRollup, ExportRollup, ExportSale, Product
from tracker.models.jobs import JOB_KINDS, JOB_SOURCES, JOB_STATUSES, ImportJob
from tracker.models.reporting import (
    MONTH_STATUSES,
    REPORTING_METRICS,
    DueException,
    ReportingMonth,
    ReportingRollup,
    ReportingRule,
    ReportingUnitArea,
)
from tracker.models.targets import METRICS, YEAR_BASES, Target
from tracker.models.users import ADMIN, EXPORTER, LANGUAGES, OFFICER, ROLES, VIEWER, ApiToken, User, user_areas
from tracker.models.visitors import MAX_VISITORS, STATUSES, VisitorCount, VisitorRollup

__all__ = [
    "ADMIN", "AREA_LEVELS", "EXPORTER", "JOB_KINDS", "JOB_SOURCES", "JOB_STATUSES", "LANGUAGES", "MAX_VISITORS",
    "METRICS", "MONTH_STATUSES", "OFFICER", "OUTCOMES", "REPORTING_METRICS", "ROLES", "SOURCES", "STATUSES", "UNITS",
    "VIEWER", "YEAR_BASES", "ApiToken", "Area", "DueException", "ExportProductRollup", "ExportRollup", "ExportSale",
    "Exporter", "ImportBatch", "ImportJob", "Market", "Product", "ReportingMonth", "ReportingRollup", "ReportingRule",
    "ReportingUnitArea", "Revision", "Target", "User", "VisitorCount", "VisitorRollup", "user_areas",
]
