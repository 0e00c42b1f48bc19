"""The pages of a tree, generated as a build generates them (validated once, then made)."""

from __future__ import annotations

from trmgen.content.edition import validated
from trmgen.sources.layout import Layout
from trmgen.web.site import Site, generate


def generated(layout: Layout, language: str | None = None) -> Site:
    """Every page of one language (default: the source language)."""
    return generate(validated(layout), language)
