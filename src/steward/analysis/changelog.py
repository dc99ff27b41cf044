"""Release notes between two versions, and the breaking-change evidence they give. Pure: text in.

`slice_notes` reads a changelog's version headings and keeps the sections after ``current`` up to
and including ``candidate``, by the ecosystem's own version ordering, so a file written newest
first, oldest first, or in release-date order across major lines (chi's v1.5 after v4) is cut
the same way. Headings it reads::

    ## [1.2.3] - 2024-01-01          Keep a Changelog (also ``## [1.2.3](compare-link) (date)``)
    ## v1.2.3 / # Release 1.2.3      Markdown ATX headings, any level; "Version", a package name
                                     or ``name@1.2.3`` may come first
    1.2.3 (2024-01-01)               a line holding only a version and a date or parenthesis
    1.2.3 / 2024-01-01               (History.md, NEWS files)
    1.2.3                            Setext underlines (``===``, ``---``) and reStructuredText
    -----                            sections (any punctuation underline, with or without overline)

A section ends at the next version heading, or at a heading of the same family (ATX or underline)
whose level is the same or higher (``## [Unreleased]``, ``# Older releases``). Headings inside
fenced code blocks are ignored. Keep a Changelog link definitions (``[1.2.3]: https://…``) are
dropped from the text.

`evidence` then reads the slice for the catalogue `RULES`: announced breaking changes, removals,
renames, "no longer", dropped support, a raised minimum Go/Python/Node version, deprecations
(the last informs without warning). Items under a heading such as ``### BREAKING CHANGES`` or
``### Removed`` are evidence of that rule whatever their wording.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from steward.model import Evidence, EvidenceKind
from steward.versioning.interface import InvalidVersion, Versioning

# --- headings ------------------------------------------------------------------------------------

#: A version as changelogs write it: at least major.minor, then a pre-release, post or build part.
_TOKEN = r"v?\d+(?:\.\d+)+(?:[-.]?[0-9A-Za-z]+(?:[.-][0-9A-Za-z]+)*)?(?:\+[0-9A-Za-z.-]+)?"
_END = r"(?=$|[\s()\[\],:;/–—*`_]|-\s|\.\s|\.$)"
#: A heading's text: an optional leading word (a package name), "release"/"version", ``name@``.
_HEADING = re.compile(
    rf"^(?:(?P<word>[^\s\d][^\s]*)\s+)?(?:(?:release|version|ver\.?)\s*)?(?:\S*@)?(?P<v>{_TOKEN}){_END}",
    re.IGNORECASE,
)
_DATE = r"(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\s+\w+\s+\d{4}|\w+\s+\d{1,2},?\s+\d{4}|unreleased)"
#: A plain line read as a heading: only a version, with a date or a parenthesis after it.
_PLAIN = re.compile(
    rf"^(?:(?:release|version)\s+)?(?:\S*@)?(?P<v>{_TOKEN})"
    rf"(?:\s*(?:[-/–—:,]\s*)?(?:\(.*\)|\[.*\]|{_DATE}.*))?\s*:?$",
    re.IGNORECASE,
)
_PLAIN_START = re.compile(r"(?:\[?v?\d|release\s|version\s|\S*@)", re.IGNORECASE)
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_UNDERLINE = re.compile(r"^([=\-~^\"'`*+#_:.<>])\1{2,}[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S+\s*$")
_BRACKETS = re.compile(r"[\[\]*`]|__")
_ANCHOR = re.compile(r"<a\s+[^>]*>\s*</a>", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading of a changelog: where it starts, its family and level, its version if any.

    ``family`` is ``"atx"`` (``#`` headings, level = number of ``#``), ``"underline"`` (Setext
    and reStructuredText, level = order of first appearance of the underline style) or
    ``"plain"`` (a line holding only a version). ``first`` and ``body`` are 0-based line indexes:
    the heading's first line (an overline, if any) and the first line after it.
    """

    first: int
    body: int
    family: str
    level: int
    title: str
    version: str | None


@dataclass(frozen=True, slots=True)
class NotesSection:
    """One version's entry: the version as its heading writes it, the heading, 1-based line, text."""

    version: str
    heading: str
    line: int
    text: str


