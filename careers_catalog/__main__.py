"""Command line: ``python -m careers_catalog load | audit | search QUERY | show ID | export-nlu DIR |
import-opportunities FILE.csv``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from careers_catalog.careers import audit
from careers_catalog.careers.catalog import Catalog
from careers_catalog.careers.loader import CatalogDataError, load_catalog, read_data
from careers_catalog.careers.models import CatalogMeta
from careers_catalog.careers.nlu_export import write_nlu
from careers_catalog.db import make_engine, session_factory
from careers_catalog.opportunities.importer import import_opportunities_csv
from careers_catalog.paths import DATA_DIR


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m careers_catalog", description=__doc__)
    parser.add_argument("--database-url", help="default: DATABASE_URL or var/catalog.db")
    commands = parser.add_subparsers(dest="command", required=True)
    load = commands.add_parser("load", help="build or update the database from the data files")
    load.add_argument("--force", action="store_true", help="reload even if the files are unchanged")
    audit_command = commands.add_parser(
        "audit",
        help="how current the facts are, pay that moved, NCS titles unmatched, what the last load changed",
    )
    audit_command.add_argument("--data-dir", type=Path, default=DATA_DIR, help=argparse.SUPPRESS)
    search = commands.add_parser("search", help="find careers by name, alias or misspelling")
    search.add_argument("query", nargs="+")
    show = commands.add_parser("show", help="print one career's profile")
    show.add_argument("career_id")
    export = commands.add_parser("export-nlu", help="write NLU lookup tables and synonyms")
    export.add_argument("directory", type=Path)
    opportunities = commands.add_parser(
        "import-opportunities", help="load an adviser's employer opportunities CSV (see data/README.md)"
    )
    opportunities.add_argument("csv_file", type=Path)
    args = parser.parse_args(argv)

    engine = make_engine(args.database_url)
    if args.command == "load":
        try:
            result = load_catalog(engine, force=args.force)
        except CatalogDataError as exc:
            print(exc, file=sys.stderr)
            return 1
        state = "loaded" if result.changed else "unchanged"
        print(f"catalogue {state}: {result.careers} careers, {result.subjects} subjects")
        return 0
    if args.command == "audit":
        try:
            data = read_data(args.data_dir)
        except CatalogDataError as exc:
            print(exc, file=sys.stderr)
            return 1
        with session_factory(engine)() as session:
            snaps = [session.get(CatalogMeta, k) for k in (audit.PREVIOUS_SNAPSHOT_KEY, audit.SNAPSHOT_KEY)]
        before, after = (json.loads(m.value) if m else None for m in snaps)
        print(audit.report(data, before, after))
        return 0
    if args.command == "import-opportunities":
        try:
            imported = import_opportunities_csv(engine, args.csv_file)
        except (CatalogDataError, OSError) as exc:
            print(exc, file=sys.stderr)
            return 1
        print(f"imported {imported.opportunities} opportunities from {args.csv_file.name}")
        return 0
    catalog = Catalog(engine)
    if args.command == "search":
        for match in catalog.search(" ".join(args.query)):
            print(f"{match.score:5.1f}  {match.career_id:32}  (matched {match.matched!r})")
    elif args.command == "show":
        profile = catalog.profile(args.career_id)
        if profile is None:
            print(f"no career with id {args.career_id!r}", file=sys.stderr)
            return 1
        for key, value in vars(profile).items():
            print(f"{key}: {value}")
    elif args.command == "export-nlu":
        print(write_nlu(catalog, args.directory))
    return 0


if __name__ == "__main__":
    sys.exit(main())
