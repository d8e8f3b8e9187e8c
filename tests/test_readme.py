"""The README's code blocks run: every ```python block is executed from the repository root, and
every ```bash line calling ``divergence`` or ``make`` names a command, options and targets that
exist. Also the README's size bounds (a guide, not a lab notebook) and its local links."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"

_BLOCK = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)


def _blocks(lang: str) -> list[str]:
    return [
        body for kind, body in _BLOCK.findall(README.read_text(encoding="utf-8")) if kind == lang
    ]


PYTHON_BLOCKS = _blocks("python")


def test_readme_has_python_and_shell_examples():
    assert len(PYTHON_BLOCKS) >= 2
    assert _blocks("bash")


@pytest.mark.parametrize("index", range(len(PYTHON_BLOCKS)))
def test_python_block_runs(index, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    if "to_frames()" in PYTHON_BLOCKS[index]:
        pytest.importorskip("pandas")  # the 'pandas' extra (in 'test')
    code = compile(PYTHON_BLOCKS[index], f"README.md python block {index + 1}", "exec")
    exec(code, {"__name__": f"readme_block_{index}"})
    if "print(" in PYTHON_BLOCKS[index]:
        assert capsys.readouterr().out.strip(), "a block that prints printed nothing"


def _shell_commands() -> list[list[str]]:
    commands = []
    for block in _blocks("bash"):
        for line in block.splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                commands.append(shlex.split(line))
    return commands


def _click_app():
    import typer

    from divergence.cli import app

    return typer.main.get_command(app)


def _option_names(command) -> set[str]:
    names = set()
    for param in command.params:
        names.update(getattr(param, "opts", ()))
        names.update(getattr(param, "secondary_opts", ()))
    return names | {"-h", "--help"}


def test_shell_commands_exist():
    group = _click_app()
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([\w-]+):", makefile, re.M))
    checked = 0
    for argv in _shell_commands():
        prog = Path(argv[0]).name
        if prog == "make":
            assert set(argv[1:]) <= targets, f"unknown make target in {argv}"
            checked += 1
        elif prog == "divergence":
            sub = group.commands.get(argv[1])
            assert sub is not None, f"no command {argv[1]!r} in divergence --help"
            known = _option_names(sub)
            for token in argv[2:]:
                if token.startswith("-"):
                    assert token.split("=", 1)[0] in known, (
                        f"{token} is not an option of {argv[:2]}"
                    )
            checked += 1
    assert checked >= 5


def test_readme_is_a_guide_not_a_notebook():
    data = README.read_bytes()
    assert len(data) < 15_000, f"README is {len(data)} bytes"
    assert data.count(b"\n") <= 210
    for phrase in ("afternoon", "this round", "issue-3"):
        assert phrase not in data.decode("utf-8")


def test_readme_and_docs_links_resolve():
    # docs other engineers write may land separately; they are checked once they exist
    pending = {"judge.md", "inputs.md", "derivation.md", "conflicts.md"}
    for page in [README, *sorted((ROOT / "docs").glob("*.md"))]:
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
            if "://" in target:
                continue
            path = (page.parent / target).resolve()
            if path.name in pending and path.parent == ROOT / "docs" and not path.exists():
                continue
            assert path.exists(), f"{page.name} links to missing {target}"
