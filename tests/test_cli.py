"""The command line: version, help for every command, the variant list, and what a command loads."""

import ast
import subprocess
import sys

import pytest

from docgen import __version__
from docgen.cli.main import main


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


# heavy to import; reading and writing plans needs none of them, and the web stack loads only for serve
HEAVY = ("docx", "pptx", "openpyxl", "xlsxwriter", "starlette", "uvicorn", "argon2")


def modules_loaded_by(*args) -> list[str]:
    """Run docgen in a fresh interpreter and return which heavy libraries it imported."""
    script = ("import sys\nfrom docgen.cli.main import main\ntry:\n    main(sys.argv[1:])\n"
              "except SystemExit:\n    pass\n"
              f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", script, *map(str, args)], capture_output=True, text=True,
                            check=True)
    return ast.literal_eval(result.stdout.strip().splitlines()[-1])


def test_help_check_and_build_load_no_office_library(sample, tmp_path):
    assert modules_loaded_by("--help") == []
    assert modules_loaded_by("check", sample) == []
    assert modules_loaded_by("build", sample, "-o", tmp_path / "out") == []
    assert len(list((tmp_path / "out").iterdir())) == 2


@pytest.mark.parametrize("command", [["new-workbook"], ["new-workbook", "--example"]])
def test_new_workbook_refuses_a_name_that_is_not_xlsx(command, tmp_path, run):
    result = run(*command, tmp_path / "plan.docx")
    assert result.exit_code == 1
    assert "an intake workbook is an Excel file; give a name ending in .xlsx" in result.output
    assert not (tmp_path / "plan.docx").exists()


def test_a_mistyped_format_is_a_mistyped_command_on_every_command(sample, tmp_path, run):
    """Exit code 2 and click's usage line, like any mistyped option, wherever --format is taken."""
    (tmp_path / "in").mkdir()
    arguments = {"build": [sample, "-o", tmp_path / "out"], "batch": [tmp_path / "in", "-o", tmp_path / "out"],
                 "check": [sample], "accessibility": [sample]}
    taking = [name for name, command in main.commands.items()
              if any("--format" in param.opts for param in command.params)]
    assert sorted(taking) == sorted(arguments)  # a new command with --format is added here
    for name in taking:
        result = run(name, *arguments[name], "--format", "odt")
        assert result.exit_code == 2, name
        assert "Invalid value for '--format'" in result.output and "odt" in result.output, name
        assert f"{name} [OPTIONS]" in result.output, name  # the usage line
    assert not (tmp_path / "out").exists()


def test_format_names_are_forgiving_about_case_spaces_and_dots(sample, tmp_path, run):
    result = run("build", sample, "-o", tmp_path / "out", "--format", " .DOCX ,")
    assert result.exit_code == 0
    assert [p.suffix for p in (tmp_path / "out").iterdir()] == [".docx"]


def test_the_version_is_found_only_when_asked(run):
    script = "import sys, docgen\nprint('importlib.metadata' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
    assert run("--version").output.strip() == f"docgen, version {__version__}"
