"""The languages the shipped guidelines are published in, as the tests expect them."""

from __future__ import annotations

NAMES = {"en": "English", "fr": "français", "bg": "български", "ro": "română",
         "ar": "العربية", "uk": "українська"}
"""Each language named in itself."""

PUBLISHED = list(NAMES)
TRANSLATED = PUBLISHED[1:]
"""The languages translated from English."""
