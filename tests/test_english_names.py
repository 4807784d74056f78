"""Optional English names for exporters and targets, shown by the page's language; English area names that tell a
prefecture from the city of the same name."""

import io

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from tests import factories
from tracker import create_app
from tracker.areas.services import import_areas
from tracker.extensions import db
from tracker.models import Area, Exporter, Product, Target
from tracker.models.names import shown_name, shown_name_sql
from tracker.notes.queries import exporter_notes

EN = {"Accept-Language": "en"}
JA = {"Accept-Language": "ja"}


def test_english_names_tell_kyoto_and_osaka_prefecture_from_city_on_import(app):
    csv = ("lg_code,name_ja,name_kana,name_en,type\n"
           "261009,京都市,きょうとし,Kyoto,city\n271004,大阪市,おおさかし,Osaka,city\n"
           "261017,京都市 北区,きょうとし きたく,\"Kita-ku, Kyoto\",designated_city_ward\n"
           "131016,千代田区,ちよだく,\"Chiyoda, Tokyo\",special_ward\n").encode()
    import_areas(io.BytesIO(csv), "areas.csv")
    english = dict(db.session.execute(select(Area.code, Area.name_en)).all())
    assert (english["260002"], english["261009"]) == ("Kyoto Prefecture", "Kyoto City")
    assert (english["270008"], english["271004"]) == ("Osaka Prefecture", "Osaka City")
    assert (english["261017"], english["131016"], english["130001"]) == ("Kita-ku, Kyoto", "Chiyoda, Tokyo", "Tokyo")


def test_an_exporters_english_name_is_saved_from_its_form_and_shown_on_english_pages(client, auth):
    admin = factories.user("admin")
    db.session.commit()
    auth.login(admin.email)
    data = {"name": "京都酒造", "name_en": "Kyoto Sake Brewery", "area_code": "131016", "contact": ""}
    factories.area("131016")
    db.session.commit()
    assert client.post("/exports/exporters/new", data=data, headers=EN).status_code == 302
    db.session.rollback()
    exporter = db.session.scalar(select(Exporter))
    assert (exporter.name, exporter.name_en) == ("京都酒造", "Kyoto Sake Brewery")
    english = client.get("/exports/exporters", headers=EN).get_data(as_text=True)
    japanese = client.get("/exports/exporters", headers=JA).get_data(as_text=True)
    assert "Kyoto Sake Brewery" in english and "京都酒造" not in english
    assert "京都酒造" in japanese and "Kyoto Sake Brewery" not in japanese


def test_without_an_english_name_english_pages_fall_back_to_the_japanese_one(client, auth):
    owner = factories.new_exporter(factories.area("131016"), name="東京酒造")
    user = factories.user("exporter", exporter=owner)
    db.session.commit()
    auth.login(user.email)
    assert "<h1>東京酒造</h1>" in client.get(f"/exports/exporters/{owner.id}", headers=EN).get_data(as_text=True)


def test_a_targets_english_name_is_saved_and_shown_on_english_pages_only(client, auth):
    admin = factories.user("admin")
    db.session.commit()
    auth.login(admin.email)
    form = {"name": "2030年に6,000万人", "name_en": "60 million by 2030", "metric": "visitors", "area": "JP",
            "year_basis": "calendar", "baseline_year": "2019", "baseline_value": "31,882,044", "target_year": "2030",
            "target_value": "6000万", "product": "None", "market": "", "destination": ""}
    assert client.post("/targets/new", data=form, headers=JA).status_code == 302
    db.session.rollback()
    target = db.session.scalar(select(Target))
    assert (target.name_in("en"), target.name_in("ja")) == ("60 million by 2030", "2030年に6,000万人")
    client.get("/targets/", headers=JA)  # shows the flash of the save
    english = client.get("/targets/", headers=EN).get_data(as_text=True)
    assert "60 million by 2030" in english and "2030年に6,000万人" not in english
    japanese = client.get(f"/dashboard/targets/{target.id}", headers=JA).get_data(as_text=True)
    assert "<h1>2030年に6,000万人</h1>" in japanese


