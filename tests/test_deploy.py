"""The systemd unit shipped in deploy/ is one systemd accepts, and its command line is one `docgen serve` takes."""

from __future__ import annotations

import configparser
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from docgen.cli.main import main

UNIT = Path(__file__).resolve().parent.parent / "deploy" / "docgen@.service"


def unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True, delimiters=("=",))
    parser.optionxform = str  # systemd's keys are case-sensitive
    parser.read_string(UNIT.read_text())
    return parser


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
def test_systemd_analyze_verify_finds_nothing_to_say(tmp_path):
    """As an instance (docgen@8001), with docgen's path pointing at a program that exists here."""
    instance = tmp_path / "docgen@8001.service"
    instance.write_text(UNIT.read_text().replace("/opt/docgen/venv/bin/docgen", shutil.which("true")))
    found = subprocess.run(["systemd-analyze", "verify", str(instance)], capture_output=True, text=True, timeout=60)
    assert found.returncode == 0 and not found.stdout.strip() and not found.stderr.strip(), found.stderr


def test_its_command_line_is_one_docgen_serve_takes(tmp_path):
    command = shlex.split(unit()["Service"]["ExecStart"].replace("%i", "8001"))
    assert command[:2] == ["/opt/docgen/venv/bin/docgen", "serve"]
    token = tmp_path / "metrics-token"
    token.write_text("t\n")
    arguments = [str(token) if a == "/etc/docgen/metrics-token" else a for a in command[2:]]
    context = main.commands["serve"].make_context("serve", arguments)  # unknown options or bad values raise
    assert context.params["port"] == 8001 and context.params["log_format"] == "json"
    assert str(context.params["data"]) in unit()["Service"]["ReadWritePaths"].split()


def test_it_runs_unprivileged_restarts_and_keeps_its_files_private():
    service = unit()["Service"]
    assert service["User"] not in ("", "root") and service["NoNewPrivileges"] == "yes"
    assert service["Restart"] == "on-failure" and service["UMask"] == "0077"
    assert service["ProtectSystem"] == "strict" and unit()["Install"]["WantedBy"] == "multi-user.target"
