"""What an image's OS says it has installed: ``os-release`` and the package databases. Pure.

=================================  ===============================================================
``etc/os-release``                 ``ID``, ``VERSION_ID``, ``PRETTY_NAME`` (else
                                   ``usr/lib/os-release``, as systemd reads it)
``var/lib/dpkg/status``            Debian and derivatives: one stanza per package; only packages
                                   whose ``Status`` ends in ``installed``; ``Source: name
                                   (version)`` gives the source package and its version
``var/lib/dpkg/status.d/*``        distroless images: one file of stanzas per package (the
                                   ``*.md5sums`` files beside them are not read)
``lib/apk/db/installed``           Alpine: ``P:`` name, ``V:`` version, ``o:`` origin (the source
                                   package), ``A:`` architecture, one block per package
=================================  ===============================================================

A stanza or block Steward cannot read is a `Problem` with its path and line; the others are
kept. `osv_ecosystem` names the OSV ecosystem of a release (``Debian:12``, ``Alpine:v3.19``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from steward.images.layers import RootFs
from steward.model import Problem
from steward.versioning.apk import ApkVersioning
from steward.versioning.dpkg import DpkgVersioning

OS_RELEASE = ("etc/os-release", "usr/lib/os-release")
DPKG_STATUS = "var/lib/dpkg/status"
DPKG_STATUS_D = "var/lib/dpkg/status.d"
APK_INSTALLED = "lib/apk/db/installed"
_DPKG, _APK = DpkgVersioning(), ApkVersioning()
_SOURCE = re.compile(r"^(?P<name>[^\s(]+)(?:\s*\((?P<version>[^)]+)\))?$")


def wanted(path: str) -> bool:
    """True for the files a layer reader must keep (by name, wherever links put them)."""
    parent, _, base = path.rpartition("/")
    return base in ("os-release", "status", "installed") or (
        parent.endswith("status.d") and not base.endswith(".md5sums")
    )


@dataclass(frozen=True, slots=True)
class OsRelease:
    """The fields of ``os-release`` Steward uses (``""`` when absent)."""

    id: str = ""
    version_id: str = ""
    pretty_name: str = ""
    version_codename: str = ""

    @property
    def label(self) -> str:
        """``PRETTY_NAME``, else ``ID VERSION_ID``."""
        return self.pretty_name or f"{self.id} {self.version_id}".strip()


@dataclass(frozen=True, slots=True)
class OsPackage:
    """One installed package: binary name and version, the source package and its version."""

    name: str
    version: str
    source: str
    source_version: str
    arch: str = ""
    #: ``dpkg`` or ``apk``: the database it came from, and so the version ordering.
    manager: str = "dpkg"


@dataclass(frozen=True)
class Inventory:
    """An image's OS and installed packages, and the database entries that could not be read."""

    os: OsRelease | None
    packages: tuple[OsPackage, ...] = ()
    problems: tuple[Problem, ...] = field(default=())
    #: Which databases were found (``dpkg``, ``dpkg status.d``, ``apk``).
    databases: tuple[str, ...] = ()


def parse_os_release(text: str) -> OsRelease:
    """``KEY=value`` lines, values unquoted as a shell would for the simple cases os-release uses."""
    values: dict[str, str] = {}
    for line in text.splitlines():
        key, equals, value = line.strip().partition("=")
        if not equals or key.startswith("#"):
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key.strip()] = re.sub(r"\\(.)", r"\1", value)
    return OsRelease(
        values.get("ID", "").lower(),
        values.get("VERSION_ID", ""),
        values.get("PRETTY_NAME", ""),
        values.get("VERSION_CODENAME", ""),
    )


def osv_ecosystem(release: OsRelease) -> str | None:
    """The OSV ecosystem of a release (``Debian:12``, ``Alpine:v3.19``), None when OSV has none
    for it (another distribution, Debian testing, Alpine edge)."""
    if release.id == "debian" and re.fullmatch(r"\d+(\.\d+)*", release.version_id):
        return "Debian:" + release.version_id.split(".")[0]
    found = re.fullmatch(r"(\d+)\.(\d+)(\.\d+)?", release.version_id)
    if release.id == "alpine" and found:
        return f"Alpine:v{found[1]}.{found[2]}"
    return None


# --- dpkg -----------------------------------------------------------------------------------


def _stanzas(text: str) -> Iterator[tuple[int, list[tuple[int, str]]]]:
    """Blank-line separated stanzas: (first line number, [(line number, line)])."""
    current: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            current.append((number, line))
        elif current:
            yield current[0][0], current
            current = []
    if current:
        yield current[0][0], current


