"""The package version, defined once (pyproject reads it from here)."""

__version__ = "0.1.0"
