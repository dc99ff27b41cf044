"""Walk a tree and say what is there: which files each ecosystem claims, grouped into services.

The walk honours ``.gitignore`` files (the root's and nested ones, with git's own pattern rules via
``pathspec``), never enters vendored or generated folders, and groups folders into services: a
service is a folder with a manifest or a Dockerfile, or a folder named in ``steward.toml``. Owners
come from ``steward.toml`` first, then ``CODEOWNERS`` (last matching rule wins, as on GitHub).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pathspec

from steward.config import Settings
from steward.model import Service

#: Folders never entered: dependencies installed in place, virtual environments, VCS metadata.
SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "vendor",
        ".venv",
        "venv",
        "__pycache__",
        ".steward",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".terraform",
    }
)

CODEOWNERS_LOCATIONS = ("CODEOWNERS", ".github/CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS")


def is_dockerfile(name: str) -> bool:
    """``Dockerfile``, ``Dockerfile.prod``, ``api.Dockerfile``, ``Containerfile``."""
    lower = name.lower()
    return (
        lower.startswith("dockerfile") or lower.endswith(".dockerfile") or lower == "containerfile"
    )


@dataclass(frozen=True)
class Claim:
    """The files one ecosystem claimed in one folder."""

    ecosystem: str
    directory: str
    filenames: tuple[str, ...]


@dataclass
class Inventory:
    """What a walk found: claimed files per folder, Dockerfiles, and the services."""

    root: Path
    claims: list[Claim] = field(default_factory=list)
    dockerfiles: list[str] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)
    _by_path: dict[str, str] | None = field(default=None, init=False, repr=False)

    def service_of(self, path: str) -> str:
        """The name of the service owning ``path`` (a folder or file relative to the root)."""
        if self._by_path is None:
            self._by_path = {service.path: service.name for service in self.services}
        probe = path
        while True:
            name = self._by_path.get(probe)
            if name is not None:
                return name
            if probe in (".", ""):
                return _root_name(self.root)
            probe = probe.rpartition("/")[0] or "."


def discover(
    root: Path,
    settings: Settings,
    claimers: Sequence[tuple[str, Callable[[str], bool]]],
) -> Inventory:
    """Walk ``root`` and return its `Inventory`.

    ``claimers`` pairs each ecosystem name with its ``claims(basename)`` predicate.
    """
    inventory = Inventory(root=root)
    extra_ignores = pathspec.GitIgnoreSpec.from_lines(settings.ignore) if settings.ignore else None
    marked: set[str] = set()
    for directory, filenames in _walk(root, extra_ignores):
        for ecosystem, claims in claimers:
            mine = tuple(sorted(name for name in filenames if claims(name)))
            if mine:
                inventory.claims.append(Claim(ecosystem, directory, mine))
                marked.add(directory)
        for name in sorted(filenames):
            if is_dockerfile(name):
                inventory.dockerfiles.append(_join(directory, name))
                marked.add(directory)
    inventory.services = _services(root, settings, marked)
    return inventory


def _walk(root: Path, extra: pathspec.GitIgnoreSpec | None) -> Iterable[tuple[str, list[str]]]:
    """Yield (folder relative to root, file names) for every folder not ignored."""
    stack: list[tuple[str, tuple[tuple[str, pathspec.GitIgnoreSpec], ...]]] = [(".", ())]
    while stack:
        directory, specs = stack.pop()
        absolute = root if directory == "." else root / directory
        try:
            entries = list(os.scandir(absolute))
        except OSError:
            continue
        names = {entry.name for entry in entries}
        if ".gitignore" in names:
            specs = (*specs, (directory, _read_gitignore(absolute / ".gitignore")))
        files: list[str] = []
        subdirs: list[str] = []
        for entry in entries:
            rel = _join(directory, entry.name)
            is_dir = entry.is_dir(follow_symlinks=False)
            if is_dir and entry.name in SKIPPED_DIRS:
                continue
            if _ignored(rel, is_dir, specs, extra) or (not is_dir and _is_special(entry)):
                continue
            (subdirs if is_dir else files).append(entry.name)
        yield directory, files
        for name in sorted(subdirs, reverse=True):
            stack.append((_join(directory, name), specs))


def _is_special(entry: os.DirEntry[str]) -> bool:
    """A FIFO, socket or device, or a link to one: reading it could block or never end.

    A dangling link is not special: it stays, so that reading it is reported with its path.
    """
    if entry.is_file() or entry.is_dir():
        return False
    return not entry.is_symlink() or os.path.exists(entry.path)


def _read_gitignore(path: Path) -> pathspec.GitIgnoreSpec:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        lines = []
    return pathspec.GitIgnoreSpec.from_lines(lines)


def _ignored(
    rel: str,
    is_dir: bool,
    specs: tuple[tuple[str, pathspec.GitIgnoreSpec], ...],
    extra: pathspec.GitIgnoreSpec | None,
) -> bool:
    suffix = "/" if is_dir else ""
    if extra is not None and extra.match_file(rel + suffix):
        return True
    for base, spec in specs:
        local = rel if base == "." else rel[len(base) + 1 :]
        if spec.match_file(local + suffix):
            return True
    return False


def _services(root: Path, settings: Settings, marked: set[str]) -> list[Service]:
    owners = CodeOwners.load(root)
    configured = {PurePosixPath(s.path).as_posix().strip("/") or ".": s for s in settings.services}
    services: list[Service] = []
    for path in sorted(marked | set(configured)):
        conf = configured.get(path)
        if conf is not None:
            services.append(
                Service(
                    name=conf.name,
                    path=path,
                    owners=tuple(conf.owners) or owners.owners_of(path),
                    produces=tuple(conf.produces),
                    consumes=tuple(conf.consumes),
                )
            )
        elif not _inside_configured(path, configured):
            name = _root_name(root) if path == "." else PurePosixPath(path).name
            services.append(Service(name=name, path=path, owners=owners.owners_of(path)))
    return services


def _inside_configured(path: str, configured: Iterable[str]) -> bool:
    """A folder below a configured service belongs to it (``cmd/`` under a Go service)."""
    return any(c != "." and _is_within(path, c) for c in configured)


@dataclass(frozen=True)
class CodeOwners:
    """``CODEOWNERS`` rules, in file order; the last matching rule wins."""

    rules: tuple[tuple[pathspec.GitIgnoreSpec, tuple[str, ...]], ...] = ()

    @classmethod
    def load(cls, root: Path) -> CodeOwners:
        for location in CODEOWNERS_LOCATIONS:
            path = root / location
            if path.is_file():
                return cls.parse(path.read_text(encoding="utf-8", errors="replace"))
        return cls()

    @classmethod
    def parse(cls, text: str) -> CodeOwners:
        rules = []
        for line in text.splitlines():
            fields = line.split("#", 1)[0].split()
            if len(fields) >= 1 and not line.lstrip().startswith("#"):
                rules.append((pathspec.GitIgnoreSpec.from_lines([fields[0]]), tuple(fields[1:])))
        return cls(tuple(rules))

    def owners_of(self, path: str) -> tuple[str, ...]:
        """Owners of a folder: the last rule matching it (as a folder) or a file inside it."""
        probe = "" if path == "." else path + "/"
        found: tuple[str, ...] = ()
        for spec, owners in self.rules:
            if spec.match_file(probe or "./") or spec.match_file(probe + "_"):
                found = owners
        return found


def _join(directory: str, name: str) -> str:
    return name if directory == "." else f"{directory}/{name}"


def _is_within(path: str, folder: str) -> bool:
    return folder == "." or path == folder or path.startswith(folder + "/")


def _root_name(root: Path) -> str:
    return root.resolve().name or "root"
