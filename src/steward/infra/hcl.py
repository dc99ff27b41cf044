"""Terraform (HCL2) text → blocks, attributes and expressions that remember where they are.

``python-hcl2`` parses; it does not round-trip text. Its lark parse tree keeps, on every token,
the offset of that token in the original text (``Token.start_pos``/``end_pos``) and its line. This
module turns that tree into small frozen objects whose expressions carry those offsets, so a
caller can (a) read literal values and references, and (b) change one value by splicing new text
into the original at exactly the offsets of its token (`Expr.content_span`): nothing else in the
file moves, comments and alignment included.

Errors::

    InvalidTerraform(ValueError)   a file that does not parse; ``path`` and ``line`` say where
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import hcl2
from lark import Token, Tree
from lark.exceptions import LarkError, UnexpectedInput


class InvalidTerraform(ValueError):
    """A Terraform file that does not parse; ``path`` and ``line`` (1-based, 0: unknown)."""

    def __init__(self, message: str, *, path: str, line: int) -> None:
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")
        self.path = path
        self.line = line
        self.reason = message


@dataclass(frozen=True, slots=True)
class Expr:
    """One expression as written.

    ``kind`` is one of ``string`` (a quoted string without interpolation; ``value`` is its text),
    ``number`` (``value`` is the literal text), ``bool``, ``null``, ``heredoc`` (``value`` is the
    text with the heredoc's indentation removed), ``list`` (``items``), ``object`` (``keys`` and
    ``items``), ``ref`` (``path``: ``("var", "kafka_version")``, ``("data", "aws_subnet", "a",
    "id")``; a string that is exactly one ``${…}`` interpolation is a ref too) or ``other``
    (anything Steward does not evaluate: function calls, conditionals, templates).
    ``start``/``end`` are offsets of the whole expression in the file's text; ``line`` is 1-based.
    """

    kind: str
    text: str
    line: int
    start: int
    end: int
    value: str = ""
    path: tuple[str, ...] = ()
    items: tuple[Expr, ...] = ()
    keys: tuple[str, ...] = ()
    #: For ``string``: the offsets of the text between the quotes (what an edit replaces).
    content_start: int = 0
    content_end: int = 0

    @property
    def content_span(self) -> tuple[int, int]:
        """Offsets of the literal's own text: inside the quotes of a string, else the whole."""
        if self.kind == "string":
            return self.content_start, self.content_end
        return self.start, self.end

    def item(self, key: str) -> Expr | None:
        """The value of ``key`` in an ``object`` expression, or None."""
        for name, item in zip(self.keys, self.items, strict=False):
            if name == key:
                return item
        return None


@dataclass(frozen=True, slots=True)
class Attribute:
    """``name = expr`` inside a block (or at the top of a file)."""

    name: str
    expr: Expr
    line: int


@dataclass(frozen=True, slots=True)
class Block:
    """``type "label" … { … }``: its attributes by name and its nested blocks in order."""

    type: str
    labels: tuple[str, ...]
    attributes: dict[str, Attribute]
    blocks: tuple[Block, ...]
    line: int

    def attr(self, name: str) -> Expr | None:
        """The expression of attribute ``name``, or None."""
        found = self.attributes.get(name)
        return found.expr if found else None

    def children(self, block_type: str) -> list[Block]:
        """Nested blocks of ``block_type``, in order."""
        return [block for block in self.blocks if block.type == block_type]

    def find(self, *path: str) -> Block | None:
        """The first nested block along ``path`` of block types, or None."""
        current: Block | None = self
        for block_type in path:
            found: list[Block] = current.children(block_type) if current else []
            current = found[0] if found else None
        return current


def parse(text: str, path: str) -> list[Block]:
    """The top-level blocks of one ``.tf`` file; raises `InvalidTerraform`."""
    try:
        tree = hcl2.parses_to_tree(text)
    except UnexpectedInput as error:
        raise InvalidTerraform(_first_line(error), path=path, line=error.line) from None
    except (LarkError, ValueError) as error:
        raise InvalidTerraform(_first_line(error), path=path, line=0) from None
    body = _child_tree(tree, "body")
    if body is None:
        return []
    return [_block(node, text) for node in _trees(body, "block")]


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def _block(node: Tree[Any], text: str) -> Block:
    parts = [child for child in node.children if isinstance(child, Tree)]
    kind = _identifier(parts[0])
    labels = tuple(_label(part) for part in parts[1:] if part.data in ("string", "identifier"))
    body = _child_tree(node, "body")
    attributes: dict[str, Attribute] = {}
    blocks: list[Block] = []
    if body is not None:
        for child in body.children:
            if isinstance(child, Tree) and child.data == "attribute":
                attribute = _attribute(child, text)
                attributes[attribute.name] = attribute
            elif isinstance(child, Tree) and child.data == "block":
                blocks.append(_block(child, text))
    return Block(kind, labels, attributes, tuple(blocks), _line(node))


def _attribute(node: Tree[Any], text: str) -> Attribute:
    trees = [child for child in node.children if isinstance(child, Tree)]
    name = _identifier(trees[0])
    return Attribute(name, expression(trees[-1], text), _line(node))


