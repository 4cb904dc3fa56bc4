"""Shared fixtures: a CLI runner, the sample workbook, and a readable dump of a Word document."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from hypothesis import settings as hypothesis_settings

from docgen.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "cranberry-harbor.xlsx"
GOLDEN = Path(__file__).resolve().parent / "golden"

hypothesis_settings.register_profile("default", max_examples=10)
hypothesis_settings.register_profile("fuzz", max_examples=int(os.environ.get("DOCGEN_FUZZ_EXAMPLES", 1000)))


# What makes a test slow: LibreOffice, a `docgen serve` process, worker processes with a time limit. The markers
# are put on by what a test (or a fixture it uses) calls, so a new test is marked without anyone remembering to.
_SLOW_CALLS = ("soffice_or_skip(", "start(", "make_pdf=True", "--pdf", "time_limit=")


def pytest_collection_modifyitems(items):
    """Mark browser tests (they use Chromium) and slow ones, for the quick inner loop:
    `pytest -m "not slow and not browser"`."""
    import inspect

    for item in items:
        if "chromium" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
        functions = [getattr(item, "function", None)]
        info = getattr(item, "_fixtureinfo", None)
        for defs in (info.name2fixturedefs.values() if info else ()):
            functions += [d.func for d in defs]
        try:
            sources = [inspect.getsource(f) for f in functions if f is not None]
        except (OSError, TypeError):
            continue
        if any(call in source for source in sources for call in _SLOW_CALLS):
            item.add_marker(pytest.mark.slow)


def pytest_configure(config):
    """`pytest -m fuzz` runs the fuzz tests with 1,000 examples each; the normal suite runs a few."""
    hypothesis_settings.load_profile("fuzz" if "fuzz" in (config.getoption("markexpr") or "") else "default")


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite tests/golden and tests/snippets files from the current output "
                          "(or set DOCGEN_UPDATE_GOLDEN=1).")


@pytest.fixture
def golden(request):
    """Return a function that compares text with a file in tests/golden (or another folder given), or rewrites the
    file under `DOCGEN_UPDATE_GOLDEN=1 pytest ...` (or --update-golden): then look at `git diff` before committing."""
    update = request.config.getoption("--update-golden") or os.environ.get("DOCGEN_UPDATE_GOLDEN") == "1"

    def check(name: str, actual: str, folder: Path = GOLDEN) -> None:
        path = folder / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
        assert path.exists(), f"{path} is missing: make it with DOCGEN_UPDATE_GOLDEN=1 pytest {request.node.nodeid}"
        assert actual == path.read_text(encoding="utf-8")

    return check


@pytest.fixture
def run():
    """Return a function that runs the docgen CLI and returns click's Result."""
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)

    return invoke


@pytest.fixture
def sample(tmp_path) -> Path:
    """Return a private copy of the shipped sample workbook."""
    copy = tmp_path / "cranberry-harbor.xlsx"
    shutil.copy(SAMPLE, copy)
    return copy


def docx_lines(path) -> list[str]:
    """Return a Word document as text lines in reading order: headings marked '#', list items '-', table rows ' | '.

    A non-breaking hyphen (the writers' "3\u20118") reads as the hyphen it shows."""
    document = docx.Document(str(path))
    lines = []
    for block in document.iter_inner_content():
        if isinstance(block, docx.text.paragraph.Paragraph):
            if block.text.strip():
                lines.append(_paragraph_line(block))
            continue
        for row in block.rows:
            cells, seen = [], set()
            for cell in row.cells:
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                cells.append(" / ".join(_paragraph_line(p) for p in cell.paragraphs if p.text.strip()))
            lines.append(" | ".join(cells))
    return lines


def _paragraph_line(paragraph) -> str:
    """Return a paragraph as a reader sees it: the zero-width break marks in long links (invisible) left out."""
    style, shown = paragraph.style.name, paragraph.text.replace("\u200b", "").replace("\u2011", "-")
    if style.startswith("Heading"):
        return "#" * int(style.split()[-1]) + " " + shown
    if style.startswith("List Bullet"):
        return "  " * (int(style[-1]) - 1 if style[-1].isdigit() else 0) + "- " + shown
    if style.startswith("List Number"):
        return "  " * (int(style[-1]) - 1 if style[-1].isdigit() else 0) + "1. " + shown
    return shown


def assert_valid_office(*paths) -> None:
    """Assert that each .docx/.pptx/.xlsx passes openxml-audit (the Open XML SDK's schemas): Word is stricter
    than LibreOffice, so a file LibreOffice opens may still be one Word calls corrupt."""
    from openxml_audit import OpenXmlValidator

    validator = OpenXmlValidator()
    for path in paths:
        result = validator.validate(str(path))
        assert result.is_valid, f"{Path(path).name}: " + "; ".join(str(e) for e in result.errors[:5])


def soffice_or_skip() -> str:
    """Return the LibreOffice command; skip the test when it is missing, unless CI requires it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    if os.environ.get("DOCGEN_REQUIRE_SOFFICE"):
        pytest.fail("LibreOffice (soffice) is required here but not installed")
    pytest.skip("LibreOffice (soffice) is not installed")
