"""National-scale export sales in the import format: 2,000 exporters spread over the basic municipalities of
the shared code list x 2 products x 10 destinations x 48 months (2021-2024): 1,920,000 rows, as a UTF-8 CSV.

    .venv/bin/python -m benchmarks.exports_data /tmp/exports_national.csv [--rows N]

Values follow a seeded random walk per product and destination, so that a re-run writes the same file; a
quarter of the rows carry a quantity and unit, the rest leave them empty, as small exporters often do.
"""

from __future__ import annotations

import argparse
import csv
import random

from benchmarks.visitors_data import municipality_codes

EXPORTERS = 2_000
PRODUCTS = (("清酒", "220600", "l"), ("緑茶", "090210", "kg"), ("和牛", "020130", "kg"), ("漆器", "441400", "pcs"),
            ("磁器", "691200", "pcs"), ("りんご", "080810", "t"), ("ほたて", "030722", "kg"))
DESTINATIONS = ("HK", "TW", "CN", "US", "SG", "TH", "KR", "VN", "AU", "GB")
YEARS = range(2021, 2025)
HEADER = ["exporter", "area_code", "year", "month", "product", "hs_code", "destination", "quantity", "unit",
          "value_jpy"]


def write(path: str, rows: int | None = None, seed: int = 2021) -> int:
    """Write the file (the first `rows` rows when given); returns the number of rows written."""
    generator = random.Random(seed)
    codes = municipality_codes()
    written = 0
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for number in range(EXPORTERS):
            name, code = f"輸出事業者{number:04d}", codes[number % len(codes)]
            for offset in range(2):
                product, hs_code, unit = PRODUCTS[(number + offset) % len(PRODUCTS)]
                for destination in DESTINATIONS:
                    level = generator.randint(50_000, 5_000_000)
                    for year in YEARS:
                        for month in range(1, 13):
                            level = max(0, int(level * generator.uniform(0.85, 1.18)))
                            measured = written % 4 == 0
                            writer.writerow([name, code, year, month, product, hs_code, destination,
                                             level // 1000 if measured else "", unit if measured else "", level])
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
