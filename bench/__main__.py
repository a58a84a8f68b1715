"""Run every benchmark: ``python -m bench`` (``make bench``). ``--quick`` runs a short version."""

from __future__ import annotations

import argparse

from bench import dashboard, load, matching, nlu, opportunities, safeguarding, search, serve, widget


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer rounds, no training run")
    args = parser.parse_args()
    search.main(rounds=500 if args.quick else 3000)
    matching.main()
    opportunities.main(rounds=300 if args.quick else 2000)
    nlu.main()
    safeguarding.main()
    serve.main(rounds=3 if args.quick else 20, train=not args.quick)
    load.main(conversations=40 if args.quick else 200)
    widget.main(rounds=3 if args.quick else 10)
    dashboard.main(events=100_000 if args.quick else 1_000_000, rounds=5 if args.quick else 20)


if __name__ == "__main__":
    main()
