"""Engine choice (real tool vs builtin) and running external tools."""

from __future__ import annotations

import stat

import pytest

from wtko.engines import ToolError, resolve_engine, run_tool
from wtko.errors import InputError


def _fake_tool(directory, name, body):
    path = directory / name
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


@pytest.fixture
def fake_path(tmp_path, monkeypatch):
    bindir = tmp_path / "bin"
    bindir.mkdir()
    monkeypatch.setenv("PATH", str(bindir))
    return bindir


def test_auto_uses_tool_on_path(fake_path):
    _fake_tool(fake_path, "tomtom", "exit 0")
    messages = []
    assert resolve_engine("auto", "tomtom", log=messages.append) == "tomtom"
    assert resolve_engine("tomtom", "tomtom") == "tomtom"
    assert messages == []


def test_auto_falls_back_with_one_line(fake_path):
    messages = []
    got = resolve_engine("auto", "homer", "findMotifsGenome.pl", log=messages.append,
                         key="enrichment.engine")
    assert got == "builtin"
    assert len(messages) == 1 and "\n" not in messages[0]
    assert "findMotifsGenome.pl" in messages[0] and "--use-conda" in messages[0]


def test_requested_tool_missing_raises(fake_path):
    with pytest.raises(InputError, match="--use-conda") as err:
        resolve_engine("tomtom", "tomtom", key="motif_comparison.engine")
    assert str(err.value).startswith("motif_comparison.engine:")


def test_builtin_and_unknown(fake_path):
    _fake_tool(fake_path, "meme", "exit 0")
    assert resolve_engine("builtin", "meme") == "builtin"
    with pytest.raises(InputError, match="unknown engine 'homer2'"):
        resolve_engine("homer2", "homer", "findMotifsGenome.pl")


def test_run_tool_logs_output(tmp_path):
    tool = _fake_tool(tmp_path, "fake", 'echo "out $1"; echo "err" >&2')
    log = tmp_path / "run.log"
    log.write_text("earlier\n")
    run_tool([str(tool), "a b"], log)
    text = log.read_text()
    assert text.startswith("earlier\n$ ") and "out a b\n" in text and "err\n" in text


def test_run_tool_failure_names_tool_and_log(tmp_path):
    tool = _fake_tool(tmp_path, "broken", "echo boom >&2; exit 3")
    log = tmp_path / "run.log"
    with pytest.raises(ToolError) as err:
        run_tool([str(tool)], log)
    message = str(err.value)
    assert "broken" in message and "exit code 3" in message and str(log) in message
    assert "\n" not in message and "boom" in log.read_text()


def test_run_tool_missing_executable(tmp_path):
    log = tmp_path / "run.log"
    with pytest.raises(ToolError, match="no_such_tool_xyz could not start"):
        run_tool([str(tmp_path / "no_such_tool_xyz")], log)
    assert "could not start" in log.read_text()