@dataclass(frozen=True, slots=True)
class NotesSlice:
    """The release notes after ``current`` up to and including ``candidate``.

    ``text`` is the kept sections as written, in file order; ``versions`` their versions, newest
    first; ``source`` names the document (a file name, "releases of owner/repo"). ``newest`` is the
    newest version the document describes at all, and ``has_candidate`` whether it has an entry
    for ``candidate`` itself (a changelog that stopped being kept has none).
    """

    text: str
    versions: tuple[str, ...]
    source: str
    sections: tuple[NotesSection, ...] = ()
    current: str = ""
    candidate: str = ""
    newest: str | None = None
    has_candidate: bool = False


def headings(lines: Sequence[str], versioning: Versioning) -> list[Heading]:
    """Every heading of a changelog's ``lines`` (fenced code skipped), with versions read."""
    found: list[Heading] = []
    styles: list[tuple[str, bool]] = []
    fenced = False
    index = 0
    while index < len(lines):
        line = lines[index]
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced:
            heading = _heading_at(lines, index, styles, versioning)
            if heading is not None:
                found.append(heading)
                index = heading.body
                continue
        index += 1
    return found


def _heading_at(
    lines: Sequence[str], index: int, styles: list[tuple[str, bool]], versioning: Versioning
) -> Heading | None:
    line = lines[index]
    atx = _ATX.match(line)
    if atx:
        title = atx.group(2) or ""
        version = heading_version(title, versioning)
        return Heading(index, index + 1, "atx", len(atx.group(1)), title.strip(), version)
    if not line.strip() or line[0].isspace() or _UNDERLINE.match(line):
        return None
    below = lines[index + 1] if index + 1 < len(lines) else ""
    underline = _UNDERLINE.match(below)
    if underline and len(below.rstrip()) >= min(3, len(line.rstrip())):
        return _underlined(lines, index, underline.group(1), styles, versioning)
    plain = _PLAIN.match(_clean(line)) if _PLAIN_START.match(line) else None
    if plain and not line.lstrip().startswith(("-", "*", "+")):
        version = _readable(plain.group("v"), versioning)
        if version is not None:
            return Heading(index, index + 1, "plain", 0, line.strip(), version)
    return None


def _underlined(
    lines: Sequence[str],
    index: int,
    char: str,
    styles: list[tuple[str, bool]],
    versioning: Versioning,
) -> Heading:
    above = lines[index - 1] if index > 0 else ""
    overlined = bool(_UNDERLINE.match(above)) and above.strip()[0] == char
    style = (char, overlined)
    if style not in styles:
        styles.append(style)
    title = lines[index].strip()
    first = index - 1 if overlined else index
    level = styles.index(style) + 1
    return Heading(first, index + 2, "underline", level, title, heading_version(title, versioning))


def heading_version(title: str, versioning: Versioning) -> str | None:
    """The version a heading's text names (as ``versioning`` spells it), or None."""
    found = _HEADING.match(_clean(title))
    if found is None:
        return None
    return _readable(found.group("v"), versioning)


def _clean(title: str) -> str:
    """Heading text without links, brackets, emphasis and anchors."""
    text = _ANCHOR.sub("", title)
    text = _LINK.sub(r"\1", text)
    return _BRACKETS.sub("", text).strip()


def _readable(token: str, versioning: Versioning) -> str | None:
    """``token`` as a valid version of ``versioning`` (``v`` added or dropped, tail trimmed)."""
    while token:
        for spelling in _spellings(token):
            if versioning.is_valid(spelling):
                return spelling
        shorter = re.sub(r"[-.+][0-9A-Za-z]*$", "", token)
        if shorter == token or "." not in shorter:
            return None
        token = shorter
    return None


def _spellings(token: str) -> Iterator[str]:
    bare = token[1:] if token[:1] in "vV" else token
    yield token
    yield bare
    yield "v" + bare
    if bare.count(".") == 1 and re.fullmatch(r"\d+\.\d+", bare):
        yield bare + ".0"
        yield "v" + bare + ".0"


# --- slicing -------------------------------------------------------------------------------------


def sections(text: str, versioning: Versioning) -> list[NotesSection]:
    """Every version section of a changelog, in file order."""
    lines = text.splitlines()
    found = headings(lines, versioning)
    out: list[NotesSection] = []
    for position, heading in enumerate(found):
        if heading.version is None:
            continue
        end = _section_end(found, position, len(lines))
        body = [line for line in lines[heading.first : end] if not _LINK_DEFINITION.match(line)]
        text_of = "\n".join(body).strip("\n")
        out.append(NotesSection(heading.version, heading.title, heading.first + 1, text_of))
    return out


