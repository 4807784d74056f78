"""The parts of the reports on plain data: an area's month compared with last year, and sections built in order."""

from datetime import UTC, datetime

from flask_babel import force_locale

from tracker.charts import Table
from tracker.notes.queries import NoteRow
from tracker.periods import Month, month_range, year_to_date
from tracker.reports import pdf
from tracker.reports.area import OTHERS, Line, compare
from tracker.reports.notes import notes_section, period_label
from tracker.reports.sections import Section, build, count, printed, share, text

MARCH = Month(2024, 3)
TO_MARCH = year_to_date(MARCH, "calendar")  # January to March 2024


def _rows(*values):
    return [(Month(year, month), key, value) for year, month, key, value in values]


def test_each_key_is_its_month_and_year_to_date_against_the_same_of_last_year():
    rows = _rows((2024, 3, "CN", 1300), (2023, 3, "CN", 800), (2024, 1, "CN", 100), (2024, 2, "CN", 200),
                 (2023, 1, "CN", 90), (2023, 2, "CN", 110), (2024, 3, "KR", 500), (2023, 3, "KR", 600),
                 (2024, 4, "CN", 9999), (2022, 3, "CN", 9999))  # after the month, and before last year: not read
    lines, total, both = compare(rows, TO_MARCH)
    china, korea = lines
    assert china == Line("CN", 1300, 800, 1600, 1000, 1600 / 1000 - 1)
    assert round(china.month_change, 4) == 0.625
    assert korea == Line("KR", 500, 600, 500, 600, 500 / 600 - 1)
    assert total == Line("total", 1800, 1400, 2100, 1600, 2100 / 1600 - 1)
    assert both == [Month(2024, 1), Month(2024, 2), Month(2024, 3)]


def test_a_month_not_reported_is_none_and_the_year_to_date_compares_the_months_of_both_years():
    rows = _rows((2024, 1, "CN", 100), (2024, 3, "CN", 300), (2023, 1, "CN", 50), (2023, 2, "CN", 70),
                 (2024, 3, "US", 40))
    lines, total, both = compare(rows, TO_MARCH)
    china = next(line for line in lines if line.key == "CN")
    assert china.last_year is None and china.month_change is None
    assert (china.to_date, china.to_date_last_year) == (400, 120)
    assert china.to_date_change == 1.0  # January alone is reported in both years: 100 against 50
    assert both == [Month(2024, 1)]
    assert next(line for line in lines if line.key == "US") == Line("US", 40, None, 40, None, None)


def test_merged_keys_make_one_last_line_of_others():
    rows = _rows((2024, 3, "US", 3000), (2024, 3, "CN", 500), (2024, 3, "KR", 200), (2023, 3, "US", 2000))
    lines, total, _both = compare(rows, TO_MARCH, merged={"CN", "KR"})
    assert [line.key for line in lines] == ["US", OTHERS]
    assert lines[1].month == 700 and total.month == 3700


def test_no_rows_no_lines_and_no_total():
    assert compare([], TO_MARCH) == ([], None, [])


def test_a_fiscal_year_to_date_runs_from_april_across_the_new_year():
    rows = _rows((2025, 2, "CN", 1000), (2024, 2, "CN", 800), (2025, 1, "CN", 500), (2024, 12, "CN", 100),
                 (2024, 4, "CN", 300), (2024, 1, "CN", 400), (2023, 4, "CN", 200),
                 (2024, 3, "CN", 9999), (2023, 3, "CN", 9999))  # March: the fiscal years before, not read
    to_date = year_to_date(Month(2025, 2), "fiscal")
    assert to_date == month_range(Month(2024, 4), Month(2025, 2))
    lines, total, both = compare(rows, to_date)
    # April 2024 to February 2025 against April 2023 to February 2024; the change over the months reported in
    # both years (not December, reported in 2024 alone)
    assert lines == [Line("CN", 1000, 800, 1900, 1400, 1800 / 1400 - 1)]
    assert total == Line("total", 1000, 800, 1900, 1400, 1800 / 1400 - 1)
    assert both == [Month(2024, 4), Month(2025, 1), Month(2025, 2)]


def test_a_fiscal_year_to_date_in_april_is_the_month_alone():
    rows = _rows((2025, 4, "CN", 700), (2024, 4, "CN", 500), (2025, 3, "CN", 9999), (2025, 1, "CN", 9999),
                 (2024, 3, "CN", 9999))
    lines, total, both = compare(rows, year_to_date(Month(2025, 4), "fiscal"))
    assert lines == [Line("CN", 700, 500, 700, 500, 700 / 500 - 1)]
    assert both == [Month(2025, 4)]


