"""Run an experiment script with a variant of the clause splitter (tried and rejected; kept so
the figures in docs/judge.md can be re-run).

    VARIANT=6:x python experiments/clause_variants.py experiments/train_adapter.py \
        --folds .bench/adapters --vectors .bench/judge-ft-clause6x --unit clause
    VARIANT=6:x DIVERGENCE_JUDGE_DATA=.bench/judge-ft-clause6x python \
        experiments/clause_variants.py experiments/judge_loco.py --grid small \
        --thresholds 0.3,0.35,0.4,0.45,0.5,0.6 --no-write

``VARIANT`` is ``<min_words>:<x|n>``: the minimum words of a clause (the shipped splitter's
``clauses.MIN_WORDS`` is 6) and ``x`` to also cut a trailing participle clause after a comma
("..., sending cars and a bus into the water"; "..., demanding that the mayor resign"), which
the shipped splitter keeps with its sentence because it has no subject of its own. The variant
is applied by replacing :func:`divergence.clauses.split_clauses` and ``_spacy_cuts`` in this
process before the script runs; nothing is written to the package.
"""

from __future__ import annotations

import os
import runpy
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import divergence.clauses as clauses  # noqa: E402

_spacy_cuts = clauses._spacy_cuts
_split_clauses = clauses.split_clauses


def participle_cuts(doc) -> list[int]:
    """The shipped cuts plus a trailing participle clause (VBG/VBN ``advcl``/``acl``) that
    follows a comma."""
    cuts = set(_spacy_cuts(doc))
    for tok in doc:
        if tok.dep_ in ("advcl", "acl") and tok.head.i < tok.i and tok.tag_ in ("VBG", "VBN"):
            left = tok.left_edge.i
            if left >= 1 and doc[left - 1].text == ",":
                cuts.add(doc[left].idx)
    return sorted(cuts)


def main() -> None:
    min_words, extra = os.environ.get("VARIANT", f"{clauses.MIN_WORDS}:n").split(":")
    if extra == "x":
        clauses._spacy_cuts = participle_cuts

    def split(source, claims, *, method="auto", min_words=int(min_words)):
        return _split_clauses(source, claims, method=method, min_words=min_words)

    clauses.split_clauses = split
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    script = sys.argv[1]
    sys.argv = sys.argv[1:]
    runpy.run_path(script, run_name="__main__")


if __name__ == "__main__":
    main()
