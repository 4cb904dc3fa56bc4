"""Find tables without rules in a PDF page's lines: columns of words kept apart by gutters, row after row.

A Word table without borders, exported to PDF, is only words on a grid: no
line marks its cells, so pdfplumber's ruled-table finder sees none. Here a
table is a run of lines whose words never cross the same two or more
vertical gutters (wide empty strips) that its first line opens; its rows are
told apart by the wider gap between them (a cell's wrapped lines sit at the
usual line spacing), and its cells' lines are joined. Anything less regular
stays text, read as paragraphs.
"""

from __future__ import annotations

GUTTER = 1.0  # a gap at least this many times the type size may part two columns
MIN_GUTTER = 4  # points: a gutter narrowed below this is no gutter (a word runs across the column's edge)
ROW_GAP = 1.5  # points beyond the usual line spacing that start a new row


def split(lines: list[list[dict]], leading: float) -> list[tuple[str, object]]:
    """Return the lines in order as ("lines", [line, ...]) and ("table", (rows, header_bold)) blocks."""
    out: list[tuple[str, object]] = []
    i = 0
    while i < len(lines):
        gutters = _gutters(lines[i])
        block = [lines[i]]
        if len(gutters) >= 2:
            j = i + 1
            while j < len(lines) and lines[j][0]["top"] - block[-1][0]["bottom"] <= 3 * lines[j][0]["size"]:
                narrowed = _narrowed(lines[j], gutters)
                if narrowed is None:
                    break
                gutters = narrowed
                block.append(lines[j])
                j += 1
            rows = _rows(block, gutters, leading)
            if len(rows) >= 2 and sum(1 for row in rows if sum(1 for c in row if c) >= 2) >= 2:
                bold = all("bold" in w["fontname"].casefold() for w in lines[i])
                out.append(("table", (rows, bold)))
                i = j
                continue
        if out and out[-1][0] == "lines":
            out[-1][1].append(lines[i])
        else:
            out.append(("lines", [lines[i]]))
        i += 1
    return out


def _gutters(line: list[dict]) -> list[tuple[float, float]]:
    """Return the wide gaps between a line's words, as (left, right) x intervals."""
    return [(a["x1"], b["x0"]) for a, b in zip(line, line[1:], strict=False)
            if b["x0"] - a["x1"] >= GUTTER * max(a["size"], 1) * 1.0 and b["x0"] - a["x1"] >= 12]


def _narrowed(line: list[dict], gutters: list[tuple[float, float]]) -> list[tuple[float, float]] | None:
    """Return the gutters narrowed by the words of ``line`` that reach into them; None if a word crosses one."""
    kept = []
    for left, right in gutters:
        for w in line:
            if w["x0"] < right - 1 and w["x1"] > left + 1:  # the word reaches into the gutter
                if w["x0"] <= left + 1 and w["x1"] >= right - 1:
                    return None
                left, right = (w["x1"], right) if w["x0"] <= left + 1 else (left, w["x0"])
        if right - left < MIN_GUTTER:
            return None
        kept.append((left, right))
    return kept


def _column(word: dict, gutters: list[tuple[float, float]]) -> int:
    return sum(1 for left, _ in gutters if word["x0"] >= left)


def _rows(block: list[list[dict]], gutters: list[tuple[float, float]], leading: float) -> list[list[str]]:
    """Return the block's rows of cell texts: a wider gap, or the first column starting again, opens a row."""
    rows: list[list[list[str]]] = []
    previous = None
    for line in block:
        cells: list[list[str]] = [[] for _ in range(len(gutters) + 1)]
        for w in line:
            cells[_column(w, gutters)].append(w["text"])
        opens = previous is None or line[0]["top"] - previous[-1]["bottom"] > leading + ROW_GAP
        if opens:
            rows.append([[" ".join(c)] if c else [] for c in cells])
        else:
            for k, c in enumerate(cells):
                if c:
                    rows[-1][k].append(" ".join(c))
        previous = line
    return [[_joined(parts) for parts in row] for row in rows]


def _joined(parts: list[str]) -> str:
    text = ""
    for part in parts:
        glue = "" if not text or (text.endswith("-") and text[-2:-1].isalnum()) else " "
        text = f"{text}{glue}{part}"
    return text
