"""Apply one corpus entry's ``change`` to a clean plan, for the held-out corpus of issue 30.

A change is a list of edits, applied in order to a deep copy of the plan dict (the shape of
``templates/fy26/example.yaml``). Each edit names a ``path`` written as in the plan YAML, dotted
keys with ``[index]`` for list items (``priorities[0].outcomes[2].target``), and one of:

- ``value``: set the key or list item to this value (a missing dict key is created);
- ``delete: true``: remove the key or list item (later indices shift, so list deletions are
  written from the highest index down);
- ``append``: add this item to the end of the list at ``path``.

The clean plan is never modified, so one loaded district serves every entry.
"""

from __future__ import annotations

import copy
import re

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _steps(path: str) -> list[str | int]:
    """Return the keys (str) and list indices (int) that ``path`` walks through."""
    steps: list[str | int] = []
    pos = 0
    for match in _STEP.finditer(path):
        between = path[pos:match.start()]
        if between not in ("", "."):
            raise ValueError(f"cannot read path {path!r} at {between!r}")
        key, index = match.groups()
        steps.append(int(index) if index is not None else key)
        pos = match.end()
    if not steps or path[pos:]:
        raise ValueError(f"cannot read path {path!r}")
    return steps


def _parent(plan: dict, steps: list[str | int], path: str):
    """Return the container that holds the last step of ``steps``."""
    node = plan
    for step in steps[:-1]:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError) as exc:
            raise KeyError(f"path {path!r}: no {step!r}") from exc
    return node


def apply(plan_dict: dict, change: list[dict]) -> dict:
    """Return a copy of ``plan_dict`` with every edit of ``change`` made, in order."""
    plan = copy.deepcopy(plan_dict)
    for edit in change:
        path = edit["path"]
        steps = _steps(path)
        parent = _parent(plan, steps, path)
        last = steps[-1]
        if "append" in edit:
            target = parent[last]
            if not isinstance(target, list):
                raise TypeError(f"path {path!r} is not a list")
            target.append(copy.deepcopy(edit["append"]))
        elif edit.get("delete"):
            del parent[last]
        elif "value" in edit:
            if isinstance(parent, list) and not 0 <= last < len(parent):
                raise IndexError(f"path {path!r}: no item {last}")
            parent[last] = copy.deepcopy(edit["value"])
        else:
            raise ValueError(f"edit at {path!r} has no value, delete or append")
    return plan
