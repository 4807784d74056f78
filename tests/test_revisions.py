from tests import factories
from tracker.revisions import Change, history, record_changes


def test_changes_are_recorded_and_read_back_by_key_prefix(app):
    user = factories.user("admin")
    written = record_changes("visitor_counts", [Change("130001/2015-04/CN", None, "100"),
                                                Change("130001/2015-04/KR", "5", "7", note="confirmed outlier"),
                                                Change("130001/2015-05/CN", None, "1")],
                             source="form", user_id=user.id)
    assert written == 3
    april = history("visitor_counts", "130001/2015-04/")
    assert {(r.record_key, r.old_value, r.new_value, r.note, r.source, r.user_id) for r in april} == {
        ("130001/2015-04/CN", None, "100", "", "form", user.id),
        ("130001/2015-04/KR", "5", "7", "confirmed outlier", "form", user.id),
    }
    assert history("visitor_counts", "130001/2015_04/") == []
