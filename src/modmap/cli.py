"""The ``modmap`` command: small utilities around the workflow (the workflow itself runs with
``snakemake``; see README.md).

- ``modmap init MATRIX [--samples SHEET] [--platform TABLE] ...`` writes a starter sample sheet
  and a commented config for a new cohort (:mod:`modmap.init`);
- ``modmap check-config FILE`` reads a config file and names the line of a YAML error (``make
  run`` calls it first; :mod:`modmap.configfile`);
- ``modmap toy [--outdir DIR ...]`` writes the deterministic toy SJIA cohort (the same as
  ``python -m modmap.toy``);
- ``modmap --version`` prints the installed version.

Bad input ends the command with one line on stderr and exit status 1.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib.metadata import version

from modmap import toy
from modmap.errors import InputError

__all__ = ["main"]


def _check_config(rest: Sequence[str]) -> int:
    from modmap.configfile import load_config_file

    parser = argparse.ArgumentParser(
        prog="modmap check-config",
        description="Read a config file and report the line of a YAML error.",
    )
    parser.add_argument("config", help="the config file (YAML)")
    args = parser.parse_args(rest)
    load_config_file(args.config)
    return 0


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
        "init",
        help="write a starter sample sheet and a commented config for a new cohort "
        "(from a GEO series matrix, or a matrix and a sample sheet)",
        add_help=False,
    )
    commands.add_parser(
        "check-config",
        help="read a config file and report the line of a YAML error",
        add_help=False,
    )
    commands.add_parser(
        "toy",
        help="write the deterministic toy SJIA cohort (as python -m modmap.toy)",
        add_help=False,
    )
    args, rest = parser.parse_known_args(argv)
    try:
        if args.command == "init":
            from modmap import init

            return init.main(rest, prog="modmap init")
        if args.command == "check-config":
            return _check_config(rest)
        if args.command == "toy":
            toy.main(rest, prog="modmap toy")
            return 0
    except InputError as err:
        print(f"modmap {args.command}: error: {err}", file=sys.stderr)
        return 1
    if rest:
        parser.error(f"unrecognised arguments: {' '.join(rest)}")
    parser.print_help()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
