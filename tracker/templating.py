"""What templates can call: the policy, names in the active language, and number formats."""

from flask import Flask
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from tracker import formatting, policy, revision_text
from tracker.assets import asset_url, plotly_url

# (endpoint, label, who sees it); each feature adds its entry here.
NAV_ITEMS = [
    ("home.index", _l("Home"), lambda user: True),
    ("dashboard.index", _l("Dashboard"), policy.can_read_public),
    ("visitors.overview", _l("Visitors"), policy.can_read_public),
    ("targets.index", _l("Targets"), policy.can_manage),
    ("exports.index", _l("Exports"), policy.can_read_exports),
    ("exports.exporters", _l("Exporters"), policy.can_list_exporters),
    ("jobs.index", _l("Imports"), policy.can_import),
    ("reporting.completeness", _l("Reporting"), policy.can_see_completeness),
    ("reporting.queue", _l("Approvals"), policy.can_approve_months),
    ("admin.users", _l("Users"), policy.can_manage),
    ("audit.index", _l("Audit"), policy.can_read_audit),
    ("notifications.outbox", _l("Outbox"), policy.can_read_outbox),
    ("affiliations.network", _l("Affiliations"), policy.can_read_affiliations),
    ("notes.index", _l("Notes"), policy.can_list_notes),
]


def register_template_helpers(app: Flask) -> None:
    @app.context_processor
    def inject():
        return {
            "policy": policy,
            "language": current_language,
            "asset_url": asset_url,
            "plotly_url": plotly_url,
            "nav_items": nav_items,
            "role_label": formatting.role_label,
            "status_label": formatting.status_label,
            "year_label": formatting.year_label,
            "month_label": formatting.month_label,
            "month_abbreviation": formatting.month_abbreviation,
            "card_figure": formatting.card_figure,
            "market_name": formatting.market_name,
            "revision_value": revision_text.value_text,
            "revision_note": revision_text.note_text,
            "revision_source": revision_text.source_text,
            "month_text": formatting.month_text,
        }

    app.jinja_env.filters["area_name"] = lambda area: area.name_in(current_language()) if area else ""
    app.jinja_env.filters["number"] = formatting.number
    app.jinja_env.filters["yen"] = formatting.yen
    app.jinja_env.filters["moment"] = formatting.moment
    app.jinja_env.filters["table_figure"] = formatting.table_figure


def nav_items() -> list[tuple[str, str]]:
    return [(endpoint, str(label)) for endpoint, label, allowed in NAV_ITEMS if allowed(current_user)]


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale else "ja"
