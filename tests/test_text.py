"""Amounts as people write them: yen signs, 円, commas, full-width digits, 万 and 億."""

import pytest

from tracker.text import parse_amount


@pytest.mark.parametrize(("text", "amount"), [
    ("1200000", 1_200_000), ("¥1,200,000", 1_200_000), ("￥１，２００，０００", 1_200_000), ("1,200,000円", 1_200_000),
    ("120万", 1_200_000), ("１２０万円", 1_200_000), ("1.2億", 120_000_000), ("1億2,000万", 120_000_000),
    ("60,000,000", 60_000_000), ("6000万", 60_000_000), ("2億5", 200_000_005), ("0", 0), ("12.5万", 125_000),
])
def test_an_amount_is_read_as_people_write_it(text, amount):
    assert parse_amount(text) == amount


@pytest.mark.parametrize("text", ["", "  ", None, "¥", "円"])
def test_an_empty_amount_is_none(text):
    assert parse_amount(text) is None


@pytest.mark.parametrize("text", ["abc", "-5", "1.5", "万", "1万2.5", "1.23456万", "12万億", "1,2,3x", "¥-3"])
def test_an_unreadable_or_fractional_amount_is_refused(text):
    with pytest.raises(ValueError):
        parse_amount(text)
