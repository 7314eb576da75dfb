"""The workflow's scripts are thin, importable adapters: importing one runs nothing."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

SCRIPTS = sorted((Path(__file__).resolve().parents[1] / "scripts").glob("*.py"))


def test_every_rule_script_is_checked() -> None:
    rules = (Path(__file__).resolve().parents[1] / "workflow" / "rules").glob("*.smk")
    used = {
        line.split('"')[1].rsplit("/", 1)[1]
        for path in rules
        for line in path.read_text().splitlines()
        if line.strip().startswith('"../../scripts/')
    }
    assert used and used <= {p.name for p in SCRIPTS}


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_script_imports_without_running(path: Path) -> None:
    spec = importlib.util.spec_from_file_location(f"script_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # no `snakemake` object here: the guard keeps main() idle
    assert callable(module.main)
    # module level holds only imports, the docstring, main() and the __main__ guard
    tree = ast.parse(path.read_text())
    kinds = {type(node).__name__ for node in tree.body}
    assert kinds <= {"Expr", "Import", "ImportFrom", "FunctionDef", "If"}, kinds
    guards = [node for node in tree.body if isinstance(node, ast.If)]
    assert len(guards) == 1 and ast.unparse(guards[0].test) == "__name__ == '__main__'"
