"""Public-API diffs on small packages with known breaking and non-breaking changes."""

from __future__ import annotations

from steward.analysis.apidiff import ApiChange, evidence, golang, npm, python
from steward.model import EvidenceKind

PY_OLD = {
    "pkg/__init__.py": "from pkg.core import Thing, run\n\n__all__ = ['Thing', 'run']\n",
    "pkg/core.py": (
        "def run(a, b=1):\n    return a\n\n\n"
        "class Thing:\n    def go(self, x):\n        pass\n\n\n"
        "def helper():\n    pass\n"
    ),
    "pkg/_private.py": "def hidden(a):\n    pass\n",
    "pkg-1.0.dist-info/METADATA": "Name: pkg\n",
}
PY_NEW = {
    "pkg/__init__.py": PY_OLD["pkg/__init__.py"],
    "pkg/core.py": (
        "def run(a, b, c):\n    return a\n\n\n"
        "class Thing:\n    pass\n\n\n"
        "def helper():\n    pass\n\n\ndef added(x=1):\n    pass\n"
    ),
    "pkg/_private.py": "def hidden(a, b):\n    pass\n",
}


def _breaking(changes: list[ApiChange]) -> set[tuple[str, str]]:
    return {(c.symbol, c.change) for c in changes if c.breaking}


def test_python_removed_method_and_required_parameters_break() -> None:
    changes = python.diff(PY_OLD, PY_NEW)
    assert _breaking(changes) == {("pkg.core.run", "changed"), ("pkg.core.Thing.go", "removed")}
    details = " ".join(c.detail for c in changes)
    assert "Parameter was added as required" in details


def test_python_additions_and_private_changes_do_not_break() -> None:
    new = dict(PY_OLD)
    new["pkg/core.py"] = PY_OLD["pkg/core.py"] + "\n\ndef extra(y=2):\n    pass\n"
    new["pkg/_private.py"] = "def hidden():\n    pass\n"
    assert python.diff(PY_OLD, new) == []


def test_python_never_imports_the_package() -> None:
    hostile = {"boom/__init__.py": "raise SystemExit('imported!')\n\ndef f(a):\n    pass\n"}
    changed = {"boom/__init__.py": "raise SystemExit('imported!')\n\ndef f(a, b):\n    pass\n"}
    assert _breaking(python.diff(hostile, changed)) == {("boom.f", "changed")}


GO_OLD = {
    "example.com/m@v1.0.0/go.mod": "module example.com/m\n",
    "example.com/m@v1.0.0/m.go": """package m

func Run(name string, count int) error { return nil }

func (c *Client) Get(url string) (string, error) { return "", nil }

type Client struct {
	Timeout int
	secret  string
}

type Doer interface {
	Do()
}

const (
	Version = "1"
	hidden  = 2
)

var Default, Other int

func private() {}
""",
    "example.com/m@v1.0.0/internal/x/x.go": "package x\n\nfunc Internal() {}\n",
    "example.com/m@v1.0.0/m_test.go": "package m\n\nfunc TestX() {}\n",
    "example.com/m@v1.0.0/sub/sub.go": 'package sub\n\nfunc Join(parts ...string) string { return "" }\n',
}
GO_NEW = {
    "example.com/m@v1.1.0/go.mod": "module example.com/m\n",
    "example.com/m@v1.1.0/m.go": """package m

func Run(n string, c int) error { return nil }

func (c *Client) Get(url string, retries int) (string, error) { return "", nil }

type Client struct {
	Timeout int64
}

type Doer interface {
	Do()
	Undo()
}

const (
	Version = "2"
)

var Default int

func New() *Client { return nil }
""",
    "example.com/m@v1.1.0/sub/sub.go": 'package sub\n\nfunc Join(items ...string) string { return "" }\n',
}


def test_go_surface_keeps_exported_non_internal_declarations() -> None:
    found = golang.surface(golang.strip_zip_prefix(GO_OLD))
    assert found == {
        "Run": "func(string, int) error",
        "Client.Get": "(*Client) func(string) (string, error)",
        "Client": "type struct",
        "Client.Timeout": "field int",
        "Doer": "type interface { Do() }",
        "Version": "const",
        "Default": "var int",
        "Other": "var int",
        "sub.Join": "func(...string) string",
    }


def test_go_breaking_and_non_breaking_changes() -> None:
    changes = golang.diff(golang.strip_zip_prefix(GO_OLD), golang.strip_zip_prefix(GO_NEW))
    assert _breaking(changes) == {
        ("Other", "removed"),
        ("Client.Get", "changed"),
        ("Client.Timeout", "changed"),
        ("Doer", "changed"),
    }
    assert [c.symbol for c in changes if not c.breaking] == ["New"]


NPM_OLD = {
    "package/package.json": '{"name": "lib", "types": "dist/index.d.ts"}',
    "package/dist/index.d.ts": """export declare function run(a: string, b?: number): void;
export interface Options { a: string; b?: number }
export declare class Client {
    constructor(o: Options);
    get(url: string): Promise<string>;
    private secret;
}
export type Id = string;
declare function hidden(): void;
export { hidden as visible };
export * from "./extra";
""",
    "package/dist/extra.d.ts": "export declare function extra(): number;\n",
}
NPM_NEW = {
    "package/package.json": NPM_OLD["package/package.json"],
    "package/dist/index.d.ts": """export declare function run(a: string, b?: number): void;
export interface Options { a: string; b?: number; c?: boolean }
export declare class Client {
    constructor(o: Options);
}
export type Id = number;
export * from "./extra";
""",
    "package/dist/extra.d.ts": NPM_OLD["package/dist/extra.d.ts"],
}


def test_npm_declared_exports_diff() -> None:
    changes = npm.diff(npm.strip_tarball_prefix(NPM_OLD), npm.strip_tarball_prefix(NPM_NEW))
    assert changes is not None
    assert _breaking(changes) == {
        ("Client.get", "removed"),
        ("visible", "removed"),
        ("Id", "changed"),
    }
    assert [c.symbol for c in changes if not c.breaking] == ["Options.c"]


def test_npm_without_declarations_has_no_surface() -> None:
    plain = {"package.json": '{"name": "lib"}', "index.js": "module.exports = {}\n"}
    assert npm.surface(plain) is None
    assert npm.diff(plain, plain) is None


def test_evidence_sums_up_changes() -> None:
    changes = [
        ApiChange("a", "removed"),
        ApiChange("b", "changed", "x → y"),
        ApiChange("c", "added", breaking=False),
    ]
    (piece,) = evidence(changes, "public API of m v1 → v2")
    assert piece.kind is EvidenceKind.API and piece.breaking
    assert piece.summary == "public API: 1 removed, 1 changed (e.g. a removed)"
    assert piece.detail == "removed: a\nchanged: b — x → y"
    (quiet,) = evidence(changes[2:], "s")
    assert not quiet.breaking and quiet.summary == "no breaking public-API change (1 additions)"
