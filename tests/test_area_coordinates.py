"""Where each area's office stands: from the code list, kept by imports, seeded for the prefectures and the demo."""

import csv
import io
import os

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tests import factories
from tracker import create_app
from tracker.areas.services import AreaImportError, import_areas
from tracker.cli import main
from tracker.extensions import db
from tracker.models import Area


def _office(code: str) -> tuple[float | None, float | None]:
    db.session.rollback()
    return db.session.execute(select(Area.office_lat, Area.office_lng).where(Area.code == code)).one()


def test_the_code_list_places_every_municipality_and_a_list_without_coordinates_keeps_them(runner, shared_data):
    result = runner.invoke(main, ["areas", "import", os.path.join(shared_data, "jp_municipalities_lgcode.csv")])
    assert result.output.strip() == "created 1741, updated 0, unchanged 0"
    assert _office("131016") == (35.69388889, 139.7536111)  # 千代田区役所
    assert db.session.scalar(select(sa.func.count()).where(Area.level == "municipality",
                                                           Area.office_lat.is_(None))) == 0
    names_only = "lg_code,name_ja,name_kana\n131016,千代田区,ちよだく\n".encode()
    assert import_areas(io.BytesIO(names_only), "areas.csv").unchanged == 1
    db.session.commit()
    assert _office("131016") == (35.69388889, 139.7536111)
    moved = "lg_code,name_ja,name_kana,office_lat,office_lng\n131016,千代田区,ちよだく,３５．６９４,139.7537\n".encode()
    assert import_areas(io.BytesIO(moved), "areas.csv").updated == 1
    db.session.commit()
    assert _office("131016") == (35.694, 139.7537)


def test_a_swapped_or_half_given_office_imports_nothing_and_names_line_and_column(app):
    text = ("lg_code,name_ja,office_lat,office_lng\n"
            "011002,札幌市,141.3543886,43.06208877\n"
            "012025,函館市,41.77,\n"
            "131016,千代田区,north,139.75\n"
            "131130,渋谷区,35.66,139.69\n")
    with pytest.raises(AreaImportError) as raised:
        import_areas(io.BytesIO(text.encode()), "areas.csv")
    assert raised.value.errors == [
        "line 2, office_lat: 141.3543886 is not a number from -90 to 90",
        "line 3, office_lng: the other coordinate is given, this one is empty",
        "line 4, office_lat: north is not a number from -90 to 90",
    ]
    assert db.session.scalar(select(sa.func.count()).where(Area.level == "municipality")) == 0


def test_the_database_refuses_half_an_office(app):
    area = factories.area("131016")
    area.office_lat = 35.69
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_the_seeded_prefectures_stand_where_the_code_list_puts_their_offices(app, shared_data):
    with open(os.path.join(shared_data, "jp_prefectures.csv"), encoding="utf-8") as file:
        official = {row["lg_code"]: (float(row["office_lat"]), float(row["office_lng"]))
                    for row in csv.DictReader(file)}
    seeded = {code: (lat, lng) for code, lat, lng in db.session.execute(
        select(Area.code, Area.office_lat, Area.office_lng).where(Area.level == "prefecture"))}
    assert seeded == official


def test_the_demo_municipalities_stand_where_the_code_list_puts_them(runner, shared_data):
    from tracker.demo import DEMO_MUNICIPALITIES, DEMO_OFFICES

    with open(os.path.join(shared_data, "jp_municipalities_lgcode.csv"), encoding="utf-8") as file:
        official = {row["lg_code"]: (float(row["office_lat"]), float(row["office_lng"]))
                    for row in csv.DictReader(file) if row["office_lat"]}
    assert {code: DEMO_OFFICES[code] for code, *_names in DEMO_MUNICIPALITIES} == {
        code: official[code] for code, *_names in DEMO_MUNICIPALITIES}
    assert runner.invoke(main, ["demo"]).exit_code == 0
    assert _office("442020") == official["442020"]  # 別府市


def test_the_migration_places_the_prefectures_and_keeps_the_areas_on_sqlite(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test-secret"})
    with app.app_context():
        upgrade(revision="0012")
        with db.engine.connect() as connection:
            tokyo = connection.execute(sa.text("SELECT office_lat, office_lng FROM areas WHERE code = '130001'")).one()
            placed = connection.execute(sa.text("SELECT count(*) FROM areas WHERE office_lat IS NOT NULL")).scalar()
        downgrade(revision="-1")
        with db.engine.connect() as connection:
            columns = {column["name"] for column in sa.inspect(connection).get_columns("areas")}
            areas = connection.execute(sa.text("SELECT count(*) FROM areas")).scalar()
        db.engine.dispose()
    assert tuple(tokyo) == (35.689521, 139.691704)
    assert placed == 47
    assert "office_lat" not in columns and areas == 48
