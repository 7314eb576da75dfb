"""Lazy package exports: a package's public names import their submodule on first use.

Every workflow job is a fresh Python process, so what a package ``__init__`` imports is paid by
every job that touches the package (issue 16: a tiny job paid 1.2-2.6 s of CPU and ~330 MB, most
of it numba/llvmlite, scipy and matplotlib pulled in by ``modmap.stats`` and ``modmap.plots``
re-exporting everything). With :func:`lazy_exports` a package lists its public names and the
submodule each lives in; ``from modmap.stats import module_scores`` then imports only
``modmap.stats.scores`` (numpy, pandas), and numba only loads in a job that runs a kernel.

The public API is unchanged: every name of ``__all__`` is an attribute of the package, also when
its submodule has the same name (``modmap.stats.welch`` is the function, as before, even after
``import modmap.stats.welch`` bound the submodule).
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Mapping
from typing import Any

__all__ = ["lazy_exports", "load_export"]


class _LazyPackage(types.ModuleType):
    """A package module that keeps exported functions visible over same-named submodules."""

    def __setattr__(self, name: str, value: Any) -> None:
        exports = self.__dict__.get("_lazy_exports", {})
        if (
            isinstance(value, types.ModuleType)
            and name in exports
            and value.__name__ == f"{self.__name__}.{name}"
        ):
            # The import system binds a freshly imported submodule on its package; an export of
            # the same name (the function ``welch`` of ``modmap.stats.welch``) keeps precedence,
            # exactly as the eager ``from modmap.stats.welch import welch`` used to leave it.
            return
        super().__setattr__(name, value)

    def __getattr__(self, name: str) -> Any:
        # only called for names not yet in the module's namespace (PEP 562 semantics)
        return load_export(self.__name__, name)

    def __dir__(self) -> list[str]:
        return sorted({*self.__dict__, *self.__dict__.get("_lazy_exports", {})})


def lazy_exports(package: str, exports: Mapping[str, str]) -> None:
    """Make the names of ``exports`` (name -> submodule) load on first access of ``package``.

    Call it from the package's ``__init__`` with ``__name__``: the package's module then answers
    an unknown attribute through :func:`load_export` (the module class's ``__getattr__``).
    """
    module = sys.modules[package]
    module.__class__ = _LazyPackage
    module.__dict__["_lazy_exports"] = dict(exports)


def load_export(package: str, name: str) -> Any:
    """The exported ``name`` of ``package``: import its submodule, cache and return the value."""
    module = sys.modules[package]
    source = module.__dict__.get("_lazy_exports", {}).get(name)
    if source is None:
        raise AttributeError(f"module {package!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(source), name)
    module.__dict__[name] = value
    return value
