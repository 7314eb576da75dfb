"""modmap: blood transcriptome module maps.

The library behind the modmap Snakemake workflow. Every stage of the workflow is a thin adapter in
``scripts/`` around a function of this package, so each step can be used and tested on its own:

- :mod:`modmap.settings` the validated config: cross-key checks and each rule's parameters;
- :mod:`modmap.design`   sample sheet, selectors, comparisons, the samples each step uses;
- :mod:`modmap.io`       reading and writing tables (expression, sample sheets, caches);
- :mod:`modmap.toy`      the deterministic toy SJIA cohort generator;
- :mod:`modmap.annotation`, :mod:`modmap.bridge`, :mod:`modmap.modules`  cross-platform translation;
- :mod:`modmap.stats`    per-gene rank tests at R parity and module scores;
- :mod:`modmap.plots`    module maps, dot matrices and module heatmaps.
"""

__version__ = "0.1.0"
