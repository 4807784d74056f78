"""What comes back from a picker (an option, a code, a name in either language) read as a code."""

import pytest

from tests import factories
from tracker.extensions import db
from tracker.pickers import area_code, market_code


@pytest.mark.parametrize(("text", "code"), [
    ("香港 (HK)", "HK"), ("Hong Kong (HK)", "HK"), ("hk", "HK"), ("ｈｋ", "HK"), ("香港", "HK"), ("hong kong", "HK"),
    ("中華人民共和国香港特別行政区", "HK"), ("台湾", "TW"), ("United States", "US"), ("", ""), ("Atlantis", "Atlantis"),
])
def test_a_market_is_read_from_an_option_a_code_or_a_name(text, code):
    assert market_code(text) == code


def test_an_area_is_read_from_an_option_a_code_or_a_name_that_names_one_area_only(app):
    for code, name_ja in (("132063", "府中市"), ("342076", "府中市"), ("261009", "京都市")):
        area = factories.area(code)
        area.name_ja, area.name_en = name_ja, "Kyoto City" if code == "261009" else "Fuchu"
    db.session.flush()
    assert area_code("京都府 京都市 (261009)") == "261009"
    assert area_code("京都市") == area_code("kyoto city") == "261009"
    assert area_code("26100") == "26100"  # a code as typed: the service restores its check digit
    assert area_code("Japan") == area_code("jp") == "JP"
    assert area_code("府中市") == "府中市"  # two areas: the service refuses it, and the list tells them apart
