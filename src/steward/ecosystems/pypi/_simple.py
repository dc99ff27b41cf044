"""Index answers → releases: PEP 691 Simple JSON (with PEP 700 fields), PEP 503 HTML and the
legacy JSON API. Pure: the caller fetches, these functions only read what was fetched.

A release's date is the earliest upload time of its files; a release is yanked when every one of
its files is (the reason given, else "yanked"). Files are matched to versions by their file names
(wheel and sdist names through ``packaging``, older formats by the ``<name>-<version>`` prefix).
Versions that are not PEP 440 are left out: they cannot be ordered.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version

from steward.model import Release

_OLD_FORMATS = re.compile(r"\.(tar\.gz|tar\.bz2|tar\.xz|tgz|zip|egg|exe|msi|rpm|dmg)$", re.I)
_PLATFORM_SUFFIX = re.compile(r"[.-](win|linux|macosx|py\d)", re.I)


def file_version(filename: str, project: str) -> Version | None:
    """The version a distribution file of ``project`` carries in its name, or None."""
    try:
        if filename.endswith(".whl"):
            return parse_wheel_filename(filename)[1]
        return parse_sdist_filename(filename)[1]
    except (InvalidWheelFilename, InvalidSdistFilename, InvalidVersion):
        return _old_format_version(filename, project)


def _old_format_version(filename: str, project: str) -> Version | None:
    stem = _OLD_FORMATS.sub("", filename)
    for index, char in enumerate(stem):
        if char == "-" and canonicalize_name(stem[:index], validate=False) == project:
            rest = _PLATFORM_SUFFIX.split(stem[index + 1 :], maxsplit=1)[0]
            try:
                return Version(rest)
            except InvalidVersion:
                return None
    return None


def _time(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _yanked(files: Sequence[Mapping[str, Any]]) -> str | None:
    """The yank reason when every file is yanked (PEP 592), else None."""
    if not files or not all(f.get("yanked") not in (None, False) for f in files):
        return None
    reasons = [f["yanked"] for f in files if isinstance(f.get("yanked"), str) and f["yanked"]]
    return reasons[0] if reasons else "yanked"


def _release(version: str, files: Sequence[Mapping[str, Any]], time_key: str) -> Release:
    times = [t for t in (_time(f.get(time_key)) for f in files) if t is not None]
    return Release(
        version=version,
        published=min(times, default=None),
        yanked=_yanked(files),
        metadata=_requires_python(files),
    )


def _requires_python(files: Sequence[Mapping[str, Any]]) -> tuple[tuple[str, str], ...]:
    """``requires_python`` of a release: the first file's ``requires-python`` (PEP 691) that says one."""
    for file in files:
        value = file.get("requires-python") or file.get("requires_python")
        if isinstance(value, str) and value.strip():
            return (("requires_python", value.strip()),)
    return ()


def _by_version(files: Iterable[Mapping[str, Any]], project: str) -> dict[Version, list[Any]]:
    grouped: dict[Version, list[Any]] = {}
    for file in files:
        name = file.get("filename")
        version = file_version(name, project) if isinstance(name, str) else None
        if version is not None:
            grouped.setdefault(version, []).append(file)
    return grouped


def _sorted(releases: Iterable[Release]) -> tuple[Release, ...]:
    return tuple(sorted(releases, key=lambda r: Version(r.version)))


def _valid(version: object) -> Version | None:
    try:
        return Version(version) if isinstance(version, str) else None
    except InvalidVersion:
        return None


def simple_releases(data: Mapping[str, Any], project: str) -> tuple[Release, ...]:
    """The releases of a PEP 691 project page (``versions`` from PEP 700 when present)."""
    files = data.get("files")
    grouped = _by_version(files if isinstance(files, list) else [], project)
    listed = data.get("versions")
    names = [v for v in listed if isinstance(v, str)] if isinstance(listed, list) else []
    if not names:
        names = [str(v) for v in grouped]
    releases = []
    for name in dict.fromkeys(names):
        version = _valid(name)
        if version is not None:
            releases.append(_release(name, grouped.get(version, []), "upload-time"))
    return _sorted(releases)


def has_upload_times(data: Mapping[str, Any]) -> bool:
    """True when any file of a PEP 691 page carries ``upload-time`` (PEP 700)."""
    files = data.get("files")
    return isinstance(files, list) and any(
        isinstance(f, dict) and f.get("upload-time") for f in files
    )


def project_status(data: Mapping[str, Any]) -> str | None:
    """PEP 792 status other than "active" ("deprecated: reason"), else None."""
    status = data.get("project-status")
    if not isinstance(status, dict) or status.get("status") in (None, "active"):
        return None
    reason = status.get("reason")
    return f"{status['status']}: {reason}" if reason else str(status["status"])


def legacy_releases(data: Mapping[str, Any]) -> tuple[Release, ...]:
    """The releases of a legacy JSON API answer (``/pypi/<name>/json``)."""
    listed = data.get("releases")
    releases = []
    for name, files in (listed if isinstance(listed, dict) else {}).items():
        if _valid(name) is None or not isinstance(files, list):
            continue
        normalised = [
            {**f, "yanked": (f.get("yanked_reason") or True) if f.get("yanked") else False}
            for f in files
            if isinstance(f, dict)
        ]
        key = (
            "upload_time_iso_8601"
            if any("upload_time_iso_8601" in f for f in normalised)
            else "upload_time"
        )
        releases.append(_release(name, normalised, key))
    return _sorted(releases)


def with_dates(releases: Iterable[Release], dated: Iterable[Release]) -> tuple[Release, ...]:
    """``releases`` with the dates (and yanks) ``dated`` knows for the same versions."""
    known = {Version(r.version): r for r in dated}
    merged = []
    for release in releases:
        other = known.get(Version(release.version))
        if other is not None:
            release = Release(
                version=release.version,
                published=release.published or other.published,
                yanked=release.yanked or other.yanked,
            )
        merged.append(release)
    return tuple(merged)


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.files: list[dict[str, Any]] = []
        self._current: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            found = dict(attrs)
            yanked: str | bool = found.get("data-yanked") or ("data-yanked" in found)
            self._current = {"filename": "", "yanked": yanked}

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current["filename"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._current is not None:
            self._current["filename"] = self._current["filename"].strip()
            self.files.append(self._current)
            self._current = None


def html_page(text: str) -> dict[str, Any]:
    """A PEP 503 HTML project page as the PEP 691 structure (files only, no upload times)."""
    parser = _Anchors()
    parser.feed(text)
    return {"files": parser.files}
