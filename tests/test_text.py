"""The safe Markdown subset, and template syntax that stays literal text."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trmgen.checks.validate import validate
from trmgen.sources import safe_text as text
from trmgen.sources.layout import Layout

from .edits import replace_in


@pytest.mark.parametrize(("value", "code"), [
    ("<script>alert(1)</script>", "text.raw-html"),
    ("x <img src=x onerror=alert(1)>", "text.raw-html"),
    ("<!-- hidden -->", "text.raw-html"),
    ("[x](javascript:alert(1))", "text.unsafe-link"),
    ("[x](JaVaScRiPt:alert(1))", "text.unsafe-link"),
    ("[x](jav&#x61;script:alert(1))", "text.unsafe-link"),
    ("[x]( java\tscript:alert(1))", "text.unsafe-link"),
    ("[x](data:text/html;base64,PHNjcmlwdD4=)", "text.unsafe-link"),
    ("[x](http://example.org)", "text.unsafe-link"),
    ("[x]: javascript:alert(1)", "text.unsafe-link"),
    ("![x](https://example.org/x.png)", "text.image"),
    ("# Heading", "text.heading"),
    ("text {: onclick=\"x\" }", "text.attribute-list"),
    ("<https://example.org>", "text.autolink"),
    ("<help@example.org>", "text.autolink"),
    ("call +359\u202e654 321", "text.invisible-character"),
    ("zero\u200bwidth", "text.invisible-character"),
])
def test_refused(value: str, code: str) -> None:
    assert code in [p.code for p in text.problems(value)]


@pytest.mark.parametrize("value", [
    "Plain text with *emphasis*, **strong** and `code`.",
    "- a list\n- of steps",
    "Call [the hotline](tel:+359800123) or [write](mailto:help@example.org).",
    "See [the convention](https://rm.coe.int/168008371d).",
    "Children < 18 and adults > 18; personal data: name only.",
    "{{ 7*7 }} and {% include 'x' %} stay as they are.",
])
def test_allowed(value: str) -> None:
    assert list(text.problems(value)) == []


def test_template_syntax_is_kept_literally(base_tree: Path) -> None:
    sop = base_tree / "guidelines/sops/1-identification.yaml"
    replace_in(sop, "what: Look for signs of trafficking.",
               "what: \"Look for {{ 7*7 }} signs {% include 'secret' %} {{ config }}.\"")
    sources, diagnostics = validate(Layout(base_tree))
    assert [d for d in diagnostics if d.severity == "error"] == []
    measure = sources.sops[0].model.measures[0]
    assert measure.what == "Look for {{ 7*7 }} signs {% include 'secret' %} {{ config }}."


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_any_text_gets_an_answer(value: str) -> None:
    for problem in text.problems(value):
        assert 0 <= problem.offset < len(value)
        assert problem.code.startswith("text.")