def test_areas_exporters_products_and_targets_name_themselves_the_same_way(app):
    kyoto = factories.area("260002")
    owner = factories.new_exporter(kyoto, name="京都酒造")
    sake = factories.product(owner, "純米酒")
    target = Target(name="京都の目標", area=kyoto, metric="visitors", baseline_year=2019, baseline_value=1,
                    target_year=2030, target_value=2)
    for named, japanese in ((kyoto, kyoto.name_ja), (owner, "京都酒造"), (sake, "純米酒"), (target, "京都の目標")):
        named.name_en = ""
        assert (named.name_in("en"), named.name_in("ja")) == (japanese, japanese)
        named.name_en = "Kyoto thing"
        assert (named.name_in("en"), named.name_in("ja")) == ("Kyoto thing", japanese)


def test_shown_name_and_its_sql_twin_choose_alike(app):
    owner = factories.new_exporter(factories.area("131016"))
    factories.product(owner, "純米酒", hs_code="220600").name_en = "Junmai sake"
    factories.product(owner, "緑茶", hs_code="090210").name_en = ""
    db.session.flush()
    for language in ("ja", "en"):
        in_sql = dict(db.session.execute(select(Product.name_ja, shown_name_sql(Product.name_ja, Product.name_en,
                                                                                language))).all())
        in_python = {p.name_ja: shown_name(p.name_ja, p.name_en, language) for p in db.session.scalars(select(Product))}
        assert in_sql == in_python
    assert in_sql == {"純米酒": "Junmai sake", "緑茶": "緑茶"}


def test_a_note_on_an_exporter_is_shown_under_its_english_name_on_english_pages(app):
    owner = factories.new_exporter(factories.area("131016"), name="東京酒造")
    owner.name_en = "Tokyo Sake"
    factories.note("2024-04", "closed for repairs", exporter=owner)
    row, = exporter_notes(owner)
    assert (row.subject("en"), row.subject("ja"), row.exporter_name) == ("Tokyo Sake", "東京酒造", "東京酒造")


def test_the_migration_adds_the_english_names_and_renames_prefectures_and_cities_reversibly(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test-secret"})
    with app.app_context():
        upgrade(revision="0012")
        with db.engine.begin() as connection:
            kyoto = connection.execute(sa.text("SELECT id FROM areas WHERE code = '260002'")).scalar()
            connection.execute(sa.text("INSERT INTO areas (code, level, parent_id, name_ja, name_kana, name_en) VALUES "
                                       "('261009', 'municipality', :p, '京都市', 'きょうとし', 'Kyoto'), "
                                       "('262013', 'municipality', :p, '福知山市', 'ふくちやまし', 'Fukuchiyama')"),
                               {"p": kyoto})
            connection.execute(sa.text("UPDATE areas SET name_en = 'Aomori-ken' WHERE code = '020001'"))
            connection.execute(sa.text("INSERT INTO exporters (name, area_id, contact) SELECT '京都酒造', id, '' "
                                       "FROM areas WHERE code = '261009'"))
        upgrade(revision="0013")
        with db.engine.connect() as connection:
            after = dict(connection.execute(sa.text("SELECT code, name_en FROM areas")).all())
            exporter = connection.execute(sa.text("SELECT name, name_en FROM exporters")).one()
        downgrade(revision="0012")
        with db.engine.connect() as connection:
            before = dict(connection.execute(sa.text("SELECT code, name_en FROM areas")).all())
            columns = {column["name"] for column in sa.inspect(connection).get_columns("exporters")}
            exporters = connection.execute(sa.text("SELECT count(*) FROM exporters")).scalar()
        db.engine.dispose()
    assert (after["260002"], after["261009"], after["270008"]) == ("Kyoto Prefecture", "Kyoto City", "Osaka Prefecture")
    assert (after["262013"], after["130001"], after["010006"]) == ("Fukuchiyama", "Tokyo", "Hokkaido")
    assert after["020001"] == "Aomori-ken"  # an administrator's own name is kept
    assert tuple(exporter) == ("京都酒造", "")
    assert (before["260002"], before["261009"], before["020001"]) == ("Kyoto", "Kyoto", "Aomori-ken")
    assert "name_en" not in columns and exporters == 1
