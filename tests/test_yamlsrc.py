"""The strict YAML loader: what it resolves, what it refuses, where it points."""

from __future__ import annotations

import pytest

from trmgen.sources.strict_yaml import MAX_BYTES, LoadError, Mark, parse_bytes


def codes(raw: bytes) -> list[str]:
    with pytest.raises(LoadError) as caught:
        parse_bytes(raw, "f.yaml")
    return [d.code for d in caught.value.diagnostics]


def test_only_true_false_and_null_are_resolved() -> None:
    doc, warnings = parse_bytes(
        b"country: NO\nyes: on\nnumber: 0123\nday: 2024-05-01\nflag: true\nnone: ~\n"
        b"quoted: 'true'\nfloat: 2.10\n", "f.yaml")
    assert doc.data == {"country": "NO", "yes": "on", "number": "0123", "day": "2024-05-01",
                        "flag": True, "none": None, "quoted": "true", "float": "2.10"}
    assert warnings == []


def test_positions_of_values_and_keys() -> None:
    doc, _ = parse_bytes(b"a:\n  - x: 1\n    y: [p, q]\n", "f.yaml")
    assert doc.mark(("a", 0, "y", 1)) == Mark(3, 12)
    assert doc.mark(("a", 0, "y"), key=True) == Mark(3, 5)
    assert doc.mark(("a", 0, "missing")) == Mark(2, 5)


def test_offset_points_inside_a_literal_block() -> None:
    doc, _ = parse_bytes(b"text: |\n  first line\n  second <b>\n", "f.yaml")
    offset = doc.data["text"].index("<b>")
    assert doc.mark(("text",), offset=offset) == Mark(3, 10)


def test_offset_points_inside_a_quoted_line() -> None:
    doc, _ = parse_bytes(b'title: "a <b>"\n', "f.yaml")
    assert doc.mark(("title",), offset=2) == Mark(1, 11)


def test_duplicate_key_names_both_lines() -> None:
    with pytest.raises(LoadError) as caught:
        parse_bytes(b"a: 1\nb: 2\na: 3\n", "f.yaml")
    (problem,) = caught.value.diagnostics
    assert (problem.line, problem.code) == (3, "yaml.duplicate-key")
    assert "also on line 1" in problem.message


@pytest.mark.parametrize(("raw", "code"), [
    (b"", "yaml.empty"),
    (b"# only a comment\n", "yaml.empty"),
    (b"a: 1\n---\nb: 2\n", "yaml.multiple-documents"),
    (b"a: &x 1\nb: *x\n", "yaml.anchor"),
    (b"base: {a: 1}\nmore:\n  <<: {a: 2}\n", "yaml.merge-key"),
    (b"a: !!python/object:os.system x\n", "yaml.tag"),
    (b"true: 1\n", "yaml.key-type"),
    (b"? [a]\n: 1\n", "yaml.key-type"),
    (b"a:\n\tb: 1\n", "yaml.tab"),
    (b"a: 'open\n", "yaml.syntax"),
    (b"a: caf\xe9\n", "yaml.encoding"),
    (b"\xff\xfea\x00", "yaml.encoding"),
    (b"a: \x07\n", "yaml.control-character"),
])
def test_refused(raw: bytes, code: str) -> None:
    assert code in codes(raw)


def test_byte_order_mark_is_a_warning() -> None:
    doc, warnings = parse_bytes(b"\xef\xbb\xbfa: 1\n", "f.yaml")
    assert doc.data == {"a": "1"}
    assert [w.code for w in warnings] == ["yaml.bom"]


def test_alias_bomb_is_refused_at_once() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [{','.join(['*' + previous] * 9)}]")
    assert codes("\n".join(lines).encode()) == ["yaml.anchor", "yaml.alias"]


def test_deep_nesting_is_refused() -> None:
    assert codes(b"a: " + b"[" * 100 + b"]" * 100 + b"\n") == ["yaml.too-deep"]


def test_size_limit() -> None:
    assert codes(b"# " + b"x" * MAX_BYTES + b"\n") == ["file.too-large"]
