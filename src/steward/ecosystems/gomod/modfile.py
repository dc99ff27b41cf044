"""go.mod and go.work text → their directives, read the way ``golang.org/x/mod/modfile`` reads them.

Two layers: `parse_statements` splits the text into statements (one per directive line, block
lines carrying their block's verb, with the comments Go attaches to them) and `parse_mod` /
`parse_work` interpret the statements. Nothing is ever raised for bad input: each problem is a
`SyntaxProblem` (1-based line, message in the go command's words) and reading goes on.

Lexing follows modfile: tokens are quoted strings, the punctuation ``( ) [ ] { } ,`` and runs of any
other printable non-space characters; ``//`` starts a comment to the end of the line; ``/* */`` is
an error. Comments directly before a directive and the comment after it on the same line belong to
it (``// indirect``, a ``retract`` rationale, a ``module`` deprecation).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from steward.versioning.gosemver import canonical, parse
from steward.versioning.interface import InvalidVersion

_PUNCTUATION = "()[]{},"
_GO_STRING = re.compile(
    r'"(?:[^"\\]|\\(?:[abfnrtv\\"]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}))*"'
)
_GO_VERSION = re.compile(r"([1-9][0-9]*)\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?([a-z]+[0-9]+)?")
_TOOLCHAIN = re.compile(r"^local$|(^|-)go1")
_DEPRECATED = re.compile(r"(?s)(?:^|\n\n)Deprecated: *(.*?)(?:$|\n\n)")
_MOD_BLOCKS = frozenset(
    {"module", "require", "exclude", "replace", "retract", "godebug", "tool", "ignore"}
)
_WORK_BLOCKS = frozenset({"use", "replace", "godebug"})


@dataclass(frozen=True, slots=True)
class SyntaxProblem:
    """A line the reader could not accept; the rest of the file is still read."""

    line: int
    message: str


@dataclass(frozen=True, slots=True)
class Statement:
    """One directive: ``verb`` (the block's verb for a line inside a block) and its tokens.

    ``before`` are the comments directly above it, ``suffix`` the comment after it on its line
    (both without ``//``), ``block_comments`` those of the block opener it sits in.
    """

    verb: str
    args: tuple[str, ...]
    line: int
    before: tuple[str, ...] = ()
    suffix: str | None = None
    block_comments: tuple[str, ...] = ()

    @property
    def comment(self) -> str:
        """The directive's comment text as modfile's ``parseDirectiveComment`` joins it."""
        own = (*self.before, *(() if self.suffix is None else (self.suffix,)))
        return "\n".join(c.strip() for c in (own or self.block_comments))

    @property
    def indirect(self) -> bool:
        """True for a ``// indirect`` (or ``// indirect; …``) comment after the directive."""
        words = (self.suffix or "").split()
        return words == ["indirect"] or (len(words) > 1 and words[0] == "indirect;")


@dataclass(frozen=True, slots=True)
class Require:
    """``require path version``; ``written`` is the version as in the file, ``version`` canonical."""

    path: str
    written: str
    version: str
    indirect: bool
    line: int


@dataclass(frozen=True, slots=True)
class Replace:
    """``replace old [old_version] => new [new_version]``; ``new_version`` None for a directory."""

    old_path: str
    old_version: str | None
    new_path: str
    new_version: str | None
    line: int

    @property
    def is_local(self) -> bool:
        return self.new_version is None


@dataclass(frozen=True, slots=True)
class Retract:
    """``retract v`` or ``retract [low, high]`` (closed interval) with the author's rationale."""

    low: str
    high: str
    rationale: str
    line: int


@dataclass(frozen=True, slots=True)
class Pinned:
    """A single-valued directive: ``go``, ``toolchain``, ``exclude``'s module@version, ``use``."""

    value: str
    line: int
    path: str = ""


@dataclass
class ModFile:
    """The directives of one go.mod or go.work file, in file order, and what could not be read."""

    module: str | None = None
    deprecated: str | None = None
    go: Pinned | None = None
    toolchain: Pinned | None = None
    requires: list[Require] = field(default_factory=list)
    excludes: list[Pinned] = field(default_factory=list)
    replaces: list[Replace] = field(default_factory=list)
    retracts: list[Retract] = field(default_factory=list)
    uses: list[Pinned] = field(default_factory=list)
    problems: list[SyntaxProblem] = field(default_factory=list)


class _LexError(ValueError):
    pass


class _DirectiveError(ValueError):
    pass


def _is_ident(char: str) -> bool:
    return char not in " ()[]{}," and not char.isspace() and char.isprintable()


def _quoted_end(text: str, start: int) -> int:
    """Index just past the string literal starting at ``text[start]``."""
    quote, i = text[start], start + 1
    while i < len(text):
        if text[i] == "\\" and quote == '"':
            i += 2
            continue
        if text[i] == quote:
            return i + 1
        i += 1
    raise _LexError("unexpected newline in string")


_IDENT_RUN = re.compile(r"(?:[^\s()\[\]{},/]|/(?![/*]))+")


def _ident_end(text: str, start: int) -> int:
    run = _IDENT_RUN.match(text, start)
    end = run.end() if run else start
    if text[start:end].isprintable() and not text.startswith("/*", end):
        return end  # the common case, at C speed; anything unusual takes the exact loop below
    i = start
    while i < len(text) and _is_ident(text[i]) and not text.startswith("//", i):
        if text.startswith("/*", i):
            raise _LexError("mod files must use // comments, not /* */ comments")
        i += 1
    return i


def lex_line(text: str) -> tuple[list[str], str | None]:
    """The tokens of one line and its ``//`` comment (without the slashes), if any."""
    tokens: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char in " \t\r":
            i += 1
        elif text.startswith("//", i):
            return tokens, text[i + 2 :]
        elif text.startswith("/*", i):
            raise _LexError("mod files must use // comments, not /* */ comments")
        elif char in _PUNCTUATION:
            tokens.append(char)
            i += 1
        else:
            if char in '"`':
                end = _quoted_end(text, i)
            elif _is_ident(char):
                end = _ident_end(text, i)
            else:
                raise _LexError(f"unexpected input character {char!r}")
            tokens.append(text[i:end])
            i = end
    return tokens, None


@dataclass
class _Block:
    verb: str | None  # None: an invalid block whose lines are skipped
    line: int
    comments: tuple[str, ...]


@dataclass
class _Parser:
    block_verbs: frozenset[str]
    statements: list[Statement] = field(default_factory=list)
    problems: list[SyntaxProblem] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    block: _Block | None = None

    def feed(self, number: int, raw: str) -> None:
        try:
            tokens, comment = lex_line(raw)
        except _LexError as error:
            self.problems.append(SyntaxProblem(number, str(error)))
            return
        if not tokens:
            if comment is not None:
                self.pending.append(comment)
            elif self.block is None:
                self.pending.clear()  # a blank line ends a comment paragraph
            return
        if self.block is None:
            self._top_level(number, tokens, comment)
        else:
            self._in_block(self.block, number, tokens, comment)

    def finish(self) -> None:
        if self.block is not None:
            message = f"syntax error (unterminated block started at line {self.block.line})"
            self.problems.append(SyntaxProblem(self.block.line, message))

    def _statement(self, verb: str, args: Sequence[str], number: int, comment: str | None) -> None:
        block_comments = self.block.comments if self.block is not None else ()
        self.statements.append(
            Statement(verb, tuple(args), number, tuple(self.pending), comment, block_comments)
        )
        self.pending.clear()

    def _top_level(self, number: int, tokens: list[str], comment: str | None) -> None:
        """A directive, or a block opener: ``verb (`` or the empty ``verb ()`` at the line end."""
        empty = tokens[-2:] == ["(", ")"]
        if tokens[-1] != "(" and not empty:
            self._statement(tokens[0], tokens[1:], number, comment)
            return
        head = tokens[: -2 if empty else -1]
        verb = head[0] if len(head) == 1 and head[0] in self.block_verbs else None
        if verb is None:
            what = " ".join(head) if head else "("
            self.problems.append(SyntaxProblem(number, f"unknown block type: {what}"))
        if not empty:
            suffix = () if comment is None else (comment,)
            self.block = _Block(verb, number, (*self.pending, *suffix))
        self.pending.clear()

    def _in_block(self, block: _Block, number: int, tokens: list[str], comment: str | None) -> None:
        if tokens[0] == ")":
            if len(tokens) > 1:
                self.problems.append(
                    SyntaxProblem(number, "syntax error (expected newline after closing paren)")
                )
            self.block = None
            self.pending.clear()
        elif block.verb is not None:
            self._statement(block.verb, tokens, number, comment)
        else:
            self.pending.clear()


def parse_statements(
    text: str, block_verbs: Iterable[str]
) -> tuple[list[Statement], list[SyntaxProblem]]:
    """Split a go.mod / go.work text into statements; blocks of other verbs are problems."""
    parser = _Parser(frozenset(block_verbs))
    for number, raw in enumerate(text.split("\n"), start=1):
        parser.feed(number, raw)
    parser.finish()
    return parser.statements, parser.problems


# --- values -------------------------------------------------------------------------------------


def unquote(token: str) -> str:
    """A path or version token: a Go double-quoted string is unquoted, other quotes are errors."""
    if token.startswith('"'):
        if _GO_STRING.fullmatch(token) is None:
            raise _DirectiveError(f"invalid quoted string: {token}")
        value = ast.literal_eval(token)
        assert isinstance(value, str)
        return value
    if any(q in token for q in "\"'`"):
        raise _DirectiveError("invalid quoted string: unquoted string cannot contain quote")
    return token


def _version(verb: str, path: str, token: str) -> str:
    written = unquote(token)
    try:
        return canonical(written)
    except InvalidVersion:
        where = f"{verb} {path}: " if path else f"{verb}: "
        raise _DirectiveError(
            f'{where}version "{written}" invalid: must be of the form v1.2.3'
        ) from None


def split_path_version(path: str) -> tuple[str, str] | None:
    """(prefix, major suffix) of a module path as ``module.SplitPathVersion``; None if invalid.

    ``example.com/x/v2`` → (``example.com/x``, ``/v2``); ``gopkg.in/yaml.v3`` → (…, ``.v3``);
    ``example.com/x`` → (``example.com/x``, ``""``).
    """
    if path.startswith("gopkg.in/"):
        return _split_gopkg_in(path)
    i = len(path)
    while i > 0 and (path[i - 1].isdigit() or path[i - 1] == "."):
        i -= 1
    if i <= 1 or i == len(path) or path[i - 1] != "v" or path[i - 2] != "/":
        return path, ""
    prefix, major = path[: i - 2], path[i - 2 :]
    if "." in major or len(major) <= 2 or major[2] == "0" or major == "/v1":
        return None
    return prefix, major


def _split_gopkg_in(path: str) -> tuple[str, str] | None:
    i = len(path) - (len("-unstable") if path.endswith("-unstable") else 0)
    while i > 0 and path[i - 1].isdigit():
        i -= 1
    if i <= 1 or path[i - 1] != "v" or path[i - 2] != ".":
        return None
    prefix, major = path[: i - 2], path[i - 2 :]
    if len(major) <= 2 or (major[2] == "0" and major != ".v0"):
        return None
    return prefix, major


def check_path_major(path: str, version: str) -> str | None:
    """Why ``version`` cannot belong to module ``path`` (``module.CheckPathMajor``), or None."""
    split = split_path_version(path)
    if split is None:
        return "invalid module path"
    major = split[1].removesuffix("-unstable") if split[1].startswith(".v") else split[1]
    if version.startswith("v0.0.0-") and major == ".v1":
        return None
    parsed = parse(version)
    actual = f"v{parsed.major}"
    if major == "":
        if actual in ("v0", "v1") or parsed.build == "incompatible":
            return None
        return f'version "{version}" invalid: should be v0 or v1, not {actual}'
    if major[1:] == actual:
        return None
    return f'version "{version}" invalid: should be {major[1:]}, not {actual}'


def is_directory_path(path: str) -> bool:
    """True when a replacement names a directory (``./x``, ``../x``, rooted), not a module."""
    return path.startswith(("./", "../", "/", ".\\", "..\\", "\\")) or (
        len(path) >= 2 and path[0].isascii() and path[0].isalpha() and path[1] == ":"
    )


# --- directives ---------------------------------------------------------------------------------


def _module_version(verb: str, args: tuple[str, ...]) -> tuple[str, str, str]:
    """(path, version as written, canonical version) of ``require`` / ``exclude`` arguments."""
    if len(args) != 2:
        raise _DirectiveError(f"usage: {verb} module/path v1.2.3")
    path = unquote(args[0])
    version = _version(verb, path, args[1])
    reason = check_path_major(path, version)
    if reason is not None:
        raise _DirectiveError(f"{verb} {path}: {reason}")
    return path, unquote(args[1]), version


def _replace(statement: Statement) -> Replace:
    args = statement.args
    arrow = 1 if len(args) >= 2 and args[1] == "=>" else 2
    if len(args) < arrow + 2 or len(args) > arrow + 3 or args[arrow] != "=>":
        raise _DirectiveError(
            "usage: replace module/path [v1.2.3] => other/module v1.4"
            " or replace module/path [v1.2.3] => ../local/directory"
        )
    old = unquote(args[0])
    if split_path_version(old) is None:
        raise _DirectiveError(f"replace {old}: invalid module path")
    old_version = None
    if arrow == 2:
        old_version = _version("replace", old, args[1])
        reason = check_path_major(old, old_version)
        if reason is not None:
            raise _DirectiveError(f"replace {old}: {reason}")
    new = unquote(args[arrow + 1])
    if len(args) == arrow + 2:
        return Replace(old, old_version, new, None, statement.line) if _local(new) else _bad(new)
    new_version = _version("replace", new, args[arrow + 2])
    if is_directory_path(new):
        raise _DirectiveError(f'replacement module directory path "{new}" cannot have version')
    return Replace(old, old_version, new, new_version, statement.line)


def _local(new: str) -> bool:
    if not is_directory_path(new):
        return False
    if "\\" in new:
        raise _DirectiveError(
            "replacement directory appears to be Windows path (on a non-windows system)"
        )
    return True


def _bad(new: str) -> Replace:
    if "@" in new:
        raise _DirectiveError(
            "replacement module must match format 'path version', not 'path@version'"
        )
    raise _DirectiveError(
        "replacement module without version must be directory path (rooted or starting with ./ or ../)"
    )


def _retract(statement: Statement) -> Retract:
    tokens = list(statement.args)
    if not tokens or tokens[0] == "(":
        raise _DirectiveError("retract: expected '[' or version")
    if tokens[0] != "[":
        low = high = _version("retract", "", tokens.pop(0))
    else:
        low, high = _interval(tokens[1:])
        tokens = tokens[5:]
    if tokens:
        raise _DirectiveError(f'retract: unexpected token after version: "{tokens[0]}"')
    return Retract(low, high, statement.comment, statement.line)


def _interval(tokens: list[str]) -> tuple[str, str]:
    """``low , high ]`` after the ``[`` of a retract interval."""
    expected = ("version after '['", "',' after version", "version after ','", "']' after version")
    for index, what in enumerate(expected):
        if len(tokens) <= index or (index % 2 == 1 and tokens[index] != ",]"[index // 2]):
            raise _DirectiveError(f"retract: expected {what}")
    return _version("retract", "", tokens[0]), _version("retract", "", tokens[2])


def _single(statement: Statement, valid: Callable[[str], object], form: str) -> Pinned:
    verb = statement.verb
    if len(statement.args) != 1:
        raise _DirectiveError(f"{verb} directive expects exactly one argument")
    value = statement.args[0]
    if not valid(value):
        raise _DirectiveError(f"invalid {verb} version '{value}': must match format {form}")
    return Pinned(value, statement.line)


def _go(file: ModFile, statement: Statement) -> None:
    if file.go is not None:
        raise _DirectiveError("repeated go statement")
    file.go = _single(statement, _GO_VERSION.fullmatch, "1.23")


def _toolchain(file: ModFile, statement: Statement) -> None:
    if file.toolchain is not None:
        raise _DirectiveError("repeated toolchain statement")
    file.toolchain = _single(statement, _TOOLCHAIN.search, "go1.23 or local")


def _module(file: ModFile, statement: Statement) -> None:
    if file.module is not None:
        raise _DirectiveError("repeated module statement")
    if len(statement.args) != 1:
        raise _DirectiveError("usage: module module/path")
    file.module = unquote(statement.args[0])
    match = _DEPRECATED.search(statement.comment)
    file.deprecated = match[1] if match else None


def _require(file: ModFile, statement: Statement) -> None:
    path, written, version = _module_version("require", statement.args)
    file.requires.append(Require(path, written, version, statement.indirect, statement.line))


def _exclude(file: ModFile, statement: Statement) -> None:
    path, _, version = _module_version("exclude", statement.args)
    file.excludes.append(Pinned(version, statement.line, path))


def _use(file: ModFile, statement: Statement) -> None:
    if len(statement.args) != 1:
        raise _DirectiveError("usage: use local/dir")
    file.uses.append(Pinned(unquote(statement.args[0]), statement.line))


def _ignored(file: ModFile, statement: Statement) -> None:
    """``godebug``, ``tool`` and ``ignore``: valid, but they name no dependency."""


_Handler = Callable[[ModFile, Statement], None]
_MOD_HANDLERS: dict[str, _Handler] = {
    "module": _module,
    "go": _go,
    "toolchain": _toolchain,
    "require": _require,
    "exclude": _exclude,
    "replace": lambda file, s: file.replaces.append(_replace(s)),
    "retract": lambda file, s: file.retracts.append(_retract(s)),
    "godebug": _ignored,
    "tool": _ignored,
    "ignore": _ignored,
}
_WORK_HANDLERS: dict[str, _Handler] = {
    "go": _go,
    "toolchain": _toolchain,
    "use": _use,
    "replace": lambda file, s: file.replaces.append(_replace(s)),
    "godebug": _ignored,
}
#: What a dependency's go.mod is read for (modfile.ParseLax): the rest is ignored, not an error.
_LAX_VERBS = frozenset({"module", "go", "retract", "require"})


def _interpret(
    text: str, handlers: dict[str, _Handler], blocks: frozenset[str], strict: bool
) -> ModFile:
    statements, problems = parse_statements(text, blocks)
    file = ModFile(problems=problems)
    for statement in statements:
        handler = handlers.get(statement.verb)
        if not strict and statement.verb not in _LAX_VERBS:
            continue
        try:
            if handler is None:
                raise _DirectiveError(f"unknown directive: {statement.verb}")
            handler(file, statement)
        except _DirectiveError as error:
            file.problems.append(SyntaxProblem(statement.line, str(error)))
    file.problems.sort(key=lambda p: p.line)
    return file


def parse_mod(text: str, *, strict: bool = True) -> ModFile:
    """Read a go.mod. ``strict=False`` reads a dependency's go.mod as the go command does:
    only ``module``, ``go``, ``require`` and ``retract`` count, and unknown directives are fine.
    """
    return _interpret(text, _MOD_HANDLERS, _MOD_BLOCKS, strict)


def parse_work(text: str) -> ModFile:
    """Read a go.work: ``go``, ``toolchain``, ``use``, ``replace`` (and ``godebug``)."""
    return _interpret(text, _WORK_HANDLERS, _WORK_BLOCKS, strict=True)
