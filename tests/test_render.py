"""Rendering: the sanitizer behind the validator, relative links, pages without their
indentation, and the site check."""

from __future__ import annotations

from pathlib import Path

import pytest

from trmgen.publish import sitecheck
from trmgen.sources.layout import Layout
from trmgen.web.pages import relative_url
from trmgen.web.plugin import compact
from trmgen.web.templates import plain, to_html


@pytest.mark.parametrize("text", [
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    '<a href="https://example.org" onclick="alert(1)">x</a>',
    "<iframe src=https://example.org></iframe>",
    "![x](https://example.org/tracker.png)",
])
def test_sanitizer_removes_what_the_validator_would_refuse(text: str) -> None:
    html = str(to_html(text)).lower()
    for bad in ("onerror", "onclick", "<script", "javascript:", "data:", "<iframe", "<img"):
        assert bad not in html


def test_safe_markdown_is_kept() -> None:
    html = str(to_html("Call *now*: [hotline](tel:+359800123) or [web](https://example.org)"))
    assert html == ('<p>Call <em>now</em>: <a href="tel:+359800123" rel="noopener">hotline</a>'
                    ' or <a href="https://example.org" rel="noopener">web</a></p>')


def test_plain_text_in_a_heading_is_escaped() -> None:
    assert str(plain("A <b> *bold* [link](x) {#id}")) == (
        "A &lt;b&gt; \\*bold\\* \\[link\\]\\(x\\) \\{\\#id\\}")


@pytest.mark.parametrize(("source", "target", "directory", "expected"), [
    ("measures/a.md", "actors/b.md", True, "../../actors/b/"),
    ("measures/a.md", "index.md", True, "../../"),
    ("index.md", "sops/x/index.md", True, "sops/x/"),
    ("sops/x/index.md", "measures/a.md", True, "../../measures/a/"),
    ("measures/a.md", "actors/b.md", False, "../actors/b.html"),
    ("index.md", "legal.md", False, "legal.html"),
    ("measures/a.md", "measures/a.md", True, "./"),
])
def test_relative_urls(source: str, target: str, directory: bool, expected: str) -> None:
    assert relative_url(source, target, directory) == expected


def test_site_check_finds_unsafe_pages_and_charts(scratch_repo: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "en").mkdir(parents=True)
    (site / "ok.html").write_text('<a href="https://example.org">x</a><script>1</script>')
    (site / "bad.html").write_text(
        '<div onmouseover="x"></div>\n<a href="javascript:x">y</a>'
        '<script src="https://cdn.example.org/x.js"></script>')
    (site / "en" / "chart.svg").write_text('<svg><g onload="x"/></svg>')
    found = [d.text() for d in sitecheck.scan(site, Layout(scratch_repo))]
    assert found == [
        "site/bad.html:1:1: error: <div> has the event attribute 'onmouseover', in the built "
        "bad.html; the site is not published with it [build.unsafe-html]",
        "site/bad.html:2:1: error: <a href> uses a javascript: URL, in the built bad.html; "
        "the site is not published with it [build.unsafe-html]",
        "site/bad.html:2:29: error: <script src> loads from another host: "
        "https://cdn.example.org/x.js, in the built bad.html; the site is not published "
        "with it [build.unsafe-html]",
        "site/en/chart.svg:1:6: error: <g> has the event attribute 'onload', in the built "
        "en/chart.svg; the site is not published with it [build.unsafe-html]",
    ]


def test_site_check_names_the_source_that_wrote_a_finding(scratch_repo: Path,
                                                          tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "page.html").write_text('<p><span onfocus="steal()">x</span></p>')
    style = scratch_repo / "flowcharts/style.yaml"
    style.write_text(style.read_text() + "# onfocus=steal() is written here\n")
    line = style.read_text().count("\n")
    (found,) = sitecheck.scan(site, Layout(scratch_repo))
    assert (found.path, found.line, found.col) == ("flowcharts/style.yaml", line, 3)


@pytest.mark.parametrize(("page", "expected"), [
    ("<ul>\n    <li>a</li>\n\t\t<li>b</li>\n</ul>\n", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"),
    ("<p>one two</p>  \n  \n  <p>x</p>", "<p>one two</p>\n<p>x</p>"),
    ("<div>\n  <pre>a\n    b\n</pre>\n  </div>", "<div>\n<pre>a\n    b\n</pre>\n</div>"),
    ("<textarea name=t>\n  kept\n</textarea>\n  <pre class=x>\n  too</pre>\n  end",
     "<textarea name=t>\n  kept\n</textarea>\n<pre class=x>\n  too</pre>\nend"),
    ("<prefix>\n  </prefix>", "<prefix>\n</prefix>"),
    ("<pre>never closed\n   x", "<pre>never closed\nx"),
])
def test_pages_lose_their_indentation_but_not_inside_pre_or_textarea(page: str,
                                                                     expected: str) -> None:
    assert compact(page) == expected
