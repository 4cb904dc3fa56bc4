"""The command line: version, help for every command, and the variant list."""

from docgen import __version__
from docgen.cli import main


def test_version(run):
    result = run("--version")
    assert result.exit_code == 0
    assert __version__ in result.output


def test_every_command_has_help_text(run):
    for name, command in main.commands.items():
        result = run(name, "--help")
        assert result.exit_code == 0, name
        summary = " ".join(command.help.split("\n")[0].split())
        assert summary and summary in " ".join(result.output.split())


def test_variants_lists_school_year_and_source(run):
    result = run("variants")
    assert result.exit_code == 0
    assert "fy26  2025-2026  FY26 District Instructional Prioritization Planning Guidance" in result.output
