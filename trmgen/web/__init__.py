"""The site: which pages exist, their text from the templates, the charts, and the thin
adapter to mkdocs (the plugin and the preview)."""
