"""Snakemake adapter: draw every module heatmap (results/figures/heatmap_{module}.{pdf,png}).

One job for all of ``heatmaps.modules``: the tables are read once, and the expression cache once,
filtered to the rows of the drawn modules (and the probes of their collapsed features).
"""

from modmap.design import heatmap_columns
from modmap.io import read_expression, read_tsv
from modmap.logs import log_to_file, naming, run_job
from modmap.plots import plot_module_heatmap, save_figure
from modmap.stats import collapse_rows


def main(smk) -> None:
    log = log_to_file(smk.log[0])
    inp = smk.input
    modules = [str(m) for m in smk.params.modules]
    run = dict(smk.params.run)
    shown = {k: run.pop(k) for k in ("reference", "comparisons", "labels")}
    samples = read_tsv(inp.samples, dtype=str, keep_default_na=False)
    comparisons = read_tsv(inp.comparisons, dtype=str, keep_default_na=False)
    membership = read_tsv(inp.membership, dtype=str, keep_default_na=False)
    annotation = read_tsv(inp.annotation, dtype=str, keep_default_na=False)
    paths = zip(shown["comparisons"], inp.genes, strict=True)
    genes = {
        c: read_tsv(path, dtype={"feature_id": str}, keep_default_na=False, na_values=[""])
        for c, path in paths
    }
    columns = heatmap_columns(samples, comparisons, **shown)
    # Only the drawn modules' rows (and the probes of their collapsed features): the cache is
    # filtered one row group at a time while it is read.
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
    for module, pdf, png in zip(modules, smk.output.pdf, smk.output.png, strict=True):
        with naming(f"heatmap of module {module}"):
            fig = plot_module_heatmap(
                expression,
                columns,
                membership,
                annotation,
                genes,
                module=module,
                **run,
            )
            save_figure(fig, pdf, png, layout_once=True)
        log.info("heatmap %s: %d columns", module, len(columns))


if __name__ == "__main__":
    run_job(main, snakemake)  # noqa: F821