def test_sections_keep_the_builders_order_and_leave_out_those_that_do_not_apply():
    builders = [lambda n: Section("first", f"{n} first"), lambda n: None,
                lambda n: Section("third", "third", lines=(str(n),))]
    sections = build(builders, 7)
    assert [s.key for s in sections] == ["first", "third"]
    assert not sections[0].has_content and sections[1].has_content


def test_a_charts_rows_are_written_for_paper_column_by_column(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        table = printed(Table(("Market", "Visitors", "Share"), (("China", 19_737_408, 0.8), ("Korea", 5, 0.2))),
                        (text, count, share), total=("Total", 19_737_413, 1.0))
    assert table.rows == (("China", "19,737,408", "80.0%"), ("Korea", "5", "20.0%"))
    assert table.numeric == (False, True, True)
    assert table.total == ("Total", "19,737,413", "100.0%")


def test_a_pdf_asked_again_for_the_same_html_is_printed_once(monkeypatch, tmp_path):
    printed_pages = []
    monkeypatch.setattr(pdf, "_print", lambda browser, page: printed_pages.append(page.html) or b"%PDF-1.7")
    monkeypatch.setattr(pdf._Renderer, "_launch", lambda self, playwright: (None, _Browser()))
    chromium = tmp_path / "chromium"
    chromium.write_text("")
    chromium.chmod(0o755)
    monkeypatch.setattr(pdf, "_kept", type(pdf._kept)())
    page = pdf.PrintPage("<html>one</html>", "<div></div>", "/static", str(tmp_path), {})
    assert pdf.render_pdf(page, str(chromium)) == b"%PDF-1.7"
    assert pdf.render_pdf(page, str(chromium)) == b"%PDF-1.7"
    other = pdf.PrintPage("<html>two</html>", page.footer, "/static", str(tmp_path), {})
    pdf.render_pdf(other, str(chromium))
    assert printed_pages == ["<html>one</html>", "<html>two</html>"]


def _note(note_id, month, text, author="", exporter_name=None):
    written = datetime(2024, 4, 2, 3, 4, tzinfo=UTC)
    return NoteRow(note_id, month, text, author, written, written, "130001", "東京都", "Tokyo",
                   exporter_id=7 if exporter_name else None, exporter_name=exporter_name)


def test_the_notes_of_a_period_are_printed_with_what_they_are_on_and_who_wrote_them(app):
    rows = [_note(1, Month(2024, 2), "Port strike", author="Sato"),
            _note(2, MARCH, "Sake fair in Los Angeles", exporter_name="Kiku Shuzo")]
    with app.test_request_context(headers={"Accept-Language": "en"}):
        section = notes_section(rows, Month(2024, 1), MARCH, "en", "the year to date")
    assert (section.key, section.title, section.note) == ("notes", "Notes, January 2024–March 2024",
                                                          "the year to date")
    assert section.table.columns == ("Month", "Area or exporter", "Note", "Written by")
    assert section.table.rows == (("February 2024", "Tokyo", "Port strike", "Sato · 2024-04-02 12:04 JST"),
                                  ("March 2024", "Kiku Shuzo", "Sake fair in Los Angeles",
                                   "command line · 2024-04-02 12:04 JST"))
    with app.test_request_context(), force_locale("ja"):
        section = notes_section(rows[:1], MARCH, MARCH, "ja")
        assert section.title == "メモ、2024年3月"
        assert section.table.rows[0][:2] == ("2024年2月", "東京都")
        empty = notes_section([], MARCH, MARCH, "ja")
    assert not empty.has_content and empty.empty == "この期間のメモはありません。"


def test_a_period_of_one_month_is_named_once(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert period_label(MARCH, MARCH) == "March 2024"
        assert period_label(Month(2023, 4), MARCH) == "April 2023–March 2024"


class _Browser:
    def is_connected(self) -> bool:
        return True

    def close(self) -> None:
        pass


def test_the_headless_page_gets_only_the_report_and_its_own_files(tmp_path):
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "report.css").write_text("body {}")
    page = pdf.PrintPage("<html></html>", "", "/static", str(tmp_path),
                         {"/dashboard/assets/plotly-4.1.1.min.js": "/plotly.min.js"})
    assert page.local_file("/static/css/report.css") == str(tmp_path / "css" / "report.css")
    assert page.local_file("/dashboard/assets/plotly-4.1.1.min.js") == "/plotly.min.js"
    assert page.local_file("/static/../../etc/passwd") is None
    assert page.local_file("/static/css/missing.css") is None
    assert page.local_file("/reports/areas/130001/2024-04") is None
