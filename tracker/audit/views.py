"""The audit page and its download: changes or log-ins under the filters in the URL."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required

from tracker import downloads, policy
from tracker.audit import queries
from tracker.audit.forms import KIND_LABELS, OUTCOME_LABELS, AuditFilterForm
from tracker.converters import page_number

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")

JAPANESE_HEADERS = {
    "time": "日時", "user": "利用者", "record": "記録", "key": "キー", "area_code": "地域コード", "old_value": "変更前",
    "new_value": "変更後", "source": "経路", "file": "ファイル", "note": "備考", "email": "入力されたメールアドレス",
    "account": "アカウント", "address": "接続元アドレス", "outcome": "結果",
}


@bp.before_request
@login_required
def require_auditor():
    if not policy.can_read_audit(current_user):
        abort(403)


def _form() -> AuditFilterForm:
    return AuditFilterForm(formdata=request.args)


@bp.get("/")
def index():
    form = _form()
    return _page(form) if form.validate() else _page(form, status=422)


def _page(form: AuditFilterForm, status: int = 200):
    """The page of the filtered rows; with filters refused, the form naming them and no rows."""
    page = None
    if not form.errors:
        number = request.args.get("page", 1, type=page_number)
        where = form.filter()
        page = queries.login_page(where, number) if form.view.data == "logins" else queries.revision_page(where, number)
    # the filters as given, for the pager and the download links
    args = {field.name: request.args[field.name] for field in form if request.args.get(field.name)}
    return render_template("audit/index.html", form=form, page=page, args=args, kinds=KIND_LABELS,
                           outcomes=OUTCOME_LABELS), status


@bp.get("/audit.csv")
def download():
    """Every row under the filters (not a page), as CSV (UTF-8 with a BOM for Excel); `lang=ja` for Japanese
    headers. Filters the page would refuse answer the page, which names them."""
    form = _form()
    if not form.validate():
        return _page(form, status=422)
    where = form.filter()
    if form.view.data == "logins":
        columns, rows, name = queries.LOGIN_COLUMNS, queries.login_rows(where), "logins"
    else:
        columns, rows, name = queries.REVISION_COLUMNS, queries.revision_rows(where), "changes"
    return downloads.file_response("csv", downloads.header(request.args, columns, JAPANESE_HEADERS), rows,
                                   f"audit_{name}", sheet_title=name)
