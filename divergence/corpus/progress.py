"""The corpus progress bar (rich, on stderr, only on a terminal).

    >>> from divergence.corpus.progress import _Bar
    >>> with _Bar(total=2, done=0, enabled=False) as bar:
    ...     bar.advance(5)
    >>> bar.sentences
    5

Events done, sentences embedded, rate and ETA; off (counting only) when stderr is not a TTY.
"""

from __future__ import annotations

import sys


class _Bar:
    """rich progress on stderr: events done, sentences embedded, rate, ETA (off if not a TTY)."""

    def __init__(self, *, total: int, done: int, enabled: bool):
        self.enabled = enabled and sys.stderr.isatty()
        self.total, self.done = total, done
        self.sentences = 0

    def __enter__(self):
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self._p = Progress(
                TextColumn("events"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[sent]} sentences embedded"),
                TextColumn("{task.fields[rate]} ev/s"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=False,
            )
            self._p.__enter__()
            self._task = self._p.add_task(
                "corpus", total=self.total, completed=self.done, sent=0, rate="-"
            )
        return self

    def advance(self, sentences: int) -> None:
        self.sentences += sentences
        if self.enabled:
            task = self._p.tasks[0]
            rate = f"{task.speed:.1f}" if task.speed else "-"
            self._p.update(self._task, advance=1, sent=self.sentences, rate=rate)

    def __exit__(self, *exc):
        if self.enabled:
            self._p.__exit__(*exc)
        return False
