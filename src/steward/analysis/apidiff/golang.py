"""Go modules: the exported declarations of two module zips, read with the tree-sitter Go grammar.

The surface of a module is every exported package-level function, method (of an exported type),
type, struct field, constant and variable of its non-internal, non-test, non-main packages, keyed
``<package dir>.<Name>`` (``<Name>`` at the module root). Signatures are normalised: parameter names,
which callers never see, are dropped. An interface's whole method set is one signature, so adding
a method to it breaks (implementers stop compiling), as Go's own ``apidiff`` rules say.
"""

from __future__ import annotations

import re

import tree_sitter
import tree_sitter_go

from steward.analysis.apidiff import ApiChange, Files, diff_surfaces

_PARSER = tree_sitter.Parser(tree_sitter.Language(tree_sitter_go.language()))
_SPACE = re.compile(r"\s+")
_SKIPPED_DIRS = frozenset({"internal", "testdata", "vendor"})


def strip_zip_prefix(files: Files) -> dict[str, str]:
    """Module-zip paths (``module@version/dir/file.go``) made relative to the module root."""
    out = {}
    for path, text in files.items():
        marker = path.find("@")
        slash = path.find("/", marker) if marker >= 0 else -1
        out[path[slash + 1 :] if slash >= 0 else path] = text
    return out


def _public_file(path: str) -> bool:
    if not path.endswith(".go") or path.endswith("_test.go"):
        return False
    parts = path.split("/")[:-1]
    return not any(p in _SKIPPED_DIRS or p.startswith((".", "_")) for p in parts)


def surface(files: Files) -> dict[str, str]:
    """Exported symbol → normalised signature for a module's files (module-root-relative)."""
    found: dict[str, str] = {}
    for path, text in sorted(files.items()):
        if not _public_file(path):
            continue
        tree = _PARSER.parse(text.encode("utf-8"))
        root = tree.root_node
        package = next((c for c in root.children if c.type == "package_clause"), None)
        if package is None or _text(package).split()[-1] == "main":
            continue
        prefix = path.rsplit("/", 1)[0] + "." if "/" in path else ""
        for node in root.children:
            for name, signature in _declarations(node):
                found[prefix + name] = signature
    return found


def diff(old: Files, new: Files) -> list[ApiChange]:
    """Changes between two versions' exported declarations (see `diff_surfaces`)."""
    return diff_surfaces(surface(old), surface(new))


def _text(node: tree_sitter.Node | None) -> str:
    if node is None or node.text is None:
        return ""
    return _SPACE.sub(" ", node.text.decode("utf-8", errors="replace")).strip()


def _exported(name: str) -> bool:
    return bool(name) and name[0].isupper()


def _declarations(node: tree_sitter.Node) -> list[tuple[str, str]]:
    if node.type == "function_declaration":
        name = _text(node.child_by_field_name("name"))
        return [(name, _func(node))] if _exported(name) else []
    if node.type == "method_declaration":
        return _method(node)
    if node.type == "type_declaration":
        return [d for spec in node.named_children for d in _type_spec(spec)]
    if node.type in ("const_declaration", "var_declaration"):
        kind = node.type.split("_")[0]
        return [d for spec in node.named_children for d in _value_spec(spec, kind)]
    return []


def _func(node: tree_sitter.Node) -> str:
    params = _param_types(node.child_by_field_name("parameters"))
    result = node.child_by_field_name("result")
    results = _text(result)
    if result is not None and result.type == "parameter_list":
        results = f"({_param_types(result)})"
    generics = _text(node.child_by_field_name("type_parameters"))
    return f"func{generics}({params}) {results}".strip()


def _param_types(node: tree_sitter.Node | None) -> str:
    """Only the types of a parameter list, one per parameter (``a, b int`` → ``int, int``)."""
    if node is None:
        return ""
    types = []
    for declaration in node.named_children:
        kind = _text(declaration.child_by_field_name("type"))
        names = declaration.children_by_field_name("name")
        prefix = "..." if declaration.type == "variadic_parameter_declaration" else ""
        types += [prefix + kind] * max(1, len(names))
    return ", ".join(types)


def _method(node: tree_sitter.Node) -> list[tuple[str, str]]:
    name = _text(node.child_by_field_name("name"))
    receiver = _param_types(node.child_by_field_name("receiver"))
    base = receiver.lstrip("*").split("[", 1)[0].strip()
    if not (_exported(name) and _exported(base)):
        return []
    pointer = "*" if receiver.startswith("*") else ""
    return [(f"{base}.{name}", f"({pointer}{base}) {_func(node)}")]


def _type_spec(spec: tree_sitter.Node) -> list[tuple[str, str]]:
    if spec.type not in ("type_spec", "type_alias"):
        return []
    name = _text(spec.child_by_field_name("name"))
    if not _exported(name):
        return []
    body = spec.child_by_field_name("type")
    generics = _text(spec.child_by_field_name("type_parameters"))
    alias = "= " if spec.type == "type_alias" else ""
    if body is not None and body.type == "struct_type":
        return [(name, f"type{generics} {alias}struct"), *_fields(name, body)]
    if body is not None and body.type == "interface_type":
        methods = sorted(_text(c) for c in body.named_children)
        return [(name, f"type{generics} {alias}interface {{ {'; '.join(methods)} }}")]
    return [(name, f"type{generics} {alias}{_text(body)}")]


def _fields(owner: str, struct: tree_sitter.Node) -> list[tuple[str, str]]:
    found = []
    for field_list in struct.named_children:
        for field in field_list.named_children:
            if field.type != "field_declaration":
                continue
            kind = _text(field.child_by_field_name("type"))
            names = [_text(n) for n in field.children_by_field_name("name")]
            if not names:  # embedded: the type's own name is the field name
                names = [kind.lstrip("*").rsplit(".", 1)[-1].split("[", 1)[0]]
            found += [(f"{owner}.{n}", f"field {kind}") for n in names if _exported(n)]
    return found


def _value_spec(spec: tree_sitter.Node, kind: str) -> list[tuple[str, str]]:
    if spec.type not in ("const_spec", "var_spec"):
        return []
    names = [_text(n) for n in spec.children_by_field_name("name")]
    declared = _text(spec.child_by_field_name("type"))
    signature = f"{kind} {declared}".strip()
    return [(n, signature) for n in names if _exported(n)]