def _section_end(found: Sequence[Heading], position: int, default: int) -> int:
    """Where the section of ``found[position]`` ends: the next heading that closes it."""
    opened = found[position]
    for heading in found[position + 1 :]:
        if heading.version is not None:
            return heading.first
        if heading.family == opened.family and heading.level <= opened.level:
            return heading.first
    return default


def slice_notes(
    text: str,
    current: str,
    candidate: str,
    versioning: Versioning,
    *,
    filename: str = "",
) -> NotesSlice | None:
    """The sections after ``current`` up to and including ``candidate``; None without headings.

    Versions are compared with ``versioning`` (a heading's ``1.2.3`` is read as ``v1.2.3`` for Go).
    ``filename`` becomes the slice's ``source``. Raises `InvalidVersion` when ``current`` or
    ``candidate`` is not a version of the scheme.
    """
    for version in (current, candidate):
        if not versioning.is_valid(version):
            raise InvalidVersion(f"{version!r} is not a {versioning.name} version")
    every = sections(text, versioning)
    if not every:
        return None
    low, high = versioning.sort_key(current), versioning.sort_key(candidate)
    kept = [s for s in every if low < versioning.sort_key(s.version) <= high]
    ordered = sorted(kept, key=lambda s: versioning.sort_key(s.version), reverse=True)
    return NotesSlice(
        text="\n\n".join(s.text for s in kept),
        versions=tuple(dict.fromkeys(s.version for s in ordered)),
        source=filename or "release notes",
        sections=tuple(kept),
        current=current,
        candidate=candidate,
        newest=max((s.version for s in every), key=versioning.sort_key),
        has_candidate=any(versioning.sort_key(s.version) == high for s in every),
    )


# --- evidence ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rule:
    """One kind of evidence release notes give: a stable ID, its purpose, what it matches.

    ``pattern`` matches a line of an entry; ``section`` matches a sub-heading (``### Removed``)
    whose items all count. ``breaking`` is False for rules that inform without warning.
    """

    id: str
    purpose: str
    pattern: re.Pattern[str]
    section: re.Pattern[str] | None = None
    breaking: bool = True
    #: A cheap test ``pattern`` cannot match without (keeps the catalogue fast on long notes).
    needs: re.Pattern[str] | None = None

    def matches(self, text: str) -> bool:
        """True when an entry's ``text`` matches this rule's pattern."""
        if self.needs is not None and not self.needs.search(text):
            return False
        return bool(self.pattern.search(text))


_RUNTIME = r"(?:go(?:lang)?|python|node(?:\.?js)?|cpython)"
_NUMBER = r"v?\d+(?:\.\d+)*"
_I = re.IGNORECASE

