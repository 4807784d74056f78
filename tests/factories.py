"""Factories that build data in the test database; each flushes, the test decides when to commit."""

from __future__ import annotations

import itertools

from sqlalchemy import select

from tracker.areas.codes import check_digit, prefecture_code_of
from tracker.extensions import db
from tracker.models import Affiliation, Area, Exporter, ExportSale, Market, Product, Target, User, VisitorCount

PASSWORD = "correct-horse-battery"
_sequence = itertools.count(1)


def area(code: str) -> Area:
    """An existing area (JP, a prefecture) or a new municipality with that code."""
    found = db.session.scalar(select(Area).where(Area.code == code))
    if found is not None:
        return found
    new = Area(code=code, level="municipality", parent=area(prefecture_code_of(code)),
               name_ja=f"テスト市{code}", name_kana="てすとし", name_en=f"Test City {code}")
    db.session.add(new)
    db.session.flush()
    return new


def municipality_code(prefecture: int = 13, number: int | None = None) -> str:
    """A valid 6-digit municipal code in the prefecture."""
    code5 = f"{prefecture:02d}{number if number is not None else 100 + next(_sequence) % 800:03d}"
    return code5 + str(check_digit(code5))


def market(code: str) -> Market:
    return db.session.scalar(select(Market).where(Market.code == code))


def user(role: str = "viewer", *, email: str | None = None, areas: list[Area] = (), exporter: Exporter | None = None,
         password: str = PASSWORD, active: bool = True, language: str | None = None) -> User:
    if role == "exporter" and exporter is None:
        exporter = new_exporter(area("131016"))
    new = User(email=email or f"{role}{next(_sequence)}@example.jp", name=f"{role} user", role=role,
               areas=list(areas), exporter=exporter, active=active, language=language)
    new.set_password(password)
    db.session.add(new)
    db.session.flush()
    return new


def new_exporter(home: Area | None = None, name: str | None = None) -> Exporter:
    new = Exporter(name=name or f"輸出者{next(_sequence)}", area=home or area("131016"), contact="")
    db.session.add(new)
    db.session.flush()
    return new


def product(owner: Exporter, name_ja: str | None = None, hs_code: str | None = "220600") -> Product:
    new = Product(exporter=owner, name_ja=name_ja or f"清酒{next(_sequence)}", name_en="Sake", hs_code=hs_code,
                  origin_area=owner.area, default_unit="l")
    db.session.add(new)
    db.session.flush()
    return new


def visitor_count(where: Area, year: int, month: int, market_code: str, visitors: int,
                  status: str = "final") -> VisitorCount:
    new = VisitorCount(area=where, year=year, month=month, market=market(market_code), visitors=visitors,
                       status=status)
    db.session.add(new)
    db.session.flush()
    return new


def export_sale(item: Product, year: int, month: int, destination: str, value_jpy: int) -> ExportSale:
    new = ExportSale(exporter=item.exporter, product=item, year=year, month=month,
                     destination=market(destination), value_jpy=value_jpy)
    db.session.add(new)
    db.session.flush()
    return new


def target(where: Area, **fields) -> Target:
    values = {"name": "Target", "metric": "visitors", "baseline_year": 2011, "baseline_value": 6_218_752,
              "target_year": 2016, "target_value": 18_000_000, "year_basis": "calendar", **fields}
    new = Target(area=where, **values)
    db.session.add(new)
    db.session.flush()
    return new


def affiliation(where: Area, partner_name_en: str = "Saint Paul", *, country: str = "US", established_year: int = 1955,
                ended_year: int | None = None, kind: str = "sister", **fields) -> Affiliation:
    new = Affiliation(area=where, partner_name=fields.pop("partner_name", partner_name_en),
                      partner_name_en=partner_name_en, country=country,
                      partner_level=fields.pop("partner_level", "city"), kind=kind,
                      established_year=established_year, ended_year=ended_year, **fields)
    db.session.add(new)
    db.session.flush()
    return new


def note(month: str, text: str, *, area: Area | None = None, exporter: Exporter | None = None,
         author: User | None = None):
    """A note on an area's or an exporter's month, written as its author would (with its revision)."""
    from tracker.notes.services import add_note
    from tracker.periods import Month

    return add_note(author, Month.parse(month), text, area=area, exporter=exporter)
