"""YAML with positions: the project's one strict YAML loader.

PyYAML's own loaders keep the last of two duplicate keys, read `NO` (Norway) as False, turn
`2024-05-01` into a date and expand alias bombs. This loader builds plain data from PyYAML's
event stream instead, so it sees every node with its line and column and refuses what an editor
did not mean: duplicate keys, anchors and aliases, merge keys, tags, several documents. Only
`true`, `false` and `null` are resolved; every other scalar stays text, and the model parses
numbers and dates, so `0123` and `2024-13-01` reach it unchanged and get a clear message.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from trmgen.diagnostics import Diagnostic, Severity
from trmgen.sources.layout import MAX_SOURCE_BYTES

MAX_BYTES = MAX_SOURCE_BYTES
"""Larger files are refused, to keep the loader safe."""

MAX_DEPTH = 32
"""Deeper nesting is refused; the deepest real structure is about six levels."""

MAX_VALUES = 60_000
"""More values are refused: an SOP file holds a few thousand, and the largest in the
benchmark (50 times the shipped measures) some 27,000. Reading one costs microseconds; a
file of a million tiny values would take seconds."""

Loc = tuple[str | int, ...]
"""A path into a document: mapping keys and list indexes, as pydantic reports them."""


@dataclass(frozen=True)
class Mark:
    """A 1-based line and column."""

    line: int
    col: int


@dataclass(frozen=True)
class Scalar:
    """Where a text value starts in the file and what it reads, to point inside it."""

    start: Mark
    index: int
    value: str


@dataclass
class Document:
    """A loaded YAML file: plain data and the position of every value and key."""

    path: str
    data: Any
    text: str
    values: dict[Loc, Mark] = field(default_factory=dict)
    keys: dict[Loc, Mark] = field(default_factory=dict)
    scalars: dict[Loc, Scalar] = field(default_factory=dict)

    def written(self, loc: Loc) -> Loc:
        """The longest start of `loc` that the file writes out: a value written in short form
        (a step as its text alone) stands for the field that `loc` names inside it."""
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.values or loc[:end] in self.keys:
                return loc[:end]
        return ()

    def mark(self, loc: Loc, *, key: bool = False, offset: int | None = None) -> Mark:
        """The position of a value (or of its key), or of its nearest enclosing value."""
        if key and loc in self.keys:
            return self.keys[loc]
        if offset is not None and loc in self.scalars:
            return self._inside(self.scalars[loc], offset)
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.values:
                return self.values[loc[:end]]
        return Mark(1, 1)

    def _inside(self, scalar: Scalar, offset: int) -> Mark:
        """The position of character `offset` of a scalar's value in the file.

        The characters there are looked up in the file text after the scalar's start, which
        works for every style (literal, folded, plain, quoted) unless an escape sequence wrote
        them; then the scalar's start is the best place to point at.
        """
        needle = scalar.value[offset:offset + 12].split("\n", 1)[0]
        if not needle.strip():
            return scalar.start
        seen = scalar.value.count(needle, 0, offset)
        text = self.text
        at = scalar.index - 1
        for _ in range(seen + 1):
            at = text.find(needle, at + 1)
            if at < 0:
                return scalar.start
        line = text.count("\n", 0, at)
        return Mark(line + 1, at - (text.rfind("\n", 0, at) + 1) + 1)


class LoadError(Exception):
    """A file that could not be read as YAML; carries every problem found."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(d.text() for d in diagnostics))
        self.diagnostics = diagnostics


def parse_bytes(raw: bytes, display: str) -> tuple[Document, list[Diagnostic]]:
    """Decode and parse a YAML file's bytes strictly (see the module docstring). Returns the
    document and its warnings; raises LoadError."""
    warnings: list[Diagnostic] = []

    def problem(line: int, col: int, code: str, message: str) -> LoadError:
        return LoadError([Diagnostic(display, line, col, code, "", message)])

    if len(raw) > MAX_BYTES:
        raise problem(1, 1, "file.too-large", f"the file has more than {MAX_BYTES:,} bytes; "
                      "a source file should never be this large")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise problem(1, 1, "yaml.encoding", "the file is saved as UTF-16; save it as UTF-8")
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
        warnings.append(Diagnostic(display, 1, 1, "yaml.bom", "", "the file starts with a "
                                   "byte-order mark; save it as UTF-8 without BOM",
                                   Severity.WARNING))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - raw.rfind(b"\n", 0, exc.start)
        raise problem(line, col, "yaml.encoding", f"byte 0x{raw[exc.start]:02X} is not UTF-8; the "
                      "file was saved in another encoding: save it as UTF-8") from None
    try:
        builder, data = _build(display, text)
    except yaml.reader.ReaderError as exc:
        mark = _mark_at(text, exc.position)
        raise problem(mark.line, mark.col, "yaml.control-character",
                      f"the invisible control character U+{exc.character:04X} is not "
                      "allowed; delete it") from None
    except yaml.MarkedYAMLError as exc:
        raise LoadError([_syntax(display, text, exc)]) from None
    if builder.errors:
        raise LoadError(builder.errors)
    return builder.document(data), warnings


