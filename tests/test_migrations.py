"""Upgrades keep the data they do not mean to change, on SQLite too, where a table is altered by copying it."""

import sqlalchemy as sa
from flask_migrate import upgrade

from tracker import create_app
from tracker.extensions import db


def test_upgrading_an_sqlite_database_keeps_every_officers_areas(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test-secret"})
    with app.app_context():
        upgrade(revision="0005")
        with db.engine.begin() as connection:
            connection.execute(sa.text("INSERT INTO users (email, name, password_hash, role, active, created_at) "
                                       "VALUES ('officer@example.jp', 'o', 'x', 'officer', 1, '2024-01-01')"))
            connection.execute(sa.text("INSERT INTO user_areas (user_id, area_id) "
                                       "SELECT users.id, areas.id FROM users, areas WHERE areas.code = '130001'"))
        upgrade()  # 0006 and 0007 add columns to users: SQLite copies the table
        with db.engine.connect() as connection:
            areas = connection.execute(sa.text("SELECT areas.code FROM user_areas JOIN areas ON areas.id = "
                                               "user_areas.area_id")).scalars().all()
            foreign_keys = connection.execute(sa.text("PRAGMA foreign_keys")).scalar()
        db.engine.dispose()
    assert areas == ["130001"]
    assert foreign_keys == 1  # enforced again for the app