def expression(node: Tree[Any], text: str) -> Expr:
    """The `Expr` of one expression subtree of ``text``'s parse tree."""
    start, end = _span(node)
    written = text[start:end]
    base: dict[str, Any] = {"text": written, "line": _line(node), "start": start, "end": end}
    inner = _unwrap(node)
    kind = inner.data
    if kind == "string":
        return _string(inner, text, base)
    if kind in ("int_lit", "float_lit"):
        return Expr("number", value=written.strip(), **base)
    if kind == "literal_value":
        return Expr("null" if written.strip() == "null" else "bool", value=written.strip(), **base)
    if kind in ("heredoc_template", "heredoc_template_trim"):
        return Expr("heredoc", value=_heredoc(written), **base)
    if kind == "tuple":
        items = tuple(expression(c, text) for c in _expr_children(inner))
        return Expr("list", items=items, **base)
    if kind == "object":
        return _object(inner, text, base)
    if kind in ("get_attr_expr_term", "identifier"):
        return Expr("ref", path=_ref_path(inner), **base)
    return Expr("other", **base)


def _string(node: Tree[Any], text: str, base: dict[str, Any]) -> Expr:
    quotes = [t for t in node.children if isinstance(t, Token) and t.type == "DBLQUOTE"]
    parts = [c for c in node.children if isinstance(c, Tree)]
    interpolations = [p for p in parts if any(isinstance(c, Tree) for c in p.children)]
    if len(parts) == 1 and interpolations:
        inner = next(c for c in parts[0].children if isinstance(c, Tree))
        ref = _child_tree(inner, "expr_term")
        if ref is not None and _unwrap(ref).data in ("get_attr_expr_term", "identifier"):
            return Expr("ref", path=_ref_path(_unwrap(ref)), **base)
    if interpolations or len(quotes) != 2:
        return Expr("other", **base)
    content_start, content_end = quotes[0].end_pos or 0, quotes[1].start_pos or 0
    return Expr(
        "string",
        value=text[content_start:content_end],
        content_start=content_start,
        content_end=content_end,
        **base,
    )


def _object(node: Tree[Any], text: str, base: dict[str, Any]) -> Expr:
    keys: list[str] = []
    items: list[Expr] = []
    for element in _trees(node, "object_elem"):
        key_node, value_node = [c for c in element.children if isinstance(c, Tree)][:2]
        key = expression(next(c for c in key_node.children if isinstance(c, Tree)), text)
        keys.append(key.value if key.kind == "string" else ".".join(key.path) or key.text)
        items.append(expression(value_node, text))
    return Expr("object", keys=tuple(keys), items=tuple(items), **base)


def _heredoc(raw: str) -> str:
    """The body of a heredoc token: no ``<<MARK`` line, no closing mark, ``<<-`` dedented."""
    lines = raw.strip("\n").split("\n")
    body = "\n".join(lines[1:-1]) + "\n" if len(lines) > 2 else ""
    return textwrap.dedent(body) if raw.startswith("<<-") else body


def _ref_path(node: Tree[Any]) -> tuple[str, ...]:
    return tuple(
        str(token)
        for token in node.scan_values(lambda v: isinstance(v, Token) and v.type == "NAME")
    )


def _unwrap(node: Tree[Any]) -> Tree[Any]:
    """Skip ``expr_term`` wrappers (and parentheses) down to the expression's own rule."""
    while node.data == "expr_term":
        trees = [c for c in node.children if isinstance(c, Tree)]
        tokens = [c for c in node.children if isinstance(c, Token)]
        if len(trees) != 1 or any(t.type not in ("LPAR", "RPAR") for t in tokens):
            if not trees and tokens:
                return node
            break
        node = trees[0]
    return node


def _expr_children(node: Tree[Any]) -> Iterator[Tree[Any]]:
    for child in node.children:
        if isinstance(child, Tree) and child.data != "new_line_or_comment":
            yield child


def _identifier(node: Tree[Any]) -> str:
    return str(next(iter(node.scan_values(lambda v: isinstance(v, Token)))))


def _label(node: Tree[Any]) -> str:
    if node.data == "identifier":
        return _identifier(node)
    chars = node.scan_values(lambda v: isinstance(v, Token) and v.type != "DBLQUOTE")
    return "".join(str(t) for t in chars)


def _child_tree(node: Tree[Any], name: str) -> Tree[Any] | None:
    return next((c for c in node.children if isinstance(c, Tree) and c.data == name), None)


def _trees(node: Tree[Any], name: str) -> Iterator[Tree[Any]]:
    return (c for c in node.children if isinstance(c, Tree) and c.data == name)


def _tokens(node: Tree[Any]) -> list[Token]:
    return [
        t
        for t in node.scan_values(lambda v: isinstance(v, Token))
        if t.type != "NL_OR_COMMENT" and t.start_pos is not None
    ]


def _span(node: Tree[Any]) -> tuple[int, int]:
    tokens = _tokens(node)
    if not tokens:
        return 0, 0
    first = min(tokens, key=lambda t: t.start_pos or 0)
    start = first.start_pos or 0
    if first.type == "EQ":  # the EQ token carries the alignment spaces before "="
        start += len(str(first)) - len(str(first).lstrip())
    return start, max(t.end_pos or 0 for t in tokens)


def _line(node: Tree[Any]) -> int:
    tokens = _tokens(node)
    return min((t.line or 0) for t in tokens) if tokens else 0
