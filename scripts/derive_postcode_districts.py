"""Derive the catalogue's offline table of postcode districts from the reference data set.

Reads ../shared/reference/postcode-districts/postcode-districts.csv (ONS, OS and Royal Mail open data,
OGL) and writes careers_catalog/data/geo/postcode_districts.csv: each district in use (at least one
active postcode) with its centroid and the place names that point to it. Run once when the reference
changes: ``python scripts/derive_postcode_districts.py SOURCE.csv``.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

TARGET = (
    Path(__file__).resolve().parent.parent / "careers_catalog" / "data" / "geo" / "postcode_districts.csv"
)
HEADER = (
    "# Postcode districts (outward codes) with centroid coordinates and place names.\n"
    "# Contains OS data (c) Crown copyright and database right; contains Royal Mail data (c) Royal Mail\n"
    "# copyright and database right; source: Office for National Statistics, licensed under the Open\n"
    "# Government Licence v3.0. Derived by scripts/derive_postcode_districts.py.\n"
)


def main(source: str) -> None:
    rows = []
    with open(source, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if not r["Active postcodes"] or int(r["Active postcodes"]) == 0 or not r["Latitude"]:
                continue
            places = [p.strip() for p in r["Town/Area"].split(",")]
            places += [r["Region"].strip(), r["Post Town"].strip()]
            places = [p for p in dict.fromkeys(places) if p and p.lower() != "non-geographic"]
            rows.append(
                [
                    r["Postcode"],
                    f"{float(r['Latitude']):.5f}",
                    f"{float(r['Longitude']):.5f}",
                    ";".join(places),
                    r["UK region"],
                ]
            )
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    with TARGET.open("w", newline="", encoding="utf-8") as f:
        f.write(HEADER)
        writer = csv.writer(f)
        writer.writerow(["outward_code", "latitude", "longitude", "places", "uk_region"])
        writer.writerows(sorted(rows))
    print(f"{len(rows)} districts -> {TARGET}")


if __name__ == "__main__":
    main(
        sys.argv[1] if len(sys.argv) > 1 else "../shared/reference/postcode-districts/postcode-districts.csv"
    )
