"""The ``modmap`` command: small utilities around the workflow (the workflow itself runs with
``snakemake``; see README.md).

``modmap toy [--outdir DIR ...]`` writes the deterministic toy SJIA cohort (the same as
``python -m modmap.toy``); ``modmap --version`` prints the installed version.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from importlib.metadata import version

from modmap import toy

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``modmap`` command line; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="modmap",
        description="Blood transcriptome module maps. The pipeline runs with snakemake "
        "(see README.md); this command holds its utilities.",
    )
    parser.add_argument("--version", action="version", version=f"modmap {version('modmap')}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser(
        "toy",
        help="write the deterministic toy SJIA cohort (as python -m modmap.toy)",
        add_help=False,
    )
    args, rest = parser.parse_known_args(argv)
    if args.command == "toy":
        toy.main(rest, prog="modmap toy")
        return 0
    if rest:
        parser.error(f"unrecognised arguments: {' '.join(rest)}")
    parser.print_help()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
