"""Translations: which fields translate, the gettext catalogs and their checks, and the
names, dates and labels of each language (CLDR)."""
