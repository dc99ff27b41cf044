"""Consumer impact: which services produce and consume a contract, and so who a change affects.

A service uses a contract when it is **declared** — ``produces``/``consumes`` in ``steward.toml``
naming the subject's topic (or subject), or ``producers``/``consumers`` in the catalogue — or when
its code makes it plain (**inferred**): a source file or Dockerfile that names the schema file
(``payments/payment_captured.avsc``, ``orders/v1/order_placed.proto`` in a ``protoc`` line), the
module ``protoc`` generates from it (``order_placed_pb2``), the proto's ``go_package``, the Avro
record's full name, the JSON Schema's ``$id``, or the topic as a quoted string literal.

Every finding is paired with the services it affects (`Impacted`); `to_finding` turns one into
Steward's common `steward.model.Finding`. Pure: texts in, facts out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from steward.contracts.catalogue import Subject
from steward.contracts.findings import ContractFinding
from steward.contracts.lifecycle import (
    BREAKING_CHANGE_AWAITING_APPROVAL,
    BREAKING_CHANGE_UNAPPROVED_PAST_SLA,
    DEPRECATION_PAST_SUNSET,
    REMOVED_WITHOUT_DEPRECATION,
)
from steward.contracts.schemafile import AVRO, JSONSCHEMA, PROTOBUF, SchemaFile
from steward.model import Finding, Service, Severity

PRODUCER, CONSUMER, USES = "producer", "consumer", "uses"


@dataclass(frozen=True, slots=True)
class Affected:
    """A service a contract change reaches: its roles, owners and why Steward thinks so."""

    service: str
    owners: tuple[str, ...]
    roles: tuple[str, ...]
    evidence: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Impacted:
    """A finding with its subject, the subject's owner, and the services it affects."""

    finding: ContractFinding
    subject: str = ""
    owner: str = ""
    affected: tuple[Affected, ...] = ()


def tokens(schema: SchemaFile, subject: Subject | None) -> dict[str, str]:
    """Strings whose presence in a service's code shows it uses ``schema`` → what each one is."""
    found: dict[str, str] = {}
    parts = PurePosixPath(schema.path).parts
    if len(parts) >= 2:
        found["/".join(parts[-2:])] = "the schema file"
    if schema.format == PROTOBUF:
        found[PurePosixPath(schema.path).stem + "_pb2"] = "the Python module protoc generates"
        go_package = re.search(r'option\s+go_package\s*=\s*"([^";]+)', schema.text)
        if go_package:
            found[go_package.group(1)] = "the proto's go_package"
    elif schema.format in (AVRO, JSONSCHEMA):
        found.update(_json_names(schema))
    for topic in subject.topics if subject else ():
        found[f'"{topic}"'] = "the topic"
        found[f"'{topic}'"] = "the topic"
    return found


def _json_names(schema: SchemaFile) -> dict[str, str]:
    try:
        document = json.loads(schema.text)
    except (ValueError, RecursionError):
        return {}
    if not isinstance(document, dict):
        return {}
    if schema.format == JSONSCHEMA:
        ident = document.get("$id")
        return {ident: "the schema's $id"} if isinstance(ident, str) and ident else {}
    name, namespace = document.get("name"), document.get("namespace")
    if isinstance(name, str) and "." not in name and isinstance(namespace, str) and namespace:
        name = f"{namespace}.{name}"
    return {name: "the Avro record's full name"} if isinstance(name, str) and "." in name else {}


def evidence(sources: Mapping[str, str], wanted: Mapping[str, str]) -> list[str]:
    """``path:line: names <token> (<what>)`` for the first mention of each token in ``sources``."""
    found: list[str] = []
    for token, what in wanted.items():
        for path, text in sorted(sources.items()):
            at = text.find(token)
            if at >= 0:
                line = text.count("\n", 0, at) + 1
                found.append(f"{path}:{line}: names {token.strip(chr(39) + chr(34))} ({what})")
                break
    return found


def affected(
    subject: Subject | None,
    schema: SchemaFile | None,
    services: Sequence[Service],
    sources: Mapping[str, Mapping[str, str]],
) -> tuple[Affected, ...]:
    """The services using a contract: declared producers and consumers first, then inferred users.

    ``sources`` maps a service name to its source texts by path; a service without them is judged
    on its declarations only.
    """
    topics = set(subject.topics) if subject else set()
    wanted = tokens(schema, subject) if schema else {}
    result: list[Affected] = []
    listed = set()
    for service in services:
        roles, why = _declared(service, subject, topics)
        found = evidence(sources.get(service.name, {}), wanted) if wanted else []
        if roles or found:
            result.append(Affected(service.name, service.owners, roles or (USES,), (*why, *found)))
            listed.add(service.name)
    for name in _catalogue_only(subject, listed):
        roles, why = _declared(Service(name, ""), subject, topics)
        result.append(Affected(name, (), roles, (*why, "not found in the tree")))
    return tuple(sorted(result, key=_order))


def _declared(
    service: Service, subject: Subject | None, topics: set[str]
) -> tuple[tuple[str, ...], list[str]]:
    roles: list[str] = []
    why: list[str] = []
    for role, listed in ((PRODUCER, service.produces), (CONSUMER, service.consumes)):
        hit = sorted(topics.intersection(listed))
        if hit:
            roles.append(role)
            why.append(f"steward.toml: {_verb(role)} {hit[0]}")
    if subject is not None:
        for role, names in ((PRODUCER, subject.producers), (CONSUMER, subject.consumers)):
            if service.name in names:
                if role not in roles:
                    roles.append(role)
                why.append(f"contracts.yaml: {role}s of {subject.name}")
    return tuple(roles), why


def _catalogue_only(subject: Subject | None, listed: set[str]) -> Iterable[str]:
    if subject is None:
        return []
    return [n for n in dict.fromkeys((*subject.producers, *subject.consumers)) if n not in listed]


def _verb(role: str) -> str:
    return "produces" if role == PRODUCER else "consumes"


def _order(item: Affected) -> tuple[int, str]:
    rank = 0 if PRODUCER in item.roles else 1 if CONSUMER in item.roles else 2
    return rank, item.service


def consumers(items: Iterable[Affected]) -> list[Affected]:
    """Those that read the contract: declared consumers and inferred users (not pure producers)."""
    return [a for a in items if a.roles != (PRODUCER,)]


_HIGH = {BREAKING_CHANGE_UNAPPROVED_PAST_SLA}
_MEDIUM = {BREAKING_CHANGE_AWAITING_APPROVAL, DEPRECATION_PAST_SUNSET, REMOVED_WITHOUT_DEPRECATION}


def severity(finding: ContractFinding) -> Severity:
    """High for a breaking change or an approval past its SLA; medium for actions due; else info."""
    if finding.breaking or finding.rule in _HIGH:
        return Severity.HIGH
    if finding.rule in _MEDIUM:
        return Severity.MEDIUM
    if "UNCHECKED" in finding.categories:
        return Severity.LOW
    return Severity.INFO


def to_finding(item: Impacted) -> Finding:
    """The same finding in Steward's common shape; affected services go into ``evidence``."""
    f = item.finding
    reached = tuple(
        f"{a.service} ({'/'.join(a.roles)}; {' '.join(a.owners) or 'no owner'})"
        for a in item.affected
    )
    return Finding(
        rule=f.rule,
        severity=severity(f),
        subject=item.subject or f.path,
        message=f.message,
        file=f.path,
        line=f.line,
        evidence=reached,
    )
