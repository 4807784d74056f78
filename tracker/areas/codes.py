"""Local-government codes (全国地方公共団体コード): JIS X 0401/0402 plus a check digit."""

from tracker.reference import NATION_CODE

_WEIGHTS = (6, 5, 4, 3, 2)


class InvalidAreaCode(ValueError):
    pass


def check_digit(code5: str) -> int:
    """The sixth digit: S = 6*d1+5*d2+4*d3+3*d4+2*d5, check = (11 - S mod 11) mod 10."""
    total = sum(weight * int(digit) for weight, digit in zip(_WEIGHTS, code5, strict=True))
    return (11 - total % 11) % 10


def normalise_area_code(text: str) -> str:
    """"JP", or the 6-digit code; a 5-digit code gets its check digit; a wrong check digit is refused."""
    code = text.strip().upper()
    if code == NATION_CODE:
        return code
    if not code.isascii() or not code.isdigit() or len(code) not in (5, 6):
        raise InvalidAreaCode(f"not a local-government code: {text!r}")
    if len(code) == 5:
        return code + str(check_digit(code))
    if int(code[5]) != check_digit(code[:5]):
        raise InvalidAreaCode(f"wrong check digit in {code}: expected {check_digit(code[:5])}")
    return code


def prefecture_code_of(code: str) -> str:
    """The 6-digit code of the prefecture a municipality's code belongs to (e.g. 131016 -> 130001)."""
    code5 = code[:2] + "000"
    return code5 + str(check_digit(code5))
