"""The printed documents: the book, the contact sheets and the form, as HTML and as PDF."""
