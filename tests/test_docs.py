"""The docs cannot drift: every command and option is in docs/commands.md, and every link in the docs resolves.

As sqlite-utils' tests/test_docs.py does: the click command tree is walked
(subgroups such as ``users`` included), and a command, or one of its long
option names, that the reference does not mention under that command's own
heading fails a test, and so does an option row for an option the command
no longer takes. So does a relative link to a file or heading that is not
there, and a package or top-level module that CONTRIBUTING.md leaves out.
"""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from docgen.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
COMMANDS_DOC = ROOT / "docs" / "commands.md"
DOCS = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$", re.MULTILINE)
COMMAND_HEADING = re.compile(r"`(docgen(?: [a-z][a-z-]*)*)")
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def commands(group: click.Command = main, path: str = "docgen"):
    """Yield (``"docgen users add"``, command) for the root and every command under it, depth first."""
    yield path, group
    if isinstance(group, click.Group):
        for name, command in sorted(group.commands.items()):
            yield from commands(command, f"{path} {name}")


COMMANDS = dict(commands())


def command_sections() -> dict[str, str]:
    """Return the text of docs/commands.md under each heading that names a command (`docgen build`)."""
    text = COMMANDS_DOC.read_text(encoding="utf-8")
    marks = [(m.start(), COMMAND_HEADING.search(m.group(2))) for m in HEADING.finditer(text)]
    sections = {}
    for n, (start, named) in enumerate(marks):
        end = marks[n + 1][0] if n + 1 < len(marks) else len(text)
        if named:
            sections[named.group(1)] = text[start:end]
    return sections


def long_options(command: click.Command) -> list[str]:
    """Return the command's long option names (``--output``, ``--format``), ``--help`` included."""
    ctx = click.Context(command, info_name=command.name)
    return [name for param in command.get_params(ctx) if isinstance(param, click.Option)
            for name in [*param.opts, *param.secondary_opts] if name.startswith("--")]


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_every_command_has_its_own_heading_in_the_reference(path):
    assert path in command_sections(), f"docs/commands.md has no heading naming `{path}`"


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_every_option_is_documented_under_its_command(path):
    section = command_sections().get(path, "")
    missing = [o for o in long_options(COMMANDS[path]) if path != "docgen" and o != "--help"
               and not re.search(rf"{re.escape(o)}(?![\w-])", section)]
    assert not missing, f"docs/commands.md, under `{path}`, does not mention {', '.join(missing)}"


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_every_option_in_a_commands_table_exists(path):
    """An option row left behind after the option went away (or was renamed) fails too."""
    rows = re.findall(r"^\|([^|]*`-[^|]*)\|", command_sections().get(path, ""), flags=re.MULTILINE)
    documented = {name for cell in rows for name in re.findall(r"--[a-z][\w-]*", cell)}
    stale = sorted(documented - set(long_options(COMMANDS[path])))
    assert not stale, f"docs/commands.md, under `{path}`, documents {', '.join(stale)}, which it does not take"


def test_the_reference_says_how_to_get_help_and_the_version():
    section = command_sections()["docgen"]
    assert "--help" in section and "--version" in section


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_every_command_and_option_has_help_text(path):
    command = COMMANDS[path]
    assert (command.help or "").strip(), f"`{path}` has no help text (its docstring)"
    ctx = click.Context(command, info_name=command.name)
    silent = [p.opts[0] for p in command.get_params(ctx) if isinstance(p, click.Option) and not (p.help or "").strip()]
    assert not silent, f"`{path}` has options without help: {', '.join(silent)}"


def slug(heading: str) -> str:
    """Return GitHub's anchor for a Markdown heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", heading).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = re.sub(r"^```.*?^```", "", path.read_text(encoding="utf-8"), flags=re.MULTILINE | re.DOTALL)
    return {slug(m.group(2)) for m in HEADING.finditer(text)}


def relative_links(path: Path):
    """Yield each link target in a Markdown file that is not a web address or an e-mail address."""
    text = re.sub(r"^```.*?^```", "", path.read_text(encoding="utf-8"), flags=re.MULTILINE | re.DOTALL)
    for target in LINK.findall(text):
        if not re.match(r"[a-z][a-z+.-]*:", target):
            yield target


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_points_at_a_file_and_heading_that_exist(doc):
    broken = []
    for target in relative_links(doc):
        file_part, _, anchor = target.partition("#")
        linked = (doc.parent / file_part).resolve() if file_part else doc
        if not linked.exists():
            broken.append(f"{target} (no such file)")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            broken.append(f"{target} (no such heading)")
    assert not broken, f"{doc.relative_to(ROOT)}: broken links: {'; '.join(broken)}"


def test_the_readme_is_short_and_keeps_the_quick_start():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 200
    for command in ("pip install . && docgen build data/cranberry-harbor.xlsx -o output/",
                    "pip install '.[test]' && pytest", "pip install . && docgen serve --demo"):
        assert command in text


def layout_paths() -> set[str]:
    """Return the paths CONTRIBUTING.md's layout names under docgen/, read from its indentation (two spaces)."""
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    block = text.split("## Layout", 1)[1].split("```")[1]
    found, stack = set(), []
    for line in block.splitlines():
        if not line.strip() or not line.startswith(("docgen/", " ")) or (stack == [] and line.startswith(" ")):
            stack = [] if not line.startswith("docgen/") else stack
            if not line.startswith("docgen/"):
                continue
        depth = (len(line) - len(line.lstrip(" "))) // 2
        name = line.split()[0]
        stack = stack[:depth] + [name]
        found.add("".join(stack))
    return found


def test_contributing_layout_is_the_real_tree():
    """Every module and package of docgen/ is named in CONTRIBUTING.md's layout, where it is, and nothing the
    layout names is missing from the tree."""
    real = {"docgen/"} | {str(p.relative_to(ROOT)) + ("/" if p.is_dir() else "")
                          for p in (ROOT / "docgen").rglob("*")
                          if (p.suffix == ".py" and not (p.name == "__init__.py" and p.parent.name != "docgen"))
                          or (p.is_dir() and ((p / "__init__.py").exists() or p.name in ("static", "pages")))}
    inside = ("/static/", "/pages/")  # the web app's files and Jinja pages: named as folders only
    real = {p for p in real if "__pycache__" not in p and not any(d in p.rstrip("/") for d in inside)}
    listed = layout_paths()
    assert not sorted(real - listed), f"CONTRIBUTING.md's layout leaves out {sorted(real - listed)}"
    assert not sorted(listed - real), f"CONTRIBUTING.md's layout names what is not there: {sorted(listed - real)}"