def _mark_at(text: str, index: int) -> Mark:
    line = text.count("\n", 0, index) + 1
    return Mark(line, index - (text.rfind("\n", 0, index) + 1) + 1)


_SYNTAX_HINTS = (
    ("mapping values are not allowed", "yaml.syntax",
     "a ':' where none is expected; put text that contains ': ' in quotes"),
    ("could not find expected ':'", "yaml.syntax",
     "this line is missing the ':' after its field name, or its indentation is off"),
    ("found unexpected end of stream", "yaml.syntax",
     "this quote is opened and never closed"),
    ("expected <block end>", "yaml.syntax",
     "the indentation does not line up: start this line in the same column as the lines "
     "beside it"),
    ("did not find expected '-' indicator", "yaml.syntax",
     "the indentation does not line up: list items ('- ') must start in the same column"),
    ("did not find expected key", "yaml.syntax",
     "the indentation does not line up: fields of one block must start in the same column"),
    ("found undefined tag handle", "yaml.tag", "tags ('!') are not allowed; remove the tag"),
    ("found unknown escape character", "yaml.syntax",
     "an unknown escape sequence in double quotes; use single quotes or write '\\\\'"),
    # libyaml's words, for a large file that PyYAML's parser does not read again:
    ("exceeded maximum nesting depth", "yaml.too-deep",
     f"nesting is deeper than {MAX_DEPTH} levels; the file's structure is not what this "
     "kind of file expects"),
    ("found a tab character", "yaml.tab", "a tab where YAML needs spaces; replace it with "
     "spaces"),
)


def _syntax(display: str, text: str, exc: yaml.MarkedYAMLError) -> Diagnostic:
    found = (_run_on_quote(display, text, exc) or _unclosed_bracket(display, exc)
             or _over_indented(display, text, exc) or _tab(display, text, exc))
    if found:
        return found
    # An unclosed quote is found at the end of the file; its opening is where to look.
    opened = exc.context and "quoted scalar" in exc.context
    mark = (exc.context_mark if opened else exc.problem_mark) or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = exc.problem or "YAML syntax error"
    for needle, code, message in _SYNTAX_HINTS:
        if needle in problem:
            return Diagnostic(display, line, col, code, "", message)
    return Diagnostic(display, line, col, "yaml.syntax", "", f"YAML syntax: {problem}")


def _unclosed_bracket(display: str, exc: yaml.MarkedYAMLError) -> Diagnostic | None:
    """A list or block in brackets that a later line seems to continue was never closed;
    the parser notices only on that later line."""
    opened, problem = exc.context_mark, exc.problem_mark
    if not (exc.context and "while parsing a flow" in exc.context and opened and problem):
        return None
    bracket, closing = ("[", "]") if "sequence" in exc.context else ("{", "}")
    if problem.line == opened.line:
        return Diagnostic(display, problem.line + 1, problem.column + 1, "yaml.syntax", "",
                          f"a ',' between two items or the closing '{closing}' is missing "
                          f"in the list that starts with '{bracket}' in column "
                          f"{opened.column + 1}")
    return Diagnostic(display, opened.line + 1, opened.column + 1, "yaml.syntax", "",
                      f"this '{bracket}' is never closed: end the list with '{closing}' on "
                      "this line")


_KEY_LINE = re.compile(r"^( +)(?:- +)?[A-Za-z_][A-Za-z0-9_-]*:(?:\s|$)")


def _over_indented(display: str, text: str, exc: yaml.MarkedYAMLError) -> Diagnostic | None:
    """`key: value` on a line indented more than the field above reads as the value's
    continuation, and the parser then complains about its ':'."""
    problem = exc.problem_mark
    if problem is None or "mapping values are not allowed" not in (exc.problem or ""):
        return None
    lines = text.split("\n")
    line = lines[problem.line] if problem.line < len(lines) else ""
    key = _KEY_LINE.match(line)
    if not key:
        return None
    above = next((earlier for earlier in reversed(lines[:problem.line])
                  if earlier.strip() and not earlier.lstrip().startswith("#")), None)
    if above is None:
        return None
    indent = len(line) - len(line.lstrip(" "))
    if indent <= len(above) - len(above.lstrip(" ")):
        return None
    return Diagnostic(display, problem.line + 1, indent + 1, "yaml.syntax", "",
                      "this line is indented more than the line above it, so it reads as "
                      "part of that line's text; start it in the same column as the field "
                      "it belongs beside")


