"""The build driver: every language in parallel, downloads, offline copies, open data, and
the checks of the built site before it replaces the published one."""
