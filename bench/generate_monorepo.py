"""Write a synthetic polyglot monorepo for benchmarking ``steward deps``.

Usage::

    python bench/generate_monorepo.py --services 1000 --seed 1 --out /tmp/monorepo

The tree is a pure function of ``--services`` and ``--seed``: every service draws from its own
random generator seeded with ``(seed, index)``, so service 7 is identical whatever ``--services``
says. Each ``services/svc-XXXX/`` holds a ``go.mod``, a ``package.json`` with a consistent
``package-lock.json`` (lockfileVersion 3), one Python manifest (``requirements.txt``, a PEP 621
``pyproject.toml``, or a Poetry ``pyproject.toml`` + ``poetry.lock``, in turn), a multi-stage
``Dockerfile`` and a handful of source files. Some services also carry ``node_modules/``,
``vendor/`` and ``dist/`` folders full of manifests that a scan must skip. The root has a
``.gitignore``, shared Go libraries under ``libs/go/`` and a ``steward.toml`` that configures
nothing.

Nothing here contacts a registry: lock files point at ``https://npm-mirror.invalid/`` and carry no
integrity fields, because a synthetic tree has no real tarballs to hash.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pools
from pools import Package

NPM_MIRROR = "https://npm-mirror.invalid/"
MONOREPO_MODULE = "github.com/acme-events/eventshop"
SHARED_GO_LIBS = ("eventbus", "outbox", "tracing")
#: Every this many services, one carries a populated node_modules/ and dist/ (svc-0001, svc-0041 …)
#: or a vendor/ folder (svc-0021, svc-0061 …) that a scan must skip.
VENDORED_EVERY = 40

Files = dict[str, str]


@dataclass
class Summary:
    """What was written: counts to compare with what a scan reports."""

    services: int = 0
    files: int = 0
    #: Dependencies declared in manifests, by kind (``go``, ``npm``, ``npm-lock``, ``pypi`` …).
    declared: Counter[str] = field(default_factory=Counter)
    #: Files under folders a scan must skip (node_modules/, vendor/, dist/).
    skipped_files: int = 0


# --- versions ---------------------------------------------------------------------------------


def _pick_version(rng: random.Random, package: Package) -> str:
    """A release biased towards the recent end of the history, as real services are."""
    releases = package.releases
    back = int(abs(rng.gauss(0, len(releases) / 4)))
    return releases[max(0, len(releases) - 1 - back)]


def _parts(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.lstrip("v").split("."))


def _earlier_compatible(rng: random.Random, package: Package, locked: str, depth: int) -> str:
    """A release ≤ ``locked`` sharing its first ``depth`` numbers (the base of a ^ or ~ range)."""
    prefix = _parts(locked)[:depth]
    candidates = [v for v in package.releases if _parts(v)[:depth] == prefix]
    candidates = candidates[: candidates.index(locked) + 1]
    return rng.choice(candidates[-4:])


def _caret_depth(version: str) -> int:
    """How many leading numbers a caret range keeps fixed: ^1.2.3 one, ^0.2.3 two, ^0.0.3 three."""
    major, minor = _parts(version)[:2]
    return 1 if major else 2 if minor else 3


def _npm_range(rng: random.Random, package: Package, locked: str) -> str:
    """A range as people write them (^ ~ exact x-range) that ``locked`` satisfies."""
    major, minor = _parts(locked)[:2]
    style = rng.choices(("^", "~", "exact", "x"), weights=(70, 12, 12, 6))[0]
    if style == "^":
        return "^" + _earlier_compatible(rng, package, locked, _caret_depth(locked))
    if style == "~":
        return "~" + _earlier_compatible(rng, package, locked, 2)
    if style == "exact":
        return locked
    return f"{major}.x" if major else f"{major}.{minor}.x"


# --- Go ---------------------------------------------------------------------------------------


def _pseudo_version(module: str, rng: random.Random) -> str:
    """A Go pseudo-version whose timestamp and revision derive from the module path."""
    stamp = f"2024{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 235959):06d}"
    revision = hashlib.sha1(f"{module}@{stamp}".encode()).hexdigest()[:12]
    return f"v0.0.0-{stamp}-{revision}"


@cache
def _public_go_modules() -> tuple[Package, ...]:
    """The pool without the shared libraries, which services only take through a replace."""
    shared = {f"github.com/acme-events/{lib}" for lib in SHARED_GO_LIBS}
    return tuple(m for m in pools.go_modules() if m.name not in shared)


def _go_requires(rng: random.Random, count: int) -> list[tuple[str, str]]:
    modules = rng.sample(_public_go_modules(), count)
    requires = []
    for module in modules:
        if module.releases[0].startswith("v0.") and rng.random() < 0.04:
            version = _pseudo_version(module.name, rng)
        else:
            version = _pick_version(rng, module)
        requires.append((module.name, version))
    return sorted(requires)


def _require_block(requires: list[tuple[str, str]], indirect: bool) -> list[str]:
    suffix = " // indirect" if indirect else ""
    return ["require (", *(f"\t{path} {version}{suffix}" for path, version in requires), ")", ""]


def _replaces(rng: random.Random, direct: list[tuple[str, str]]) -> list[str]:
    """Now and then: a shared library taken from the monorepo, or a public module from a fork."""
    lines = []
    if rng.random() < 0.3:
        lib = rng.choice(SHARED_GO_LIBS)
        direct.append((f"github.com/acme-events/{lib}", "v0.0.0"))
        lines.append(f"replace github.com/acme-events/{lib} => ../../libs/go/{lib}")
    if rng.random() < 0.1:
        path, version = rng.choice(direct[:-1] or direct)
        fork = "github.com/acme-forks/" + path.rsplit("/", 1)[-1]
        lines.append(f"replace {path} => {fork} {version}")
    return lines


def go_mod(rng: random.Random, module: str) -> str:
    """A go.mod with 5–25 requires, some ``// indirect``, and a replace now and then."""
    total = rng.randint(5, 24)  # a shared library replace may add the 25th
    requires = _go_requires(rng, total)
    split = max(1, total * rng.randint(35, 70) // 100)
    direct, indirect = requires[:split], requires[split:]
    replaces = _replaces(rng, direct)
    lines = [f"module {module}", "", f"go 1.{rng.randint(21, 23)}.{rng.randint(0, 9)}", ""]
    if rng.random() < 0.3:
        lines += [f"toolchain go1.23.{rng.randint(0, 4)}", ""]
    lines += _require_block(sorted(direct), indirect=False)
    if indirect:
        lines += _require_block(indirect, indirect=True)
    if replaces:
        lines += [*replaces, ""]
    return "\n".join(lines)


# --- npm --------------------------------------------------------------------------------------


def _tarball(name: str, version: str) -> str:
    return f"{NPM_MIRROR}{name}/-/{name.rsplit('/', 1)[-1]}-{version}.tgz"


@dataclass
class _Lock:
    """A package-lock.json under construction: install path → entry."""

    rng: random.Random
    entries: dict[str, dict[str, object]] = field(default_factory=dict)

    def add(self, package: Package, parent: str, dev: bool, depth: int) -> str:
        """Install ``package`` (hoisted, or nested under ``parent`` on a conflict); its version."""
        hoisted = f"node_modules/{package.name}"
        if hoisted in self.entries and not (parent and self.rng.random() < 0.08):
            return str(self.entries[hoisted]["version"])
        path = hoisted if hoisted not in self.entries else f"{parent}/{hoisted}"
        version = _pick_version(self.rng, package)
        entry: dict[str, object] = {"version": version, "resolved": _tarball(package.name, version)}
        if dev:
            entry["dev"] = True
        entry["license"] = self.rng.choice(("MIT", "MIT", "ISC", "Apache-2.0", "BSD-3-Clause"))
        self.entries[path] = entry
        if depth < 2:
            self._add_children(entry, package, path, dev, depth)
        return version

    def _add_children(
        self, entry: dict[str, object], package: Package, path: str, dev: bool, depth: int
    ) -> None:
        children = [p for p in self.rng.sample(pools.npm_packages(), 4) if p != package]
        children = children[: self.rng.randint(0, 4 - depth)]
        wanted = {}
        for child in children:
            version = self.add(child, path, dev, depth + 1)
            wanted[child.name] = _npm_range(self.rng, child, version)
        if wanted:
            entry["dependencies"] = dict(sorted(wanted.items()))


def _npm_sections(rng: random.Random) -> tuple[list[Package], list[Package]]:
    chosen = rng.sample(pools.npm_packages(), rng.randint(10, 40))
    split = max(1, len(chosen) * rng.randint(45, 75) // 100)
    return chosen[:split], chosen[split:]


def npm_manifests(rng: random.Random, name: str) -> tuple[str, str, int]:
    """package.json and a consistent package-lock.json; also the number of lock entries."""
    prod, dev = _npm_sections(rng)
    lock = _Lock(rng)
    ranges: dict[str, dict[str, str]] = {"dependencies": {}, "devDependencies": {}}
    for section, chosen in (("dependencies", prod), ("devDependencies", dev)):
        for package in chosen:
            version = lock.add(package, "", section == "devDependencies", 0)
            ranges[section][package.name] = _npm_range(rng, package, version)
    deps = dict(sorted(ranges["dependencies"].items()))
    dev_deps = dict(sorted(ranges["devDependencies"].items()))
    manifest = _package_json(name, deps, dev_deps)
    root = {"name": name, "version": "1.0.0", "dependencies": deps, "devDependencies": dev_deps}
    packages = {"": root, **dict(sorted(lock.entries.items()))}
    document = {"name": name, "version": "1.0.0", "lockfileVersion": 3, "requires": True}
    package_lock = json.dumps({**document, "packages": packages}, indent=2) + "\n"
    return manifest, package_lock, len(lock.entries)


def _package_json(name: str, deps: dict[str, str], dev_deps: dict[str, str]) -> str:
    manifest = {
        "name": name,
        "version": "1.0.0",
        "private": True,
        "description": f"Event handlers and HTTP edge of {name}",
        "main": "dist/index.js",
        "scripts": {"build": "tsc -p .", "test": "jest", "lint": "eslint src"},
        "engines": {"node": ">=20"},
        "dependencies": deps,
        "devDependencies": dev_deps,
    }
    return json.dumps(manifest, indent=2) + "\n"


# --- Python -----------------------------------------------------------------------------------


def _pep508_specifier(rng: random.Random, package: Package, version: str) -> str:
    major = _parts(version)[0]
    style = rng.choice((">=", ">=<", "~=", "==", "=="))
    if style == ">=<":
        return f">={version},<{major + 1}"
    if style == "~=":
        return "~=" + ".".join(_earlier_compatible(rng, package, version, 1).split(".")[:2])
    return f"{style}{version}"


def _python_picks(rng: random.Random, low: int, high: int) -> list[tuple[Package, str, str]]:
    """(package, version, extras) triples; extras is ``""`` or like ``[standard]``."""
    picks = rng.sample(pools.pypi_packages(), rng.randint(low, high))
    return sorted(((p, _pick_version(rng, p), _extras(rng, p.name)) for p in picks), key=_first)


#: Extras that projects commonly ask for, by package.
_EXTRAS = {
    "uvicorn": "standard",
    "celery": "redis",
    "httpx": "http2",
    "sqlalchemy": "asyncio",
    "psycopg": "binary",
    "fastapi": "all",
    "confluent-kafka": "avro",
    "pydantic": "email",
    "sentry-sdk": "fastapi",
}


def _extras(rng: random.Random, name: str) -> str:
    return f"[{_EXTRAS[name]}]" if name in _EXTRAS and rng.random() < 0.6 else ""


def _first(item: tuple[Package, str, str]) -> str:
    return item[0].name


def requirements_txt(rng: random.Random, service: str) -> tuple[str, int]:
    """A pinned requirements.txt with comments and an environment marker or two."""
    lines = [f"# Runtime requirements of {service}; pinned, regenerate with pip-compile.", ""]
    picks = _python_picks(rng, 8, 30)
    for package, version, extras in picks:
        marker = ' ; python_version < "3.12"' if rng.random() < 0.05 else ""
        lines.append(f"{package.name}{extras}=={version}{marker}")
    return "\n".join(lines) + "\n", len(picks)


def _toml_list(items: list[str]) -> str:
    return "[\n" + "".join(f'    "{item}",\n' for item in items) + "]"


def pep621_pyproject(rng: random.Random, service: str) -> tuple[str, int]:
    """A setuptools pyproject.toml with [project] dependencies and a ``dev`` extra."""
    runtime = [
        f"{p.name}{extras}{_pep508_specifier(rng, p, v)}"
        for p, v, extras in _python_picks(rng, 6, 20)
    ]
    dev = [f"{p.name}>={v}" for p, v, _ in _python_picks(rng, 2, 8)]
    text = f"""[build-system]
requires = ["setuptools>=69", "wheel"]
build-backend = "setuptools.build_meta"

[project]
name = "{service}"
version = "0.{rng.randint(1, 30)}.0"
description = "Consumers and projections of {service}"
requires-python = ">=3.11"
dependencies = {_toml_list(runtime)}

[project.optional-dependencies]
dev = {_toml_list(dev)}

[tool.ruff]
line-length = 100
"""
    return text, len(runtime) + len(dev)


def _poetry_constraint(rng: random.Random, package: Package, version: str) -> str:
    style = rng.choice(("^", "^", "^", "~", ""))
    if style == "^":
        return "^" + _earlier_compatible(rng, package, version, _caret_depth(version))
    if style == "~":
        return "~" + _earlier_compatible(rng, package, version, 2)
    return version


def _poetry_table(rng: random.Random, picks: list[tuple[Package, str, str]]) -> list[str]:
    lines = []
    for package, version, extras in picks:
        constraint = _poetry_constraint(rng, package, version)
        if extras:
            lines.append(
                f'{package.name} = {{ version = "{constraint}", extras = ["{extras[1:-1]}"] }}'
            )
        else:
            lines.append(f'{package.name} = "{constraint}"')
    return lines


def poetry_project(rng: random.Random, service: str) -> tuple[str, str, int]:
    """A Poetry pyproject.toml, its poetry.lock, and the number of declared dependencies."""
    main = _python_picks(rng, 6, 20)
    names = {p.name for p, _, _ in main}
    dev = [pick for pick in _python_picks(rng, 2, 8) if pick[0].name not in names]
    module = service.replace("-", "_")
    pyproject = "\n".join(
        [
            "[tool.poetry]",
            f'name = "{service}"',
            'version = "0.1.0"',
            f'description = "Workers of {service}"',
            'authors = ["Platform Team <platform@acme.example>"]',
            f'packages = [{{ include = "{module}" }}]',
            "",
            "[tool.poetry.dependencies]",
            'python = "^3.11"',
            *_poetry_table(rng, main),
            "",
            "[tool.poetry.group.dev.dependencies]",
            *_poetry_table(rng, dev),
            "",
            "[build-system]",
            'requires = ["poetry-core>=1.9"]',
            'build-backend = "poetry.core.masonry.api"',
            "",
        ]
    )
    return pyproject, poetry_lock(rng, main, dev, pyproject), len(main) + len(dev)


def poetry_lock(
    rng: random.Random,
    main: list[tuple[Package, str, str]],
    dev: list[tuple[Package, str, str]],
    pyproject: str,
) -> str:
    """A poetry.lock (format 2.0) locking every declared package at its chosen version."""
    blocks = [
        "# Synthetic lock file in Poetry's format, written by bench/generate_monorepo.py.",
        "",
    ]
    for package, version, _ in sorted(main + dev, key=_first):
        blocks += [
            "[[package]]",
            f'name = "{package.name}"',
            f'version = "{version}"',
            'description = ""',
            "optional = false",
            f'python-versions = ">=3.{rng.randint(7, 10)}"',
            "files = []",
            "",
        ]
    content_hash = hashlib.sha256(pyproject.encode()).hexdigest()
    blocks += [
        "[metadata]",
        'lock-version = "2.0"',
        'python-versions = "^3.11"',
        f'content-hash = "{content_hash}"',
        "",
    ]
    return "\n".join(blocks)


# --- Docker and source files ------------------------------------------------------------------


def dockerfile(rng: random.Random, service: str) -> str:
    """A three-stage Dockerfile: Go build, Node assets, distroless runtime."""
    go = f"1.{rng.randint(21, 23)}.{rng.randint(0, 9)}"
    node = rng.choice(("18.20", "20.12", "20.15", "22.3"))
    return f"""# syntax=docker/dockerfile:1.7
ARG GO_VERSION={go}

FROM golang:${{GO_VERSION}}-bookworm AS build
WORKDIR /src
COPY go.mod ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /out/{service} ./cmd/server

FROM node:{node}-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY src ./src
RUN npm run build

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/{service} /usr/local/bin/{service}
COPY --from=assets /app/dist /srv/assets
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/{service}"]
"""


def source_files(service: str) -> Files:
    """A handful of small source files so the walk sees what real services hold."""
    module = service.replace("-", "_")
    handler = f"package handlers\n\n// Handle processes one {service} event.\nfunc Handle(payload []byte) error {{\n\treturn nil\n}}\n"
    return {
        "README.md": f"# {service}\n\nConsumes order events and publishes projections.\n",
        ".dockerignore": "node_modules\ndist\n.venv\n",
        "cmd/server/main.go": 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("ok")\n}\n',
        "internal/handlers/handlers.go": handler,
        "internal/handlers/handlers_test.go": "package handlers\n",
        "src/index.ts": "export function handle(event: unknown): void {\n  void event;\n}\n",
        "src/config.ts": "export const port = Number(process.env.PORT ?? 8080);\n",
        f"{module}/__init__.py": f'"""{service} workers."""\n',
        f"{module}/consumer.py": "def handle(event: dict) -> None:\n    return None\n",
        "tests/test_consumer.py": "def test_nothing() -> None:\n    assert True\n",
        "schemas/order_created.avsc": '{"type": "record", "name": "OrderCreated", "fields": []}\n',
    }


# --- folders a scan must skip -----------------------------------------------------------------


def node_modules(rng: random.Random) -> Files:
    """An installed node_modules/ (and a built dist/) full of manifests that must be skipped."""
    files: Files = {}
    for package in rng.sample(pools.npm_packages(), 15):
        version = _pick_version(rng, package)
        manifest = {
            "name": package.name,
            "version": version,
            "dependencies": {"left-pad": "^1.3.0"},
        }
        files[f"node_modules/{package.name}/package.json"] = json.dumps(manifest, indent=2) + "\n"
        files[f"node_modules/{package.name}/index.js"] = "module.exports = {};\n"
    files["dist/package.json"] = json.dumps({"name": "dist", "dependencies": {"lodash": "^4"}})
    files["dist/index.js"] = "module.exports = {};\n"
    return files


def vendor(rng: random.Random) -> Files:
    """A ``go mod vendor`` folder: modules.txt plus each module's go.mod and a source file."""
    files: Files = {}
    modules = rng.sample(pools.go_modules(), 8)
    listing = [f"# {m.name} {_pick_version(rng, m)}\n## explicit\n" for m in modules]
    files["vendor/modules.txt"] = "".join(listing)
    for module in modules:
        files[f"vendor/{module.name}/go.mod"] = f"module {module.name}\n\ngo 1.20\n"
        files[f"vendor/{module.name}/doc.go"] = "package doc\n"
    return files


# --- the tree ---------------------------------------------------------------------------------


def service_files(seed: int, index: int, summary: Summary) -> Files:
    """Every file of service ``index``, keyed by path relative to the service folder."""
    rng = random.Random(f"{seed}:{index}")
    service = f"svc-{index:04d}"
    package_json, package_lock, lock_entries = npm_manifests(rng, f"@acme/{service}")
    files: Files = {
        "go.mod": go_mod(rng, f"{MONOREPO_MODULE}/services/{service}"),
        "package.json": package_json,
        "package-lock.json": package_lock,
        "Dockerfile": dockerfile(rng, service),
        **_python_files(rng, service, index % 3, summary),
        **source_files(service),
    }
    summary.declared["go"] += sum(1 for line in files["go.mod"].splitlines() if _is_require(line))
    summary.declared["npm"] += len(json.loads(package_json)["dependencies"])
    summary.declared["npm"] += len(json.loads(package_json)["devDependencies"])
    summary.declared["npm-lock"] += lock_entries
    files.update(_skipped_folders(rng, index, summary))
    return files


def _is_require(line: str) -> bool:
    return line.startswith("\t") and not line.startswith("\t//")


def _python_files(rng: random.Random, service: str, kind: int, summary: Summary) -> Files:
    if kind == 0:
        text, count = requirements_txt(rng, service)
        files = {"requirements.txt": text}
    elif kind == 1:
        text, count = pep621_pyproject(rng, service)
        files = {"pyproject.toml": text}
    else:
        pyproject, lock, count = poetry_project(rng, service)
        files = {"pyproject.toml": pyproject, "poetry.lock": lock}
    summary.declared["pypi"] += count
    return files


def _skipped_folders(rng: random.Random, index: int, summary: Summary) -> Files:
    files: Files = {}
    if index % VENDORED_EVERY == 1:
        files.update(node_modules(rng))
    if index % VENDORED_EVERY == 1 + VENDORED_EVERY // 2:
        files.update(vendor(rng))
    summary.skipped_files += len(files)
    return files


GITIGNORE = """# Build output and installed dependencies
node_modules/
vendor/
dist/
build/
coverage/
.venv/
__pycache__/
*.pyc
.steward/
"""

STEWARD_TOML = """# Steward settings for the synthetic monorepo: nothing is configured, every default applies.
"""


def root_files(seed: int) -> Files:
    """The files at the root: .gitignore, steward.toml, a README and the shared Go libraries."""
    rng = random.Random(f"{seed}:root")
    files: Files = {
        ".gitignore": GITIGNORE,
        "steward.toml": STEWARD_TOML,
        "README.md": "# eventshop\n\nA synthetic event-driven monorepo for benchmarks.\n",
    }
    for lib in SHARED_GO_LIBS:
        files[f"libs/go/{lib}/go.mod"] = go_mod(rng, f"github.com/acme-events/{lib}")
        files[f"libs/go/{lib}/{lib}.go"] = f"package {lib}\n"
    return files


def generate(out: Path, services: int, seed: int) -> Summary:
    """Write the tree under ``out`` (created if missing) and say what was written."""
    summary = Summary(services=services)
    _write(out, root_files(seed), summary)
    for index in range(1, services + 1):
        files = service_files(seed, index, summary)
        _write(out / "services" / f"svc-{index:04d}", files, summary)
    return summary


def _write(folder: Path, files: Files, summary: Summary) -> None:
    for relpath, text in files.items():
        path = folder / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    summary.files += len(files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=1000, help="number of services (1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write (must be empty)")
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out} is not empty")
    summary = generate(args.out, args.services, args.seed)
    declared = ", ".join(f"{kind} {count}" for kind, count in sorted(summary.declared.items()))
    print(f"wrote {summary.services} services, {summary.files} files to {args.out}")
    print(f"declared dependencies: {declared}; files in skipped folders: {summary.skipped_files}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
