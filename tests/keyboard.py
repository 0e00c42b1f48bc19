"""Typing as a reader does, in any script: each letter a key pressed and released.

Playwright types a letter that its US keyboard lacks (Cyrillic, Arabic) by inserting the
text, with no key events, and the theme's search waits for a key to be released. Chromium's
own key events carry any letter, as a keyboard set to that language sends it.
"""

from __future__ import annotations

import time

from playwright.sync_api import Page


def type_keys(page: Page, text: str, delay: float = 0.03) -> None:
    """Type `text` into the focused element, one key every `delay` seconds."""
    keys = page.context.new_cdp_session(page)
    for letter in text:
        keys.send("Input.dispatchKeyEvent",
                  {"type": "keyDown", "key": letter, "text": letter, "unmodifiedText": letter})
        keys.send("Input.dispatchKeyEvent", {"type": "keyUp", "key": letter})
        time.sleep(delay)
    keys.detach()
