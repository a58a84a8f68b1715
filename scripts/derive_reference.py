"""Derive the catalogue's reference tables from the public data sets in ../shared/reference.

The catalogue's loader checks careers against these tables (a SOC 2020 code that exists, a T Level open to
new students, an apprenticeship standard at its real level, the National Living Wage) and takes each
career's pay and hours from the ONS pay tables. Only facts are carried over, into files of this project's
own shape, each with its source and licence in a header. Run again when a source is renewed (a new ASHE
edition each autumn, new minimum wage rates each April):

    python scripts/derive_reference.py ../shared/reference
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "careers_catalog" / "data" / "reference"
OGL = "Contains public sector information licensed under the Open Government Licence v3.0."
# "In development" standards whose Skills England page is a revision of a version still approved for
# delivery (the reference data's README lists them): open to new starts like the approved ones.
REVISED_STANDARDS = frozenset(
    """ST0001 ST0002 ST0003 ST0004 ST0006 ST0073 ST0105 ST0127 ST0135 ST0150 ST0166 ST0168 ST0177 ST0180
    ST0182 ST0185 ST0187 ST0193 ST0214 ST0236 ST0240 ST0242 ST0245 ST0282 ST0299 ST0301 ST0307 ST0339
    ST0341 ST0345 ST0349 ST0362 ST0363 ST0422 ST0428 ST0430 ST0431 ST0485 ST0492 ST0505 ST0516 ST0518
    ST0535 ST0537 ST0583 ST0597 ST0632 ST0664 ST0757 ST0764 ST0767 ST0783 ST0795 ST0825 ST0868 ST0869
    ST0915 ST0916 ST0917 ST0918 ST0922 ST0934 ST0944 ST0958 ST0964 ST0967 ST0973 ST1031 ST1297 ST1302
    ST1378 ST1386 ST1393 ST1414 ST1458 ST1476""".split()
)


def _write(name: str, header: list[str], columns: list[str], rows: list[list[object]]) -> None:
    with open(TARGET / name, "w", newline="", encoding="utf-8") as f:
        f.writelines(f"# {line}\n" for line in header)
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
    print(f"{name}: {len(rows)} rows")


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def _open(standard: dict[str, str]) -> str:
    approved = standard["status"] == "Approved for delivery" or standard["reference"] in REVISED_STANDARDS
    return "yes" if approved else "no"


def main(source: Path) -> None:
    TARGET.mkdir(parents=True, exist_ok=True)
    pay_columns = ["soc2020", "title", "median", "p25", "p75", "weekly_hours"]
    for year, note in (
        ("2025", "provisional, released 23 October 2025, re-issued 19 December 2025"),
        ("2024", "provisional"),
    ):
        rows = _read(source / f"ashe-{year}-soc2020-annual-pay.csv")
        _write(
            f"ashe_{year}.csv",
            [
                f"ONS Annual Survey of Hours and Earnings (ASHE) {year}, {note}:",
                "Table 14, full-time employee jobs, UK, by SOC 2020 unit group: gross annual pay (median,",
                "25th and 75th percentiles) and median weekly paid hours. Empty: none published.",
                "Source: Office for National Statistics licensed under the Open Government Licence v3.0.",
            ],
            pay_columns,
            [
                [
                    r["soc2020_code"],
                    r["title"],
                    r["median_annual_gbp"],
                    r["p25"],
                    r["p75"],
                    r["median_weekly_paid_hours"],
                ]
                for r in rows
            ],
        )
    standards = _read(source / "apprenticeship-standards.csv")
    _write(
        "apprenticeship_standards.csv",
        [
            "Apprenticeship standards in England as listed by Skills England on 2 July 2026: reference,",
            "name, level and status (a status changes month by month: check the standard's page first);",
            "open: approved for delivery, or in development as a revision of a version still approved.",
            OGL + " Source: Skills England (Department for Education), apprenticeship standards list.",
        ],
        ["reference", "name", "level", "status", "open"],
        [[r["reference"], r["name"], r["level"], r["status"], _open(r)] for r in standards],
    )
    t_levels = _read(source / "t-levels-2025-26.csv")
    _write(
        "t_levels.csv",
        [
            "T Levels for September 2025 starts in England, by the names in force. Sources: DfE",
            "'March 2025 - T Level update' (21 March 2025), DfE announcement of 12 December 2024, FE Week.",
        ],
        ["name", "status", "changes_next"],  # retired names are left out: only those in force now
        [[r["t_level"], r["status_for_september_2025_starts"], r["what_changes_next"]] for r in t_levels],
    )
    wages = _read(source / "uk-minimum-wage-rates-2025-2026.csv")
    _write(
        "minimum_wage.csv",
        [
            "National Living Wage and National Minimum Wage, pounds an hour, from 1 April of each year.",
            "Source: GOV.UK, National Minimum Wage and National Living Wage rates. " + OGL,
        ],
        ["rate", "who", "from_2025_04_01", "from_2026_04_01"],
        [
            [
                r["rate"],
                r["who_it_covers"],
                r["gbp_per_hour_from_2025_04_01"],
                r["gbp_per_hour_from_2026_04_01"],
            ]
            for r in wages
        ],
    )
    ncs = _read(source / "ncs-job-profiles-2019" / "job-profiles-2019-05.csv")
    _write(
        "ncs_titles_2019.csv",
        [
            "Job profile titles of the National Careers Service (England), as exported in May 2019, with",
            "their categories: the breadth the catalogue is measured against. " + OGL,
        ],
        ["title", "category"],
        [[r["Title"].strip(), r["JobProfileCategories"].split(",")[0].strip()] for r in ncs],
    )


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/reference"))
