"""docker-compose files and Helm values → Kafka, PostgreSQL and Redis components (pure).

An image is a component when its repository names a known product (``postgres``,
``bitnami/postgresql``, ``redis``, ``valkey/valkey``, ``apache/kafka``, ``bitnami/kafka``,
``confluentinc/cp-kafka`` …). The version is the tag's leading version (``6.2-alpine`` → ``6.2``);
Confluent Platform tags map to the Apache Kafka release they ship (CP 7.3 → Kafka 3.3). A tag
without a version (``latest``, none) leaves the version unresolved, with the reason.

Helm values are read wherever a mapping has ``repository`` and ``tag`` keys, or an ``image``
string, at any depth.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import yaml

from steward.infra.model import InfraComponent, Kind, Problem, VersionSite

_IMAGES: dict[str, tuple[Kind, str]] = {
    "postgres": (Kind.POSTGRESQL, "postgresql"),
    "postgis/postgis": (Kind.POSTGRESQL, "postgresql"),
    "bitnami/postgresql": (Kind.POSTGRESQL, "postgresql"),
    "redis": (Kind.REDIS, "redis"),
    "bitnami/redis": (Kind.REDIS, "redis"),
    "redis/redis-stack-server": (Kind.REDIS, "redis"),
    "valkey/valkey": (Kind.REDIS, "valkey"),
    "apache/kafka": (Kind.KAFKA, "kafka"),
    "bitnami/kafka": (Kind.KAFKA, "kafka"),
    "confluentinc/cp-kafka": (Kind.KAFKA, "kafka"),
    "confluentinc/cp-server": (Kind.KAFKA, "kafka"),
}
#: Confluent Platform major.minor → the Apache Kafka major.minor it ships.
_CONFLUENT: dict[str, str] = {
    "6.0": "2.6", "6.1": "2.7", "6.2": "2.8",
    "7.0": "3.0", "7.1": "3.1", "7.2": "3.2", "7.3": "3.3", "7.4": "3.4",
    "7.5": "3.5", "7.6": "3.6", "7.7": "3.7", "7.8": "3.8", "7.9": "3.9",
    "8.0": "4.0", "8.1": "4.1",
}  # fmt: skip


def is_compose(name: str) -> bool:
    """True for docker-compose file names (``docker-compose.yml``, ``compose.override.yaml`` …)."""
    return bool(re.fullmatch(r"(docker-)?compose(\.[\w-]+)?\.ya?ml", name))


def is_helm_values(name: str) -> bool:
    """True for Helm values file names (``values.yaml``, ``values-prod.yaml``)."""
    return bool(re.fullmatch(r"values([.-][\w-]+)?\.ya?ml", name))


def extract_compose(text: str, path: str) -> tuple[list[InfraComponent], list[Problem]]:
    """Components from one compose file's ``services.*.image``."""
    root, problem = _compose_root(text, path)
    if root is None:
        return [], [problem] if problem else []
    services = _get(root, "services")
    found: list[InfraComponent] = []
    if isinstance(services, yaml.MappingNode):
        for key, value in services.value:
            image = _get(value, "image")
            if isinstance(image, yaml.ScalarNode):
                component = _component(f"compose:{key.value}", image, path, "docker-compose", text)
                if component is not None:
                    found.append(component)
    return found, []


def extract_helm(text: str, path: str) -> tuple[list[InfraComponent], list[Problem]]:
    """Components from one Helm values file: ``repository``/``tag`` pairs and ``image`` strings."""
    root, problem = _compose_root(text, path)
    if root is None:
        return [], [problem] if problem else []
    found = []
    for where, node, tag in _images(root, ()):
        name = "helm:" + (".".join(where) or "image")
        component = _component(name, node, path, "helm", text, tag)
        if component is not None:
            found.append(component)
    return found, []


def _compose_root(text: str, path: str) -> tuple[yaml.Node | None, Problem | None]:
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader), None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        return None, Problem(path, line, f"YAML does not parse: {getattr(error, 'problem', error)}")


def _get(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((v for k, v in node.value if getattr(k, "value", None) == key), None)


def _images(
    node: yaml.Node, where: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], yaml.Node, yaml.Node | None]]:
    if isinstance(node, yaml.MappingNode):
        repository, tag = _get(node, "repository"), _get(node, "tag")
        if isinstance(repository, yaml.ScalarNode):
            yield where, repository, tag if isinstance(tag, yaml.ScalarNode) else None
            return
        for key, value in node.value:
            name = str(getattr(key, "value", ""))
            if name == "image" and isinstance(value, yaml.ScalarNode):
                yield where, value, None
            else:
                yield from _images(value, (*where, name))


def _component(
    ident: str, image: yaml.Node, path: str, platform: str, text: str, tag: yaml.Node | None = None
) -> InfraComponent | None:
    reference = str(image.value)
    repository, _, written_tag = (
        reference.rpartition(":") if ":" in reference.split("/")[-1] else (reference, "", "")
    )
    if tag is not None:
        repository, written_tag = reference, str(tag.value)
    name = re.sub(r"^(docker\.io/)?(library/)?", "", repository.split("@")[0])
    known = _IMAGES.get(name) or _IMAGES.get(name.split("/", 1)[-1] if name.count("/") > 1 else "")
    if known is None:
        return None
    kind, engine = known
    version, unresolved = _version(name, written_tag)
    return InfraComponent(
        id=ident,
        kind=kind,
        platform=platform,
        file=path,
        line=image.start_mark.line + 1,
        version=version,
        site=_site(tag or image, path, written_tag, text) if version else None,
        unresolved=unresolved,
        engine=engine,
        settings={"image": f"{name}:{written_tag}" if written_tag else name},
    )


def _version(name: str, tag: str) -> tuple[str | None, str | None]:
    found = re.match(r"v?(\d+(?:\.\d+)*)", tag)
    if found is None:
        return None, f"not resolvable statically: image tag {tag or '(none)'!r} names no version"
    version = found.group(1)
    if name.startswith("confluentinc/"):
        major_minor = ".".join(version.split(".")[:2])
        upstream = _CONFLUENT.get(major_minor)
        if upstream is None:
            return None, f"Confluent Platform {version}: no known Apache Kafka release"
        return upstream, None
    return version, None


def _site(node: yaml.Node, path: str, tag: str, text: str) -> VersionSite:
    start, end = node.start_mark.index, node.end_mark.index
    offset = text.find(tag, start, end) if tag else -1
    if offset < 0:
        return VersionSite(path, node.start_mark.line + 1, start, end)
    return VersionSite(path, node.start_mark.line + 1, offset, offset + len(tag))
