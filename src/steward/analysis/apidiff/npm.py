"""npm packages: the exports of the ``.d.ts`` type declarations a package ships.

The entry is ``types`` / ``typings`` of ``package.json`` (else ``index.d.ts``); ``export * from``
and ``export { … } from`` follow relative paths inside the package. Declarations are read with the
tree-sitter TypeScript grammar. Each export is a symbol (``default`` for the default export); a
class's or interface's public members are symbols of their own (``Client.get``), so a removed
method or a changed signature is seen. A package without declarations has no surface: the caller
says "no type declarations shipped".
"""

from __future__ import annotations

import json
import posixpath
import re

import tree_sitter
import tree_sitter_typescript

from steward.analysis.apidiff import ApiChange, Files, diff_surfaces

_PARSER = tree_sitter.Parser(tree_sitter.Language(tree_sitter_typescript.language_typescript()))
_SPACE = re.compile(r"\s+")
_NAMED = {
    "function_signature",
    "function_declaration",
    "class_declaration",
    "abstract_class_declaration",
    "interface_declaration",
    "type_alias_declaration",
    "enum_declaration",
    "lexical_declaration",
    "variable_declaration",
    "module",
    "internal_module",
}
#: How deep ``export * from`` chains are followed.
MAX_DEPTH = 8


def strip_tarball_prefix(files: Files) -> dict[str, str]:
    """Tarball paths (``package/index.d.ts``) made relative to the package root."""
    return {path.split("/", 1)[1] if "/" in path else path: text for path, text in files.items()}


def entry(files: Files) -> str | None:
    """The declaration file a package's ``package.json`` names, else ``index.d.ts``; None if absent."""
    try:
        manifest = json.loads(files.get("package.json", "{}"))
    except json.JSONDecodeError:
        manifest = {}
    named = manifest.get("types") or manifest.get("typings") if isinstance(manifest, dict) else None
    for candidate in (named, "index.d.ts"):
        if isinstance(candidate, str):
            found = _resolve(files, "", candidate)
            if found is not None:
                return found
    return None


def _resolve(files: Files, directory: str, target: str) -> str | None:
    base = posixpath.normpath(posixpath.join(directory, target)).removeprefix("./")
    stem = re.sub(r"\.(d\.ts|js|mjs|cjs|ts)$", "", base)
    for option in (base, f"{stem}.d.ts", f"{stem}/index.d.ts"):
        if option in files and option.endswith(".d.ts"):
            return option
    return None


def surface(files: Files) -> dict[str, str] | None:
    """Exported symbol → normalised declaration text; None when no declarations are shipped."""
    start = entry(files)
    if start is None:
        return None
    found: dict[str, str] = {}
    _collect(files, start, found, set(), 0)
    return found


def diff(old: Files, new: Files) -> list[ApiChange] | None:
    """Changes between two versions' declared exports; None when either ships no declarations."""
    before, after = surface(old), surface(new)
    if before is None or after is None:
        return None
    return diff_surfaces(before, after)


def _collect(files: Files, path: str, found: dict[str, str], seen: set[str], depth: int) -> None:
    if path in seen or depth > MAX_DEPTH:
        return
    seen.add(path)
    root = _PARSER.parse(files[path].encode("utf-8")).root_node
    local = {name: text for node in root.named_children for name, text in _declared(node)}
    directory = posixpath.dirname(path)
    for node in root.named_children:
        if node.type != "export_statement":
            continue
        source = node.child_by_field_name("source")
        if source is not None:
            target = _resolve(files, directory, _text(source).strip("'\""))
            if target is not None:
                _reexport(files, node, target, found, seen, depth)
            continue
        _export(node, local, found)


def _reexport(
    files: Files,
    node: tree_sitter.Node,
    target: str,
    found: dict[str, str],
    seen: set[str],
    depth: int,
) -> None:
    clause = next((c for c in node.named_children if c.type == "export_clause"), None)
    if clause is None:  # export * from "./x"
        _collect(files, target, found, seen, depth + 1)
        return
    theirs: dict[str, str] = {}
    _collect(files, target, theirs, set(), depth + 1)
    for name, alias in _specifiers(clause):
        for symbol, text in theirs.items():
            if symbol == name or symbol.startswith(name + "."):
                found[alias + symbol[len(name) :]] = text


def _export(node: tree_sitter.Node, local: dict[str, str], found: dict[str, str]) -> None:
    declaration = node.child_by_field_name("declaration")
    if declaration is None:
        declaration = next(
            (c for c in node.named_children if c.type == "ambient_declaration"), None
        )
    if declaration is not None:
        found.update(_declared(declaration))
        return
    clause = next((c for c in node.named_children if c.type == "export_clause"), None)
    if clause is not None:
        for name, alias in _specifiers(clause):
            for symbol, text in local.items():
                if symbol == name or symbol.startswith(name + "."):
                    found[alias + symbol[len(name) :]] = text
        return
    if any(c.type == "default" for c in node.children):
        value = node.child_by_field_name("value")
        if value is None and node.named_children:
            value = node.named_children[-1]
        name = _text(value)
        found["default"] = local.get(name, name)
    elif any(_text(c) == "=" for c in node.children):  # export = Foo
        name = _text(node.named_children[-1]) if node.named_children else ""
        found["export="] = local.get(name, name)
        found.update(
            {f"export={s[len(name) :]}": t for s, t in local.items() if s.startswith(name + ".")}
        )


def _specifiers(clause: tree_sitter.Node) -> list[tuple[str, str]]:
    out = []
    for spec in clause.named_children:
        name = _text(spec.child_by_field_name("name"))
        alias = _text(spec.child_by_field_name("alias")) or name
        out.append((name, alias))
    return out


def _declared(node: tree_sitter.Node) -> list[tuple[str, str]]:
    """(name, text) for a declaration, plus ``Name.member`` for class and interface members."""
    if node.type == "ambient_declaration":
        inner = next((c for c in node.named_children if c.type in _NAMED), None)
        return _declared(inner) if inner is not None else []
    if node.type not in _NAMED:
        return []
    if node.type in ("lexical_declaration", "variable_declaration"):
        return [
            (_text(d.child_by_field_name("name")), _text(d.child_by_field_name("type")) or "const")
            for d in node.named_children
            if d.type == "variable_declarator"
        ]
    name = _text(node.child_by_field_name("name"))
    body = node.child_by_field_name("body")
    if node.type in ("class_declaration", "abstract_class_declaration", "interface_declaration"):
        head = _text(node).split("{", 1)[0].strip()
        return [(name, head), *_members(name, body)]
    return [(name, _text(node).rstrip(";"))]


def _members(owner: str, body: tree_sitter.Node | None) -> list[tuple[str, str]]:
    if body is None:
        return []
    found: list[tuple[str, str]] = []
    for member in body.named_children:
        text = _text(member).rstrip(";,")
        if text.startswith(("private ", "#")) or "comment" in member.type:
            continue
        name = _text(member.child_by_field_name("name"))
        if member.type in ("construct_signature", "method_definition") and not name:
            name = "constructor"
        if name:
            key = f"{owner}.{name}"
            found.append((key, f"{found_text(found, key)}{text}"))
    return found


def found_text(found: list[tuple[str, str]], key: str) -> str:
    """Overloads of one member join into one signature (``a | b``)."""
    previous = [text for name, text in found if name == key]
    return (previous[-1] + " | ") if previous else ""


def _text(node: tree_sitter.Node | None) -> str:
    if node is None or node.text is None:
        return ""
    return _SPACE.sub(" ", node.text.decode("utf-8", errors="replace")).strip()
