"""National-scale visitor figures in the import format: the 1,741 basic municipalities of the shared
code list x 21 markets x 17 years x 12 months (about 7.5 million rows), as a UTF-8 CSV.

    .venv/bin/python -m benchmarks.visitors_data /tmp/visitors_national.csv [--rows N]

Figures follow a seeded random walk per municipality and market, so that a re-run writes the same file.
"""

from __future__ import annotations

import argparse
import csv
import os
import random

MARKETS = ("KR", "CN", "TW", "HK", "TH", "SG", "MY", "ID", "PH", "VN", "IN", "AU", "US", "CA", "GB", "FR", "DE",
           "IT", "ES", "RU", "ZZ")
YEARS = range(2003, 2020)
STATUSES = ("final", "final", "final", "provisional")
# The workplace's reference data, found as the tests find it: TRACKER_SHARED_DATA, beside the checkout, or the
# machine's shared folder (a worktree sits deeper than the main checkout).
_SHARED_DATA = next((path for path in (os.environ.get("TRACKER_SHARED_DATA", ""),
                                       os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data"),
                                       "/work/shared/data") if path and os.path.isdir(path)), "/work/shared/data")
SHARED_CODES = os.path.join(_SHARED_DATA, "jp_municipalities_lgcode.csv")


def municipality_codes(path: str = SHARED_CODES) -> list[str]:
    with open(path, encoding="utf-8") as source:
        return [row["lg_code"] for row in csv.DictReader(source) if row["is_basic_municipality"] == "1"]


def write(path: str, rows: int | None = None, seed: int = 2003) -> int:
    """Write the file (the first `rows` rows when given); returns the number of rows written."""
    generator = random.Random(seed)
    written = 0
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["area_code", "year", "month", "market", "visitors", "status"])
        for code in municipality_codes():
            for market in MARKETS:
                level = generator.randint(10, 5_000)
                for year in YEARS:
                    for month in range(1, 13):
                        level = max(0, int(level * generator.uniform(0.85, 1.17)))
                        writer.writerow([code, year, month, market, level, STATUSES[written % 4]])
                        written += 1
                        if rows is not None and written >= rows:
                            return written
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--rows", type=int, default=None, help="stop after this many rows")
    args = parser.parse_args()
    print(f"wrote {write(args.path, args.rows):,} rows to {args.path}")


if __name__ == "__main__":
    main()
