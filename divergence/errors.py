"""Exceptions the library raises on bad input or settings, and the warning it gives.

    >>> from divergence.errors import DivergenceError, InputError
    >>> issubclass(InputError, DivergenceError)
    True

The CLI maps :class:`InputError` to exit code 1 and :class:`UsageError` to exit code 2, printing
the message as one line; library users catch :class:`DivergenceError`. Recoverable problems with
the input are reported as a :class:`DivergenceWarning`.
"""

from __future__ import annotations


class DivergenceError(Exception):
    """Base class of every error divergence raises on purpose."""


class InputError(DivergenceError):
    """The input cannot be compared: missing, empty, binary, malformed, or too few sources."""


class UsageError(DivergenceError):
    """The settings are invalid (unknown format, threshold out of range, ...)."""


class DivergenceWarning(UserWarning):
    """A recoverable problem with the input (encoding guessed, files skipped, ...)."""
