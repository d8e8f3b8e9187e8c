import json
import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from divergence.cli import app

from .conftest import FIXTURES

runner = CliRunner()
FAST = ["-m", "hashing", "-t", "0.5", "-q"]


def test_every_command_and_option_has_help():
    root = typer.main.get_command(app)
    assert set(root.commands) >= {"compare", "eval"}
    for name, cmd in root.commands.items():
        assert cmd.help, name
        options = [p for p in cmd.params if p.param_type_name == "option"]
        assert options, name
        for param in options:
            assert param.help, f"{name} {param.name}"


def test_help_does_not_import_torch():
    code = "import sys; from divergence.cli import app; print('torch' in sys.modules, 'sentence_transformers' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"


def test_compare_text_report():
    result = runner.invoke(app, ["compare", str(FIXTURES / "first-call"), *FAST])
    assert result.exit_code == 0, result.output
    assert "divergence report" in result.stdout and "Omits" in result.stdout


def test_compare_json_to_file(tmp_path):
    out = tmp_path / "r.json"
    result = runner.invoke(
        app, ["compare", str(FIXTURES / "ukraine-calls"), "-f", "json", "-o", str(out), *FAST]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["sources"]) == 2 and data["claims"]


@pytest.mark.parametrize(
    "args,code,message",
    [
        (["compare", "missing.txt"], 1, "no such file"),
        (
            ["compare", str(FIXTURES / "first-call" / "000_9371d010681fa504.txt")],
            1,
            "at least two sources",
        ),
        (["compare", str(FIXTURES / "first-call"), "-f", "xml"], 2, "unknown format"),
        (["compare", str(FIXTURES / "first-call"), "-t", "5"], 2, "threshold"),
    ],
)
def test_errors_are_one_line_with_exit_code(args, code, message):
    result = runner.invoke(app, [*args, "-m", "hashing", "-q"])
    assert result.exit_code == code
    err = result.stderr.strip().splitlines()
    assert len(err) == 1 and message in err[0] and "Traceback" not in result.output


def test_binary_file_error(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"%PDF-1.4 binary")
    (tmp_path / "b.txt").write_text("A real article sentence here.", encoding="utf-8")
    result = runner.invoke(app, ["compare", str(tmp_path), *FAST])
    assert result.exit_code == 1 and "binary" in result.stderr


def test_eval_command_json():
    result = runner.invoke(
        app,
        [
            "eval",
            str(FIXTURES / "ukraine-calls.gold.json"),
            str(FIXTURES / "ukraine-calls"),
            "-m",
            "hashing",
            "--json",
            "-q",
        ],
    )
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)
    assert metrics["junk"]["recall"] == 1.0


def test_console_entry_point_keeps_exit_status_and_flushes_output(tmp_path):
    """``main()`` ends the process with os._exit after the command: statuses and output intact."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    run = [sys.executable, "-c", "from divergence.cli import main; main()"]
    one = subprocess.run(
        [*run, "compare", str(FIXTURES / "first-call" / "000_9371d010681fa504.txt")],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert one.returncode != 0 and "need at least two sources" in one.stderr
    assert "Traceback" not in one.stderr
    ok = subprocess.run(
        [
            *run,
            "compare",
            str(FIXTURES / "first-call"),
            "-m",
            "hashing",
            "--no-cache",
            "-f",
            "json",
            "-q",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["claims"]  # the whole document reached the pipe
