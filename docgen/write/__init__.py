"""The output formats, each built by one module; the only package that touches Office formats."""

from __future__ import annotations

from importlib import import_module

# format -> (module under docgen.write, file suffix). A new format is one
# module with a ``build(plan, variant) -> bytes`` function and one entry here.
FORMATS = {
    "docx": ("docx_plan", ".docx"),
    "pptx": ("pptx_plan", ".pptx"),
}


def build(fmt: str, plan, variant) -> bytes:
    """Return the bytes of ``plan`` rendered in output format ``fmt``; the same plan always gives the same bytes."""
    module_name, _ = FORMATS[fmt]
    return import_module(f"{__name__}.{module_name}").build(plan, variant)


def suffix(fmt: str) -> str:
    """Return the file suffix of output format ``fmt`` (".docx")."""
    return FORMATS[fmt][1]