#: The catalogue, in order of precedence: an item is evidence of the first rule it matches.
RULES: tuple[Rule, ...] = (
    Rule(
        "NOTES_MINIMUM_RUNTIME",
        "the minimum Go, Python or Node version was raised",
        re.compile(
            rf"\b(?:requires?|requiring|needs|minimum|min\.?|at\s+least|bump(?:ed|s)?|raised?|"
            rf"upgraded?)\b[^.;\n]{{0,40}}?\b{_RUNTIME}\s*(?:version\s*)?(?:>=|≥|v)?\s*{_NUMBER}"
            rf"|\b{_RUNTIME}\s*(?:>=|≥)\s*{_NUMBER}|\b{_RUNTIME}\s+{_NUMBER}\+"
            rf"|\b(?:python_requires|requires-python|engines\.node)\b"
            rf"|\bminimum\s+(?:supported\s+)?{_RUNTIME}\s+version",
            _I,
        ),
        needs=re.compile(
            r"\b(?:go|golang|python|node|nodejs|cpython|engines)\b|python_requires", _I
        ),
    ),
    Rule(
        "NOTES_DROPPED_SUPPORT",
        "support for something (a runtime, a platform, a version) was dropped",
        re.compile(
            r"\b(?:drop(?:ped|s|ping)?|remov(?:ed|es|ing)|end(?:ed|s)?|deprecated)\s+"
            r"(?:the\s+)?(?:support|compatibility)\b"
            r"|\bsupport\s+for\s+[^.;\n]{1,60}\b(?:was|has\s+been|is)\s+(?:dropped|removed)"
            r"|\bno\s+longer\s+support(?:s|ed)?\b",
            _I,
        ),
        section=re.compile(r"\bdropped\b|\bend\s+of\s+support\b", _I),
    ),
    Rule(
        "NOTES_BREAKING",
        "the notes announce a breaking or incompatible change",
        re.compile(
            r"(?<!non-)(?<!non )(?<!not )(?<!no )\bbreaking\b|\bbreaks?\b(?!\s+(?:out|down))"
            r"|(?<!\bnot )\bbackwards?[- ]incompatib|(?<!\bnot )\bincompatible\b",
            _I,
        ),
        section=re.compile(
            r"(?<!non-)(?<!non )\bbreaking\b|\bincompatib|\bupgrad\w*\s+notes?\b", _I
        ),
        needs=re.compile(r"break|incompatib", _I),
    ),
    Rule(
        "NOTES_ACTION_REQUIRED",
        "the notes ask users to change their code or configuration",
        re.compile(
            r"\b(?:you|users?)\b(?:[\s,]+[\w-]+){0,6}?[\s,]+(?:must|need\s+to|have\s+to)\b"
            r"|\bplease\s+(?:update|change|migrate)\s+your\b|\bmigration\s+guide\b",
            _I,
        ),
        section=re.compile(r"\bmigrat\w*\b|\baction\s+required\b", _I),
    ),
    Rule(
        "NOTES_RENAMED",
        "something public was renamed or moved",
        re.compile(
            r"\brenam(?:ed|es|ing)?\b|\bmoved\s+(?:to|from|into)\b"
            r"|^mov(?:e|ed|es)\s+\S+(?:\s+\S+){0,3}?\s+(?:to|into)\b",
            _I,
        ),
        section=re.compile(r"\brenamed\b", _I),
    ),
    Rule(
        "NOTES_REMOVED",
        "something was removed",
        re.compile(r"(?<!will be )(?<!to be )\bremov(?:ed|es|ing|al)\b|\bdeleted\b", _I),
        section=re.compile(r"^\W*removed?\W*$|\bremovals?\b", _I),
    ),
    Rule(
        "NOTES_NO_LONGER",
        "a behaviour is no longer what it was",
        re.compile(r"\bno\s+longer\b|\bnot\s+anymore\b", _I),
    ),
    Rule(
        "NOTES_DEPRECATED",
        "something was deprecated (it still works, for now)",
        re.compile(r"\bdeprecat\w*", _I),
        section=re.compile(r"\bdeprecat", _I),
        breaking=False,
    ),
)
_BY_ID = {rule.id: rule for rule in RULES}
#: Every word stem some rule's ``pattern`` needs: an entry without one matches no rule (fast path).
_KEYWORDS = re.compile(
    r"break|compatib|remov|delet|renam|mov|longer|anymore|support|deprecat|go|python|node|"
    r"engines|must|need|have\s+to|please|migrat",
    _I,
)
_BULLET = re.compile(r"^(\s*)(?:[-*+•]|\d+[.)])\s+")
_MAX_QUOTE = 400


@dataclass(frozen=True, slots=True)
class _Item:
    """One logical entry of a section: a bullet with its continuation lines, or a paragraph."""

    line: int
    text: str
    under: str


def classify(text: str, under: str = "") -> Rule | None:
    """The first rule of `RULES` that ``text`` (an entry, under sub-heading ``under``) matches."""
    for rule in RULES if _KEYWORDS.search(text) else ():
        if rule.matches(text):
            return rule
    for rule in RULES:
        if rule.section is not None and under and rule.section.search(under):
            return rule
    return None


def evidence(slice: NotesSlice) -> list[Evidence]:
    """Breaking-change evidence from the entries of ``slice``, one per matching entry.

    Each quotes its entry in ``detail`` and names the document, version and line in ``source``.
    A slice without entries, or one whose document stops before ``candidate``, gives one
    non-breaking piece saying so.
    """
    found = [piece for section in slice.sections for piece in _section_evidence(slice, section)]
    gap = _gap(slice)
    return [*found, *([gap] if gap is not None else [])]


def _section_evidence(slice: NotesSlice, section: NotesSection) -> Iterator[Evidence]:
    for item in _items(section):
        rule = classify(item.text, item.under)
        if rule is None:
            continue
        yield Evidence(
            kind=EvidenceKind.NOTES,
            source=f"{slice.source}, {section.version} (line {item.line})",
            summary=f"{section.version}: {rule.purpose} [{rule.id}]",
            detail=_quote(item.text),
            breaking=rule.breaking,
        )


