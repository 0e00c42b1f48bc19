"""What every page says of the translation status: each language's name in the language
switcher ("français (traduction partielle : 99 %)" while it is partial) and, on the pages of
a partly translated language, the note that says so.

The theme writes a mark in their place (templates/overrides: main.html, partials/
alternate.html), and the plugin fills the marks in after the page is made. A page's text and
its kept copy (web.kept) hold the marks, not the status: the first edit of an English text
after a translation was complete makes that language partial on every page, and the pages it
does not change are still kept, and filled in anew.

The marks are HTML comments, which no text of the guidelines can make (they are escaped, and
raw HTML is refused), and they come before the page's text: only the first of each is filled.
"""

from __future__ import annotations

from markupsafe import escape

NOTE = "<!--trm-partial-note-->"


def name_mark(language: str) -> str:
    """The mark of a language's name in the switcher."""
    return f"<!--trm-language-name-{language}-->"


def fills(names: list[tuple[str, str]], note: str | None) -> dict[str, str]:
    """What each mark becomes: the switcher's languages (code, name) and the note of a
    partly translated language (None: it is complete)."""
    filled = {name_mark(code): str(escape(name)) for code, name in names}
    filled[NOTE] = "" if note is None else (
        '<aside class="md-banner"><div class="md-banner__inner md-grid md-typeset">'
        f'<p class="trm-partial" role="note">{escape(note)}</p></div></aside>')
    return filled


def fill(html: str, filled: dict[str, str]) -> str:
    """The page with its marks filled in."""
    for mark, text in filled.items():
        html = html.replace(mark, text, 1)
    return html
