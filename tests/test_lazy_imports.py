"""Lazy package exports (modmap._lazy): the public API is unchanged, light jobs stay light.

Each check runs in a fresh interpreter (a workflow job is one), so what one test imported cannot
hide what another would import.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import imported_after

PACKAGES = ["modmap.stats", "modmap.plots", "modmap.clinical", "modmap.longitudinal"]
HEAVY = ["numba", "llvmlite", "scipy", "matplotlib", "statsmodels"]


def _run(code: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, timeout=300
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def _heavy_after(imports: str) -> list[str]:
    return imported_after(imports, HEAVY)


@pytest.mark.parametrize("package", PACKAGES)
def test_every_export_is_the_documented_object(package: str) -> None:
    """Every name of __all__ resolves to a function/constant, also after its submodule was imported.

    ``modmap.stats.welch`` (module) holds ``welch`` (function); importing the submodule first
    must not turn the package attribute into the module.
    """
    code = f"""
import importlib, json, types
pkg = importlib.import_module({package!r})
names = list(pkg.__all__)
# first import every submodule directly (as the library's own modules do)
for name, source in pkg._EXPORTS.items():
    importlib.import_module(source)
bad = []
for name in names:
    value = getattr(pkg, name)
    ns = {{}}
    exec(f"from {package} import {{name}} as v", ns)
    if isinstance(value, types.ModuleType) or ns["v"] is not value:
        bad.append(name)
    if getattr(importlib.import_module(pkg._EXPORTS[name]), name) is not value:
        bad.append(name)
star = {{}}
exec("from {package} import *", star)
print(json.dumps({{"bad": bad, "n": len(names), "star": sorted(set(names) - set(star)),
                  "dir": sorted(set(names) - set(dir(pkg)))}}))
"""
    res = _run(code)
    assert res["n"] > 0
    assert res["bad"] == [] and res["star"] == [] and res["dir"] == []


def test_unknown_name_is_an_attribute_error() -> None:
    res = _run(
        "import json, modmap.stats as s\n"
        "try:\n    s.no_such_name\n    r = 'none'\n"
        "except AttributeError as e:\n    r = str(e)\n"
        "print(json.dumps({'r': r}))"
    )
    assert res["r"] == "module 'modmap.stats' has no attribute 'no_such_name'"


@pytest.mark.parametrize(
    ("what", "imports"),
    [
        # the workflow's parse (workflow/rules/common.smk): every cluster job pays it again
        (
            "parse",
            "from modmap import settings\n"
            "from modmap.clinical import derive_responders, evaluate, merge_responders\n"
            "from modmap.longitudinal.options import longitudinal_targets\n"
            "from modmap.schema import validate_config\n"
            "from modmap.stats.fingerprints import check_fingerprint_settings",
        ),
        ("bridge", "from modmap.bridge import check_kept_modules, run_bridge"),
        ("validate", "import modmap.validate\nfrom modmap.clinical import merge_responders"),
        ("module_scores", "from modmap.stats import module_scores"),
        ("report tables", "from modmap.plots.tables import table_html"),
        ("enrichment", "from modmap.stats.enrichment import enriched_modules, module_enrichment"),
        ("labs, analytes", "from modmap.longitudinal import lab_analysis, analyte_analysis"),
    ],
)
def test_light_jobs_import_no_heavy_library(what: str, imports: str) -> None:
    assert _heavy_after(imports) == [], what


def test_kernel_and_figure_jobs_still_import_what_they_use() -> None:
    """The converse (the check above can fail): rank kernels need numba, figures matplotlib."""
    assert {"numba", "scipy"} <= set(_heavy_after("from modmap.stats import gene_tests"))
    assert "matplotlib" in _heavy_after("from modmap.plots import plot_module_map")