def _tab(display: str, text: str, exc: yaml.MarkedYAMLError) -> Diagnostic | None:
    """A tab in a line's indentation, or inside a text: each has its own remedy."""
    problem = exc.problem_mark
    if problem is None or "found character '\\t'" not in (exc.problem or ""):
        return None
    line = text.split("\n")[problem.line] if problem.line < text.count("\n") + 1 else ""
    if line[:problem.column].strip(" "):
        return Diagnostic(display, problem.line + 1, problem.column + 1, "yaml.tab", "",
                          "a tab inside a text; replace it with a space, or put the whole "
                          "text in quotes")
    return Diagnostic(display, problem.line + 1, problem.column + 1, "yaml.tab", "",
                      "a tab is used for indentation; YAML needs spaces")


def _run_on_quote(display: str, text: str, exc: yaml.MarkedYAMLError) -> Diagnostic | None:
    """A quote left open runs on over the next lines until another quote seems to close it,
    and the error shows up there; the quote that opened it is where to look."""
    problem = exc.problem_mark
    if problem is None:
        return None
    found = None
    try:
        small = len(text) <= SLOW_PARSE_LIMIT
        for token in yaml.scan(text, Loader=yaml.SafeLoader if small else _FAST_PARSER):
            if token.start_mark.index >= problem.index:
                break
            if (isinstance(token, yaml.ScalarToken) and token.style in ('"', "'")
                    and token.start_mark.line < token.end_mark.line):
                found = token
    except yaml.YAMLError:
        pass  # the tokens before the error are enough
    if found is None or found.end_mark.line != problem.line:
        return None
    start = found.start_mark
    return Diagnostic(display, start.line + 1, start.column + 1, "yaml.syntax", "",
                      f"this quote is not closed on its line, so the text runs on to line "
                      f"{problem.line + 1}, where a quote seems to close it; close the quote "
                      "on this line")


_REPORTED_ONCE = frozenset({"yaml.alias", "yaml.anchor"})


class _Stop(Exception):
    """Reading the file goes no further: its problems so far are reported."""


