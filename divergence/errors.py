"""Exceptions the library raises on bad input or settings.

The CLI maps :class:`InputError` to exit code 1 and :class:`UsageError` to exit code 2, printing
the message as one line; library users catch :class:`DivergenceError`.
"""

from __future__ import annotations


class DivergenceError(Exception):
    """Base class of every error divergence raises on purpose."""


class InputError(DivergenceError):
    """The input cannot be compared: missing, empty, binary, malformed, or too few sources."""


class UsageError(DivergenceError):
    """The settings are invalid (unknown format, threshold out of range, ...)."""
