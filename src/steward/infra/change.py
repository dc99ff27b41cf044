"""The version change as a text edit: splice the target into the token that sets the version.

Pure. The offsets come from the parse (`steward.infra.model.VersionSite`): for Terraform, the
text between the quotes of the string literal (on the resource itself, or the ``variable``
default / ``locals`` value it resolves to); for compose and Helm, the image tag. Only those
characters change, so formatting, comments and every other line are kept byte for byte, and the
revert of the change is the rollback of the text.

Errors::

    ChangeError(ValueError)   the version is not set by a literal, or the file changed since
"""

from __future__ import annotations

from dataclasses import dataclass

from steward.infra.model import InfraComponent


class ChangeError(ValueError):
    """The change cannot be made as a splice; the message says why (with file and line)."""


@dataclass(frozen=True, slots=True)
class Edit:
    """One file's new text, and the line that changed."""

    file: str
    line: int
    before: str
    after: str
    text: str


def splice(component: InfraComponent, target: str, text: str) -> Edit:
    """``text`` (the file at ``component.site.file``) with the version token set to ``target``."""
    site = component.site
    if site is None or component.version is None:
        raise ChangeError(
            f"{component.file}:{component.line}: {component.id}: {component.unresolved or 'no literal sets the version'}"
        )
    written = text[site.start : site.end]
    if written != component.version and not written.endswith(component.version):
        raise ChangeError(
            f"{site.file}:{site.line}: expected {component.version!r} there, found {written!r}: the file changed"
        )
    new = (
        written[: len(written) - len(component.version)] + target
        if written != component.version
        else target
    )
    if '"' in target or "\n" in target or "\\" in target or "${" in target:
        raise ChangeError(f"{target!r} is not a plain version")
    return Edit(site.file, site.line, written, new, text[: site.start] + new + text[site.end :])