class _Builder:
    """Plain data from PyYAML's events, with positions, refusing the unsafe and ambiguous."""

    def __init__(self, display: str, text: str) -> None:
        self.display = display
        self.text = text
        self.errors: list[Diagnostic] = []
        self.values: dict[Loc, Mark] = {}
        self.keys: dict[Loc, Mark] = {}
        self.scalars: dict[Loc, Scalar] = {}
        self.events: Iterator[yaml.Event] = iter(())

    def document(self, data: Any) -> Document:
        return Document(self.display, data, self.text, self.values, self.keys, self.scalars)

    def error(self, mark: Mark, code: str, message: str) -> None:
        if code in _REPORTED_ONCE and any(d.code == code for d in self.errors):
            return  # an alias bomb would otherwise print hundreds of lines
        self.errors.append(Diagnostic(self.display, mark.line, mark.col, code, "", message))

    def build(self, loader: type[Any]) -> Any:
        self.events = iter(yaml.parse(self.text, Loader=loader))
        data: Any = None
        documents = 0
        for event in self.events:
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    self.error(_mark(event), "yaml.multiple-documents", "the file holds more "
                               "than one document ('---'); keep one document per file")
                    break
            elif isinstance(event, yaml.NodeEvent):
                data = self.node(event, (), 1)
        if documents == 0 or data is None:
            self.error(Mark(1, 1), "yaml.empty", "the file has no content, only comments or "
                       "nothing; fill in its fields (CONTRIBUTING.md lists them)")
        return data

    def node(self, event: yaml.Event, loc: Loc, depth: int) -> Any:
        mark = _mark(event)
        if len(self.values) >= MAX_VALUES:
            self.error(mark, "yaml.too-many-values", f"the file holds more than "
                       f"{MAX_VALUES:,} values; no source file needs this many: split it, or "
                       "look for text that was pasted many times")
            raise _Stop
        self.values[loc] = mark
        if isinstance(event, yaml.AliasEvent):
            self.error(mark, "yaml.alias", f"aliases ('*{event.anchor}') are not allowed; "
                       "write the value out in full")
            return None
        assert isinstance(event, yaml.NodeEvent)
        if event.anchor is not None:
            self.error(mark, "yaml.anchor", f"anchors ('&{event.anchor}') are not allowed; "
                       "write each value out in full")
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!":
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            self.error(mark, "yaml.tag", f"tags ('{shown}') are not allowed; remove it")
        if depth > MAX_DEPTH:
            self.error(mark, "yaml.too-deep", f"nesting is deeper than {MAX_DEPTH} levels; "
                       "the file's structure is not what this kind of file expects")
            raise _Stop  # what lies deeper is not read: it could take the parser hours
        if isinstance(event, yaml.ScalarEvent):
            value = _scalar(event)
            if isinstance(value, str):
                index = event.start_mark.index if event.start_mark is not None else 0
                self.scalars[loc] = Scalar(mark, index, value)
            return value
        if isinstance(event, yaml.SequenceStartEvent):
            items: list[Any] = []
            for item in self.children(yaml.SequenceEndEvent):
                items.append(self.node(item, (*loc, len(items)), depth + 1))
            return items
        return self.mapping(loc, depth)

    def mapping(self, loc: Loc, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        children = self.children(yaml.MappingEndEvent)
        for key_event in children:
            key_mark = _mark(key_event)
            key = self.key(key_event, key_mark)
            value_event = next(self.events)
            if key is None:
                self.skip(value_event)
                continue
            if key in result or (*loc, key) in self.keys:
                first = self.keys[(*loc, key)]
                self.error(key_mark, "yaml.duplicate-key", f"duplicate key '{key}': it is "
                           f"also on line {first.line}; keep only one of them")
                self.skip(value_event)
                continue
            self.keys[(*loc, key)] = key_mark
            result[key] = self.node(value_event, (*loc, key), depth + 1)
        return result

    def key(self, event: yaml.Event, mark: Mark) -> str | None:
        if not isinstance(event, yaml.ScalarEvent) or event.anchor or event.tag:
            self.error(mark, "yaml.key-type", "keys must be plain field names followed by ':', "
                       "like 'title:'")
            self.skip(event)
            return None
        if not event.style and event.value == "<<":
            self.error(mark, "yaml.merge-key", "merge keys ('<<') are not allowed; write the "
                       "fields out in full")
            return None
        value = _scalar(event)
        if not isinstance(value, str):
            self.error(mark, "yaml.key-type", f"the key '{event.value}' must be a field name, "
                       "not true, false or null")
            return None
        return value

    def children(self, end: type[yaml.Event]) -> Iterator[yaml.Event]:
        for event in self.events:
            if isinstance(event, end):
                return
            yield event

    def skip(self, event: yaml.Event) -> None:
        """Consume the rest of a node whose start event has been read."""
        level = 1 if isinstance(event, yaml.CollectionStartEvent) else 0
        while level:
            nxt = next(self.events)
            if isinstance(nxt, yaml.CollectionStartEvent):
                level += 1
            elif isinstance(nxt, yaml.CollectionEndEvent):
                level -= 1


_FAST_PARSER: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser, or PyYAML's where libyaml is missing."""
_SLOW_PATH = re.compile("[\t\x85\u2028\u2029\ufeff]")
"""Characters on which libyaml and PyYAML disagree (tabs, Unicode line breaks, inner BOMs)."""


SLOW_PARSE_LIMIT = 100_000
"""Files up to this size that libyaml refuses are parsed again by PyYAML's parser, for its
wording; a larger file would take it seconds, so libyaml's own message is given."""


def _build(display: str, text: str) -> tuple[_Builder, Any]:
    """The file read into data, from libyaml's events where it reads as PyYAML's parser does
    (thirty times faster).

    PyYAML's pure-Python parser words the syntax errors that the hints above explain, so a
    small file that libyaml refuses is read again by it, as is a small file with characters
    the two parsers read differently, and a file with a control character (PyYAML's reader
    reports its position before parsing anything). Events are read as the data is built, so
    that a file refused for its depth or size is not parsed to its end.
    """
    small = len(text) <= SLOW_PARSE_LIMIT
    first = _FAST_PARSER
    if yaml.reader.Reader.NON_PRINTABLE.search(text) or (small and _SLOW_PATH.search(text)):
        first = yaml.SafeLoader
    try:
        return _built(display, text, first)
    except yaml.MarkedYAMLError:
        if first is yaml.SafeLoader:
            raise
    return _built(display, text, yaml.SafeLoader)


def _built(display: str, text: str, loader: type[Any]) -> tuple[_Builder, Any]:
    builder = _Builder(display, text)
    try:
        return builder, builder.build(loader)
    except _Stop:
        return builder, None


def _mark(event: yaml.Event) -> Mark:
    start = event.start_mark
    return Mark(start.line + 1, start.column + 1) if start is not None else Mark(1, 1)


def _scalar(event: yaml.ScalarEvent) -> str | bool | None:
    if not event.style:  # plain: None from PyYAML's parser, '' from libyaml's
        if event.value == "true":
            return True
        if event.value == "false":
            return False
        if event.value in ("", "~", "null"):
            return None
    return str(event.value)