def _fields(lines: list[tuple[int, str]], path: str) -> tuple[dict[str, str], list[Problem]]:
    """Deb822 fields of one stanza (continuation lines joined); lines that are neither a
    ``Field: value`` nor a continuation are problems."""
    fields: dict[str, str] = {}
    problems: list[Problem] = []
    last = ""
    for number, line in lines:
        if line[0] in " \t":
            if last:
                fields[last] += "\n" + line.strip()
            continue
        name, colon, value = line.partition(":")
        if not colon or not name or " " in name:
            problems.append(Problem(path, number, f"not a 'Field: value' line: {line[:60]!r}"))
            last = ""
            continue
        last = name
        fields[name] = value.strip()
    return fields, problems


def parse_dpkg_status(text: str, path: str) -> tuple[list[OsPackage], list[Problem]]:
    """Installed packages of a dpkg ``status`` file (or one ``status.d`` file)."""
    packages: list[OsPackage] = []
    problems: list[Problem] = []
    for first, lines in _stanzas(text):
        fields, bad = _fields(lines, path)
        problems.extend(bad)
        status = fields.get("Status", "install ok installed").split()
        if status[-1:] != ["installed"]:
            continue
        package = _dpkg_package(fields, path, first)
        if isinstance(package, Problem):
            problems.append(package)
        else:
            packages.append(package)
    return packages, problems


def _dpkg_package(fields: dict[str, str], path: str, line: int) -> OsPackage | Problem:
    name, version = fields.get("Package", ""), fields.get("Version", "")
    if not name or not version:
        return Problem(path, line, "a stanza without Package or Version")
    if not _DPKG.is_valid(version):
        return Problem(path, line, f"{name}: {version!r} is not a Debian version")
    source, source_version = name, version
    written = fields.get("Source", "")
    if written:
        found = _SOURCE.match(written)
        if found is None:
            return Problem(path, line, f"{name}: cannot read Source {written!r}")
        source = found["name"]
        source_version = found["version"] or version
    return OsPackage(name, version, source, source_version, fields.get("Architecture", ""))


# --- apk ------------------------------------------------------------------------------------


def parse_apk_installed(text: str, path: str) -> tuple[list[OsPackage], list[Problem]]:
    """Packages of an apk ``installed`` database (``X:value`` lines, blocks split by a blank
    line)."""
    packages: list[OsPackage] = []
    problems: list[Problem] = []
    for first, lines in _stanzas(text):
        fields: dict[str, str] = {}
        for number, line in lines:
            if len(line) < 2 or line[1] != ":":
                problems.append(Problem(path, number, f"not an 'X:value' line: {line[:60]!r}"))
                continue
            fields.setdefault(line[0], line[2:])
        name, version = fields.get("P", ""), fields.get("V", "")
        if not name or not version:
            problems.append(Problem(path, first, "a package without P: or V:"))
        elif not _APK.is_valid(version):
            problems.append(Problem(path, first, f"{name}: {version!r} is not an apk version"))
        else:
            origin = fields.get("o", "") or name
            packages.append(OsPackage(name, version, origin, version, fields.get("A", ""), "apk"))
    return packages, problems


# --- the whole image ------------------------------------------------------------------------


def inventory(root: RootFs, where: str = "") -> Inventory:
    """The OS release and every installed package of a merged image root.

    ``where`` prefixes problem paths (``image@digest!var/lib/dpkg/status``).
    """
    release = _release(root)
    packages: list[OsPackage] = []
    problems: list[Problem] = []
    databases: list[str] = []
    sources = [(DPKG_STATUS, parse_dpkg_status, "dpkg")]
    sources += [
        (f"{DPKG_STATUS_D}/{name}", parse_dpkg_status, "dpkg status.d")
        for name in root.listdir(DPKG_STATUS_D)
        if not name.endswith(".md5sums")
    ]
    sources.append((APK_INSTALLED, parse_apk_installed, "apk"))
    for path, parser, label in sources:
        content = root.read(path)
        if content is None:
            continue
        found, bad = parser(content.decode("utf-8", errors="replace"), f"{where}!{path}")
        packages.extend(found)
        problems.extend(bad)
        if label not in databases:
            databases.append(label)
    return Inventory(release, tuple(packages), tuple(problems), tuple(databases))


def _release(root: RootFs) -> OsRelease | None:
    for path in OS_RELEASE:
        content = root.read(path)
        if content is not None:
            return parse_os_release(content.decode("utf-8", errors="replace"))
    return None
