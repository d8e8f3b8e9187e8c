"""docs/cli.md is what tools/cli_reference.py makes from the typer app now: a changed command,
option, help text or default fails here until the reference is regenerated."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _tool():
    spec = importlib.util.spec_from_file_location(
        "cli_reference", ROOT / "tools" / "cli_reference.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reference_is_up_to_date():
    expected = _tool().reference()
    current = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert current == expected, "docs/cli.md is stale: run python tools/cli_reference.py"


def test_cli_reference_lists_every_command_and_option():
    import typer

    from divergence.cli import app

    text = _tool().reference()
    group = typer.main.get_command(app)
    assert group.commands
    for name, command in group.commands.items():
        assert f"## `divergence {name}`" in text
        for param in command.params:
            for opt in getattr(param, "opts", ()):
                if opt.startswith("-"):
                    assert f"`{opt}" in text, f"{name} {opt} missing from the reference"


def test_check_mode_detects_a_stale_file(tmp_path):
    tool = _tool()
    out = tmp_path / "cli.md"
    out.write_text("# stale\n", encoding="utf-8")
    assert tool.main(["--check", str(out)]) == 1
    assert tool.main([str(out)]) == 0
    assert tool.main(["--check", str(out)]) == 0
