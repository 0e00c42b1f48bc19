"""Translations: which fields translate, the gettext catalogs, and the localized guide."""
