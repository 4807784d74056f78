"""Every model, re-exported so that Alembic and the app see all tables."""

from tracker.models.affiliations import AFFILIATION_KINDS, EXCHANGE_FIELDS, PARTNER_LEVELS, Affiliation
from tracker.models.areas import AREA_LEVELS, Area, Market
from tracker.models.audit import LOGIN_OUTCOMES, OUTCOMES, SOURCES, ImportBatch, LoginEvent, Revision
from tracker.models.exports import UNITS, Exporter, ExportProductRollup, ExportRollup, ExportSale, Product
from tracker.models.jobs import JOB_KINDS, JOB_SOURCES, JOB_STATUSES, ImportJob
from tracker.models.notes import MAX_NOTE_LENGTH, Note
from tracker.models.notifications import NOTIFICATION_KINDS, Notification, TargetStatus
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
    "ADMIN", "AREA_LEVELS", "EXPORTER", "JOB_KINDS", "JOB_SOURCES", "JOB_STATUSES", "LANGUAGES", "LOGIN_OUTCOMES",
    "MAX_VISITORS", "METRICS", "MONTH_STATUSES", "NOTIFICATION_KINDS", "OFFICER", "OUTCOMES", "REPORTING_METRICS",
    "ROLES", "SOURCES", "STATUSES", "UNITS", "VIEWER", "YEAR_BASES",
    "ApiToken", "Area", "DueException", "ExportProductRollup", "ExportRollup", "ExportSale", "Exporter",
    "ImportBatch", "ImportJob", "LoginEvent", "Market", "Notification", "Product", "ReportingMonth",
    "ReportingRollup", "ReportingRule", "ReportingUnitArea", "Revision", "Target", "TargetStatus", "User",
    "VisitorCount", "VisitorRollup", "user_areas",
    "AFFILIATION_KINDS", "EXCHANGE_FIELDS", "PARTNER_LEVELS", "Affiliation",
    "MAX_NOTE_LENGTH", "Note",
]
