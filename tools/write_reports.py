"""Write every report format for the seed clusters under reports/ (used by `make demo`).

The model is loaded once for all clusters. Usage: python tools/write_reports.py [CLUSTER ...]
"""

import pathlib
import sys

import divergence
from divergence.report import render

EXTENSIONS = {"text": "txt", "markdown": "md", "html": "html", "csv": "csv", "json": "json"}


def main(clusters: list[str]) -> None:
    out = pathlib.Path("reports")
    out.mkdir(exist_ok=True)
    comparer = divergence.Comparer()
    for cluster in clusters:
        result = comparer.compare([pathlib.Path("fixtures") / cluster])
        for fmt, ext in EXTENSIONS.items():
            (out / f"{cluster}.{ext}").write_text(render(result, fmt), encoding="utf-8", newline="")
    print("reports written:", " ".join(sorted(p.name for p in out.iterdir())))


if __name__ == "__main__":
    main(sys.argv[1:] or ["first-call", "ukraine-calls"])
