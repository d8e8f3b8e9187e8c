"""Hostile article text for output-safety tests, reusable for every report format.

    >>> from tests.hostile import HOSTILE_SOURCES, MARKERS
    >>> len(HOSTILE_SOURCES) >= 2 and all("text" in s for s in HOSTILE_SOURCES)
    True

Each source is a mapping accepted by :func:`divergence.compare`. The text mixes what breaks
renderers: rich console markup (``[bold]``, ``[/]``, ``[link=...]``), terminal escape
sequences, HTML/JS (``<script>``, attributes with quotes), Markdown table and emphasis syntax
(``|``, ``*``, backticks, ``[x](y)`` links), CSV formula injection (cells starting with ``=``,
``+``, ``-``, ``@``, tab or carriage return), JSON-breaking characters (quotes, backslashes,
U+2028/U+2029, control characters), and right-to-left overrides. ``MARKERS`` lists literal
strings that a renderer must show as text (they survive in the rendered output verbatim or
escaped, never interpreted); ``FORBIDDEN`` lists what must never appear raw in an output of the
given format.
"""

from __future__ import annotations

ESC = "\x1b"

TITLE = "[bold red]Breaking[/] <script>alert('t')</script> *news* =1+1"
LINES = [
    "[bold]Officials[/bold] said the [link=http://evil.example]talks[/link] would continue [/] on Tuesday.",
    '<script>alert("x")</script> The minister\'s <b onmouseover="steal()">statement</b> was read aloud.',
    '=HYPERLINK("http://evil.example","click") appeared in the spreadsheet of results today.',
    "+SUM(A1:A9) and -2+3 and @cmd|' /C calc'!A0 were typed into the leaked table by someone.",
    "A pipe | in the | middle and `code` and **bold** and [a link](http://evil.example) appear.",
    f"Terminal escape {ESC}[31mred{ESC}[0m and {ESC}]0;title\x07 sequences hide in the copy here.",
    'Quotes " and backslashes \\ and \u2028 line and \u2029 paragraph separators sit in JSON text.',
    "Right-to-left \u202eoverride\u202c and zero\u200bwidth characters confuse the reader badly.",
]
TEXT_A = TITLE + "\n" + "\n".join(LINES) + "\n"
TEXT_B = (
    "Talks continue\n"
    "The ministry confirmed a meeting for next week in the capital, officials said.\n"
    + LINES[2]
    + "\n"
)

HOSTILE_SOURCES = [
    {"id": "evil[/]", "source": "[bold]Evil[/] <i>News</i> =cmd", "text": TEXT_A},
    {"id": "plain", "source": "=Plain|Wire", "text": TEXT_B},
]

#: Literal strings that must appear in the text report exactly as written (not interpreted).
MARKERS = ["[bold]Officials[/bold]", "[/]", "[link=http://evil.example]", "<script>"]

#: Per format, strings that must never appear raw in its output.
FORBIDDEN = {
    "text": [ESC, "\x07", "\u202e"],
    "json": [],
}
