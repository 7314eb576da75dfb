"""Snakemake adapter: draw the module figures of one run in one job.

Writes the module map (``results/figures/module_map.{pdf,png,svg}``), the module x comparison
dot matrix (``results/figures/module_dots.{pdf,png}``) and every module heatmap of
``heatmaps.modules`` (``results/figures/heatmap_{module}.{pdf,png}``). Each figure is drawn and
saved exactly as it would be by a job of its own (``tests/test_module_figures.py``); one job
pays the interpreter, pandas and matplotlib start-up once instead of three times and reads the
score table and the annotation once (docs/performance.md, "Module figures: one job").

``params.run`` holds one keyword dict per figure: ``module_map``, ``module_dots`` and
``heatmap`` (``modmap.settings.rule_params``).
"""

from modmap.forks import fork_call
from modmap.io import read_tsv
from modmap.logs import log_to_file, naming, run_job
from modmap.plots import plot_module_dots, plot_module_map, save_figure


def draw_module_map(scores, annotation, run, paths) -> None:
    """The module map to ``paths`` (PDF, PNG, SVG), laid out once for every format."""
    fig = plot_module_map(scores, annotation, **run)
    save_figure(fig, *paths, layout_once=True)  # many panels: lay them out once


def draw_module_dots(scores, annotation, run, paths, *, enrichment=None) -> None:
    """The module x comparison dot matrix to ``paths``; ``enrichment`` rings its modules."""
    from modmap.stats.enrichment import enriched_modules

    run = dict(run)
    # enrichment.mark_dots: ring the modules whose rank enrichment has q < alpha
    test, alpha = run.pop("enrichment_test", None), run.pop("enrichment_alpha", None)
    enriched, label = set(), ""
    if enrichment is not None:
        enriched = enriched_modules(enrichment, test=test, alpha=alpha)
        label = f"{'CERNO' if test == 'cerno' else 'U test'} q < {alpha:g}"
    fig = plot_module_dots(scores, annotation, enriched=enriched, enriched_label=label, **run)
    save_figure(fig, *paths, layout_once=True)


def draw_heatmaps(inp, annotation, run, modules, pdfs, pngs, log) -> None:
    """Every module heatmap: the tables and the drawn modules' rows of the cache read once."""
    from modmap.design import heatmap_columns
    from modmap.io import read_expression
    from modmap.plots import plot_module_heatmap
    from modmap.stats import collapse_rows

    run = dict(run)
    shown = {k: run.pop(k) for k in ("reference", "comparisons", "labels")}
    samples = read_tsv(inp.samples, dtype=str, keep_default_na=False)
    comparisons = read_tsv(inp.comparisons, dtype=str, keep_default_na=False)
    membership = read_tsv(inp.membership, dtype=str, keep_default_na=False)
    paths = zip(shown["comparisons"], inp.genes, strict=True)
    # only the IDs and the ranking column (statistics.threshold_on) of the gene tables; a table
    # without that column is reported by top_changed_genes
    wanted = {"feature_id", run["threshold_on"]}
    genes = {
        c: read_tsv(
            path,
            dtype={"feature_id": str},
            keep_default_na=False,
            na_values=[""],
            usecols=lambda name: name in wanted,
        )
        for c, path in paths
    }
    columns = heatmap_columns(samples, comparisons, **shown)
    # Only the drawn modules' rows (and the probes of their collapsed features) of the shown
    # samples are read from the cache.
    drawn = membership["module_id"].isin(modules)
    features = list(dict.fromkeys(membership.loc[drawn, "feature_id"]))
    collapsed = None
    if inp.get("collapsed"):  # bridge.collapse: mean
        collapsed = read_tsv(inp.collapsed, dtype=str, keep_default_na=False)
        collapsed = collapsed.loc[collapsed["feature_id"].isin(features)]
        features += [p for probes in collapsed["probes"] for p in str(probes).split(";")]
    expression = read_expression(
        inp.expression, samples=list(dict.fromkeys(columns["sample_id"])), features=features
    )
    if collapsed is not None:
        expression = collapse_rows(expression, collapsed)
    for module, pdf, png in zip(modules, pdfs, pngs, strict=True):
        with naming(f"heatmap of module {module}"):
            fig = plot_module_heatmap(
                expression, columns, membership, annotation, genes, module=module, **run
            )
            save_figure(fig, pdf, png, layout_once=True)
        log.info("heatmap %s: %d columns", module, len(columns))


def _tables(inp):
    """The job's input tables by name, each read on first use and then kept (read once per job)."""
    cache = {}

    def read(name):
        if name not in cache:
            if name == "annotation":
                cache[name] = read_tsv(inp.annotation, dtype=str, keep_default_na=False)
            elif name == "enrichment" and "enrichment" not in inp.keys():
                cache[name] = None  # enrichment.mark_dots off
            else:  # scores, enrichment
                cache[name] = read_tsv(
                    getattr(inp, name), dtype={"comparison": str, "module_id": str}
                )
        return cache[name]

    return read


def _module_map(smk, tables, log) -> None:
    run, out = smk.params.run["module_map"], smk.output
    with naming("module map"):
        draw_module_map(
            tables("scores"), tables("annotation"), run, [out.map_pdf, out.map_png, out.svg]
        )
    log.info(
        "module map: %d comparisons, %d modules", len(run["comparisons"]), len(tables("annotation"))
    )


def _module_dots(smk, tables, log) -> None:
    run, out = smk.params.run["module_dots"], smk.output
    with naming("module dot matrix"):
        draw_module_dots(
            tables("scores"),
            tables("annotation"),
            run,
            [out.dots_pdf, out.dots_png],
            enrichment=tables("enrichment"),
        )
    log.info("module dot matrix: %d comparisons", len(run["comparisons"]))


def _heatmaps(smk, tables, log) -> None:
    modules = [str(m) for m in smk.params.modules]
    if modules:
        run, out = smk.params.run["heatmap"], smk.output
        draw_heatmaps(
            smk.input, tables("annotation"), run, modules, out.heatmap_pdf, out.heatmap_png, log
        )


def _part(name):
    """The drawing function of one figure of the job (``benchmarks/bench_figures.py`` runs one)."""
    return {"module_map": _module_map, "module_dots": _module_dots, "heatmap": _heatmaps}[name]


def _draw(smk, parts, log) -> None:
    tables = _tables(smk.input)
    for part in parts:
        _part(part)(smk, tables, log)


def _shared_imports() -> None:
    """What both processes use, imported once before the fork instead of once in each.

    matplotlib and the map's code, and what the first PDF and PNG saves would import (the PDF
    backend with fontTools' subsetter, 141 modules, ~0.1 s; the PNG plugin of PIL).
    """
    import fontTools.subset  # noqa: F401
    import matplotlib.backends.backend_pdf  # noqa: F401
    import PIL.PngImagePlugin  # noqa: F401

    import modmap.plots.module_map  # noqa: F401


def main(smk, *, parts=("module_map", "module_dots", "heatmap")) -> None:
    """Draw ``parts`` (default: every figure of the job, in this order).

    With two threads or more, the module map is drawn by a forked child while this process draws
    the other figures (``modmap.forks``; docs/performance.md, "Module figures: two processes").
    """
    log = log_to_file(smk.log[0])
    parts = list(parts)
    if smk.threads >= 2 and "module_map" in parts and len(parts) > 1:
        _shared_imports()
        parts.remove("module_map")
        with fork_call(_draw, smk, ["module_map"], log):
            _draw(smk, parts, log)
    else:
        _draw(smk, parts, log)


if __name__ == "__main__":
    run_job(main, snakemake)  # noqa: F821
