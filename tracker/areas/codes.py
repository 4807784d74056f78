"""Local-government codes (全国地方公共団体コード): JIS X 0401/0402 plus a check digit."""

from flask_babel import gettext as _

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


def restored_zero(text: str) -> str | None:
    """The 6-digit code that a spreadsheet shortened by dropping its leading zero (prefectures 01 to 09: Sapporo's
    011002 read as the number 11002), when the restored code's check digit holds; None for any other text."""
    code = text.strip()
    if len(code) != 5 or not code.isascii() or not code.isdigit() or code[0] == "0":
        return None
    restored = "0" + code
    return restored if int(restored[5]) == check_digit(restored[:5]) else None


def area_code_readings(text: str) -> tuple[str, ...]:
    """The codes a cell may mean, the likelier first: normalise_area_code()'s, then, for 5 digits whose check digit
    holds once a dropped leading zero is restored, that code (11002 is 110027 without its check digit, or 011002).
    The caller takes the first that names an area. InvalidAreaCode when the text is no code at all."""
    code = normalise_area_code(text)
    restored = restored_zero(text)
    return (code, restored) if restored is not None else (code,)


def lost_zero_note(text: str) -> str:
    """The sentence an error about an unknown code adds when the code may have lost its leading zero in a
    spreadsheet (the check digit agrees); empty otherwise. Four digits are not named: without a check digit
    nothing tells 01100 that lost its zero from a code missing any other digit."""
    restored = restored_zero(text)
    if restored is None:
        return ""
    return " " + _("If this is %(code)s, a spreadsheet dropped its leading zero: format the column as text.",
                   code=restored)
