"""Check that the dependency bounds agree in all the files that declare them.

pyproject.toml is the source of truth. For each runtime dependency with a lower bound ``>=X``:
requirements/min.txt pins it ``==X``, and environment.yml and workflow/envs/modmap.yaml carry the
same specifier. The dev tools that ``make test-min`` installs (pytest, pytest-xdist, ruff,
snakefmt, and statsmodels, a test oracle) are pinned ``==`` their lower bound in requirements/min.txt too. Standard library only,
so it runs before any environment is built: ``python requirements/check_bounds.py`` (exit status 1
and one line per disagreement when they differ).
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIN_TXT = ROOT / "requirements" / "min.txt"
CONDA_FILES = [ROOT / "environment.yml", ROOT / "workflow" / "envs" / "modmap.yaml"]
DEV_TOOLS_TESTED = {"pytest", "pytest-xdist", "ruff", "snakefmt", "statsmodels"}
REQ = re.compile(r"^\s*([A-Za-z0-9_.-]+)\s*(?:\[[^\]]*\])?\s*([^#;]*)")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _version(v: str) -> tuple[int, ...]:
    parts = [int(p) for p in v.strip().split(".")]
    while parts and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def _parse(line: str) -> tuple[str, str] | None:
    m = REQ.match(line)
    if not m or line.lstrip().startswith("-"):
        return None
    return _norm(m.group(1)), m.group(2).replace(" ", "")


def _lower_bound(spec: str) -> str | None:
    for part in spec.split(","):
        if part.startswith(">="):
            return part[2:]
    return None


def main() -> int:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = dict(filter(None, map(_parse, project["dependencies"])))
    dev = dict(filter(None, map(_parse, project["optional-dependencies"]["dev"])))
    pinned = dict(
        filter(
            None,
            (_parse(ln) for ln in MIN_TXT.read_text().splitlines() if not ln.startswith("-")),
        )
    )
    problems = []
    wanted = dict(runtime) | {k: v for k, v in dev.items() if k in DEV_TOOLS_TESTED}
    for name, spec in wanted.items():
        low = _lower_bound(spec)
        if low is None:
            problems.append(f"pyproject.toml: {name} has no lower bound (>=) in {spec!r}")
            continue
        pin = pinned.get(name, "")
        if not pin.startswith("==") or _version(pin[2:]) != _version(low):
            where = MIN_TXT.relative_to(ROOT)
            problems.append(f"{where}: {name} is {pin or 'missing'!r}, want =={low}")
    for path in CONDA_FILES:
        conda = {}
        for line in path.read_text().splitlines():
            m = re.match(r"^  - ([A-Za-z0-9_.-]+)(.*?)(?:\s+#.*)?$", line)
            if m:
                conda[_norm(m.group(1))] = m.group(2).replace(" ", "")
        for name, spec in runtime.items():
            if conda.get(name) != spec:
                problems.append(
                    f"{path.relative_to(ROOT)}: {name} is {conda.get(name, 'missing')!r}, "
                    f"pyproject.toml says {spec!r}"
                )
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
