"""The gold clusters in ``fixtures/``: the six dev clusters (copies of ``../shared/dev``: fit and
choose on them, leaving one out) and the two seed clusters (the test set: measure only)."""

DEV = [
    "bridge-collapse",
    "disputed-election",
    "drug-recall",
    "privacy-ruling",
    "stadium-crush",
    "wildfire-evacuation",
]
SEEDS = ["first-call", "ukraine-calls"]
