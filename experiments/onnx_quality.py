"""Quality of the torch-free path (``--backend onnx``) with its two arithmetics, on all eight
fixture clusters: the int8 file as shipped (int8 weights, float32 products) and rewritten for
int8 products (the default since the rewrite, :mod:`divergence.onnx_backend`).

    PYTHONPATH=$PWD python experiments/onnx_quality.py

Same settings as ``divergence eval --backend onnx`` (the base judge on sentence claims); prints
alignment F1, omission macro-F1 and conflict recall per cluster, and the dev means. Nothing is
fitted here; the dev rows are in-sample for the base judge, which was fitted on the dev clusters
with torch vectors.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEV = (
    "bridge-collapse disputed-election drug-recall privacy-ruling stadium-crush wildfire-evacuation"
)
CLUSTERS = [*DEV.split(), "first-call", "ukraine-calls"]


def main() -> None:
    import numpy as np

    from divergence import Comparer
    from divergence.evaluate import gold_paths, load_gold, score_comparison
    from divergence.onnx_backend import OnnxEmbedder

    print(
        "| cluster | float products: align F1 / omission macro-F1 / conflict R "
        "| int8 products: same |"
    )
    print("| --- | --- | --- |")
    means = {False: [], True: []}
    for cluster in CLUSTERS:
        gold = load_gold(ROOT / "fixtures" / f"{cluster}.gold.json")
        cells = []
        for int8 in (False, True):
            comparer = Comparer(embedder=OnnxEmbedder(int8_matmul=int8), backend="onnx")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                comp = comparer.compare(gold_paths(gold, ROOT / "fixtures" / cluster))
            s = score_comparison(comp, gold)
            row = (s["alignment"]["f1"], s["omission"]["macro_f1"], s["conflicts"]["recall"])
            if cluster in DEV:
                means[int8].append(row)
            cells.append(" / ".join(f"{x:.3f}" for x in row))
        print(f"| {cluster} | {cells[0]} | {cells[1]} |", flush=True)
    cells = [" / ".join(f"{x:.3f}" for x in np.mean(means[k], axis=0)) for k in (False, True)]
    print(f"| dev mean | {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    main()
