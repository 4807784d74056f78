"""The tracker: foreign visitors and specialty-product exports for Japanese local governments."""

import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from tracker import config as settings


def create_app(config: dict | None = None) -> Flask:
    """Application factory; `config` overrides the settings read from the environment."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=os.path.join(root, "templates"),
        static_folder=os.path.join(root, "static"),
    )
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(settings.from_environment(app.instance_path))
    if config:
        app.config.from_mapping(config)
    _refuse_default_secret(app)
    if app.config["TRACKER_PROXY_COUNT"]:
        count = app.config["TRACKER_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)

    register_extensions(app)
    register_converters(app)
    register_blueprints(app)
    register_errors(app)
    register_templating(app)
    register_security(app)
    register_static_files(app)
    return app


def _refuse_default_secret(app: Flask) -> None:
    if app.config["SECRET_KEY"] != settings.DEFAULT_SECRET_KEY:
        return
    if app.debug or app.testing or app.config["TRACKER_DEMO"]:
        return
    raise RuntimeError("SECRET_KEY is not set: set it in the environment (or TRACKER_DEMO=1 for a demo).")


def register_extensions(app: Flask) -> None:
    from tracker import models  # noqa: F401  (every table known to Alembic)
    from tracker.database import register_write_requests
    from tracker.extensions import babel, csrf, db, limiter, login_manager, mail, migrate
    from tracker.i18n import select_locale

    db.init_app(app)
    register_write_requests(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"),
                     render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    mail.init_app(app)
    babel.init_app(app, locale_selector=select_locale)

    from tracker.auth.loader import register_user_loaders

    register_user_loaders(login_manager)


def register_converters(app: Flask) -> None:
    from tracker.converters import register_converters as register

    register(app)


def register_blueprints(app: Flask) -> None:
    from tracker.admin.views import bp as admin_bp
    from tracker.affiliations.views import bp as affiliations_bp
    from tracker.api.views import bp as api_bp
    from tracker.api.views import pages as api_docs_bp
    from tracker.audit.views import bp as audit_bp
    from tracker.auth.views import bp as auth_bp
    from tracker.dashboard.views import bp as dashboard_bp
    from tracker.exports.views import bp as exports_bp
    from tracker.health import bp as health_bp
    from tracker.home.views import bp as home_bp
    from tracker.jobs.views import bp as jobs_bp
    from tracker.notes.views import bp as notes_bp
    from tracker.notifications.views import bp as notifications_bp
    from tracker.reporting.views import bp as reporting_bp
    from tracker.reports.views import bp as reports_bp
    from tracker.targets.views import bp as targets_bp
    from tracker.visitors.views import bp as visitors_bp

    for blueprint in (health_bp, auth_bp, home_bp, admin_bp, api_bp, dashboard_bp, targets_bp, exports_bp,
                      visitors_bp, jobs_bp, reporting_bp, audit_bp, notifications_bp, api_docs_bp,
                      reports_bp, affiliations_bp, notes_bp):
        app.register_blueprint(blueprint)


def register_errors(app: Flask) -> None:
    from tracker.errors import register_error_handlers

    register_error_handlers(app)


def register_security(app: Flask) -> None:
    from tracker.security import register_security_headers

    register_security_headers(app)


def register_static_files(app: Flask) -> None:
    from tracker.assets import register_assets

    register_assets(app)


def register_templating(app: Flask) -> None:
    from tracker.templating import register_template_helpers

    register_template_helpers(app)