def _gap(slice: NotesSlice) -> Evidence | None:
    """A non-breaking note when the document says nothing of some versions in the range."""
    span = f"after {slice.current} up to {slice.candidate}"
    if not slice.sections:
        newest = f"; its newest entry is {slice.newest}" if slice.newest else ""
        summary = f"{slice.source} has no entry {span}{newest}"
    elif not slice.has_candidate:
        summary = (
            f"{slice.source} stops at {slice.newest}: {slice.candidate} and the versions "
            f"after {slice.newest} have no entry"
        )
    else:
        return None
    return Evidence(EvidenceKind.NOTES, slice.source, summary, breaking=False)


def _items(section: NotesSection) -> Iterator[_Item]:
    """The entries of a section (its heading excluded), each with the sub-heading above it."""
    lines = section.text.splitlines()
    under = ""
    current: list[str] = []
    start = 0
    for offset, line in enumerate(lines[1:], start=1):
        title = _subheading(lines, offset)
        fresh = title is not None or not line.strip() or bool(_BULLET.match(line))
        if fresh and current:
            yield _Item(section.line + start, " ".join(current), under)
            current = []
        if title is not None:
            under = title
        elif line.strip() and not _UNDERLINE.match(line):
            if not current:
                start = offset
            current.append(_BULLET.sub("", line).strip())
    if current:
        yield _Item(section.line + start, " ".join(current), under)


def _subheading(lines: Sequence[str], index: int) -> str | None:
    """The text of a sub-heading at ``lines[index]`` (ATX, or underlined on the next line)."""
    atx = _ATX.match(lines[index])
    if atx:
        return _clean(atx.group(2) or "")
    below = lines[index + 1] if index + 1 < len(lines) else ""
    if lines[index].strip() and not lines[index][0].isspace() and _UNDERLINE.match(below):
        return _clean(lines[index])
    bold = re.fullmatch(r"\s*(?:\*\*|__)(.+?)(?:\*\*|__):?\s*", lines[index])
    return bold.group(1).strip() if bold else None


def _quote(text: str) -> str:
    return text if len(text) <= _MAX_QUOTE else text[: _MAX_QUOTE - 1].rstrip() + "…"


def rule(rule_id: str) -> Rule:
    """The rule of `RULES` with ID ``rule_id``; raises KeyError for an unknown ID."""
    return _BY_ID[rule_id]


# --- where notes live in an archive --------------------------------------------------------------

#: Base names of release-notes files, most telling first (compared case-insensitively, any suffix
#: among ``.md``, ``.markdown``, ``.rst``, ``.txt`` or none).
NOTES_FILES = (
    "changelog",
    "changes",
    "history",
    "news",
    "releases",
    "release-notes",
    "release_notes",
    "whatsnew",
)
_SUFFIXES = ("", ".md", ".markdown", ".rst", ".txt", ".adoc")


def notes_files(names: Sequence[str], root: str = "") -> list[str]:
    """Names of release-notes files among archive member ``names``, best first.

    Files directly under ``root`` (e.g. ``package/``, ``mod@v1.2.3/``) come before those in a
    ``docs/``/``doc/`` folder below it; other places are not searched.
    """
    ranked: list[tuple[int, int, str]] = []
    for name in names:
        if not name.startswith(root):
            continue
        rest = name[len(root) :]
        folder, _, base = rest.rpartition("/")
        if folder.lower() not in ("", "doc", "docs"):
            continue
        stem, suffix = _split_suffix(base.lower())
        if stem in NOTES_FILES and suffix in _SUFFIXES:
            ranked.append((int(bool(folder)), NOTES_FILES.index(stem), name))
    return [name for *_, name in sorted(ranked)]


def _split_suffix(base: str) -> tuple[str, str]:
    for suffix in sorted(_SUFFIXES, key=len, reverse=True):
        if suffix and base.endswith(suffix):
            return base[: -len(suffix)], suffix
    return base, ""


def tag_version(tag: str, versioning: Versioning, package: str = "") -> str | None:
    """The version a release tag names (``v1.2.3``, ``release-1.2.3``, ``pkg@1.2.3``), or None.

    A monorepo tag ``other@1.2.3`` naming a package other than ``package`` gives None.
    """
    prefix, at, _ = tag.rpartition("@")
    if at and package and prefix and prefix != package:
        return None
    found = re.search(_TOKEN, tag)
    return _readable(found.group(0), versioning) if found else None
