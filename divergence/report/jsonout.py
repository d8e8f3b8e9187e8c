"""JSON renderer: the stable contract described by ``divergence/data/comparison.schema.json``."""

from __future__ import annotations

from typing import Any


def render_json(comparison: Any, *, indent: int | None = 2, **_: Any) -> str:
    return comparison.to_json(indent=indent)
