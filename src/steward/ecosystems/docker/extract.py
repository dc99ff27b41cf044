"""Image references, with file and line, from Dockerfiles, compose files, Kubernetes manifests and
Helm values. Pure: text in (through a `Reader`), `ImageRef` facts and `Problem` records out.

Dockerfiles are read the way BuildKit reads them: parser directives (``# syntax=``, whose
frontend image is a reference too, and ``# escape=``), line continuations, global ``ARG`` defaults
before the first ``FROM`` substituted as ``$VAR``, ``${VAR}``, ``${VAR:-default}`` and
``${VAR-default}``, ``FROM [--platform=…] image [AS name]``, stage names (a ``FROM`` or
``COPY --from=`` naming an earlier stage or a stage index is not an image), and ``scratch``
(no image at all). Compose files give ``services.*.image``; Kubernetes manifests (every document
of a multi-document file) give the ``containers``, ``initContainers`` and
``ephemeralContainers`` of Pods, Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs and
CronJobs; Helm values files give every ``image: {registry, repository, tag, digest}`` mapping.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace

import yaml

from steward.ecosystems.docker.reference import InvalidReference, Reference, parse_reference
from steward.model import Problem, Reader

_VARIABLE = re.compile(r"\$(?:\{(?P<name>\w+)(?:(?P<op>:?[-+])(?P<word>[^}]*))?\}|(?P<bare>\w+))")
_DIRECTIVE = re.compile(r"^#\s*(?P<key>[a-zA-Z]+)\s*=\s*(?P<value>\S+)\s*$")
_WORKLOADS = {
    "Pod": ("spec",),
    "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}
_CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")


@dataclass(frozen=True, slots=True)
class ImageRef:
    """One image named by one file, at one line.

    ``written`` is the reference text exactly as the file holds it at ``line`` (``None`` when the
    reference is assembled from parts, as in Helm values, or from variables); ``reference`` is the
    parsed reference after substitution (``None`` when it could not be read: see ``skip_reason``).
    ``source`` says which kind of file (``dockerfile``, ``compose``, ``kubernetes``, ``helm``),
    ``context`` where in it (a stage, a compose service, a container). ``final_stage`` marks the
    ``FROM`` of a Dockerfile's last stage: the image the service runs on.
    """

    file: str
    line: int
    source: str
    text: str
    reference: Reference | None
    written: str | None = None
    context: str = ""
    platform: str | None = None
    final_stage: bool = False
    skip_reason: str | None = None

    @property
    def image(self) -> str:
        """Registry and path as written (``python``, ``gcr.io/distroless/static-debian12``)."""
        return self.reference.name if self.reference else self.text

    @property
    def tag(self) -> str | None:
        """The tag, or ``None`` when the reference has none."""
        return self.reference.tag if self.reference else None

    @property
    def digest(self) -> str | None:
        """The pinned digest, or ``None``."""
        return self.reference.digest if self.reference else None


@dataclass
class ImageExtraction:
    """What extraction found: references and the files it could not read."""

    refs: list[ImageRef] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def extend(self, other: ImageExtraction) -> None:
        """Append another extraction's references and problems."""
        self.refs.extend(other.refs)
        self.problems.extend(other.problems)


def is_compose_file(name: str) -> bool:
    """``docker-compose.yml``, ``compose.yaml``, ``docker-compose.prod.yml`` …"""
    lower = name.lower()
    return lower.endswith((".yml", ".yaml")) and lower.startswith(("docker-compose", "compose"))


def is_helm_values(name: str) -> bool:
    """``values.yaml``, ``values-prod.yaml``, ``values.staging.yml``."""
    lower = name.lower()
    return lower.endswith((".yml", ".yaml")) and lower.startswith("values")


def is_yaml(name: str) -> bool:
    """Any ``.yaml`` / ``.yml`` file (read as a Kubernetes manifest when it has ``kind``)."""
    return name.lower().endswith((".yml", ".yaml"))


def make_ref(
    file: str, line: int, source: str, text: str, written: str | None, **extra: object
) -> ImageRef:
    """An `ImageRef` for ``text``; a reference that cannot be read gets a ``skip_reason``."""
    ref = ImageRef(file, line, source, text, None, written, **extra)  # type: ignore[arg-type]
    unresolved = _unresolved(text)
    if unresolved:
        return replace(ref, skip_reason=f"unresolved variable ${{{unresolved}}}")
    try:
        return replace(ref, reference=parse_reference(text))
    except InvalidReference as error:
        return replace(ref, skip_reason=f"not an image reference: {error}")


def _unresolved(text: str) -> str | None:
    match = _VARIABLE.search(text)
    return (match.group("name") or match.group("bare")) if match else None


# -- Dockerfiles --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Instruction:
    line: int
    keyword: str
    arguments: str


def extract_dockerfile(path: str, text: str) -> ImageExtraction:
    """Every image a Dockerfile names, in file order."""
    found = ImageExtraction()
    escape, syntax = _directives(text)
    if syntax is not None:
        line, value = syntax
        found.refs.append(make_ref(path, line, "dockerfile", value, value, context="syntax"))
    variables: dict[str, str | None] = {}
    stages: list[str] = []
    froms: list[ImageRef] = []
    for instruction in _instructions(text, escape):
        if instruction.keyword == "ARG" and not stages:
            variables.update(_arg_defaults(instruction.arguments))
        elif instruction.keyword == "FROM":
            ref, stage = _from(path, instruction, variables, stages)
            stages.append(stage)
            if ref is not None:
                froms.append(ref)
                found.refs.append(ref)
        elif instruction.keyword in ("COPY", "ADD"):
            ref = _copy_from(path, instruction, variables, stages)
            if ref is not None:
                found.refs.append(ref)
    _mark_final(found, froms, len(stages))
    return found


def _mark_final(found: ImageExtraction, froms: list[ImageRef], stage_count: int) -> None:
    """Mark the last stage's ``FROM`` (when it is an image, not an earlier stage)."""
    if froms and froms[-1].context.startswith(f"stage {stage_count - 1}"):
        last = froms[-1]
        found.refs[found.refs.index(last)] = replace(last, final_stage=True)


def _directives(text: str) -> tuple[str, tuple[int, str] | None]:
    """The escape character and the ``# syntax=`` frontend (line, value) from the top lines."""
    escape, syntax = "\\", None
    for number, line in enumerate(text.splitlines(), start=1):
        match = _DIRECTIVE.match(line.strip())
        if match is None:
            break
        key = match.group("key").lower()
        if key == "escape" and match.group("value") in ("\\", "`"):
            escape = match.group("value")
        elif key == "syntax":
            syntax = (number, match.group("value"))
    return escape, syntax


def _instructions(text: str, escape: str) -> Iterator[_Instruction]:
    """Logical instructions: continuation lines joined, comments and blank lines dropped."""
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if stripped.startswith("#") or (not stripped and not pending):
            continue
        if not pending:
            start = number
        if stripped.endswith(escape):
            pending.append(stripped[:-1])
            continue
        pending.append(stripped)
        yield _instruction(start, " ".join(pending))
        pending = []
    if pending:
        yield _instruction(start, " ".join(pending))


def _instruction(line: int, joined: str) -> _Instruction:
    keyword, _, arguments = joined.strip().partition(" ")
    return _Instruction(line, keyword.upper(), arguments.strip())


def _arg_defaults(arguments: str) -> dict[str, str | None]:
    """``ARG A=1 B="two" C`` → {A: "1", B: "two", C: None}."""
    found: dict[str, str | None] = {}
    for word in _words(arguments):
        name, equals, value = word.partition("=")
        found[name] = _unquote(value) if equals else None
    return found


def _words(arguments: str) -> list[str]:
    try:
        return shlex.split(arguments, posix=True)
    except ValueError:
        return arguments.split()


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def substitute(text: str, variables: Mapping[str, str | None]) -> str:
    """Expand ``$VAR``, ``${VAR}``, ``${VAR:-default}``, ``${VAR-default}``, ``${VAR:+alt}``.

    A variable without a value and without a default is left as written (and reported as
    unresolved by `make_ref`).
    """

    def expand(match: re.Match[str]) -> str:
        name = match.group("name") or match.group("bare")
        value, op, word = variables.get(name), match.group("op"), match.group("word") or ""
        if op in (":-", "-"):
            return (
                value if value or (op == "-" and name in variables and value is not None) else word
            )
        if op in (":+", "+"):
            return word if value else ""
        return match.group(0) if value is None else value

    return _VARIABLE.sub(expand, text)


def _flags(arguments: str) -> tuple[dict[str, str], list[str]]:
    """``--platform=linux/amd64 image AS b`` → ({"platform": "linux/amd64"}, ["image", "AS", "b"])."""
    flags: dict[str, str] = {}
    rest: list[str] = []
    for word in arguments.split():
        if word.startswith("--") and not rest:
            name, _, value = word[2:].partition("=")
            flags[name.lower()] = value
        else:
            rest.append(word)
    return flags, rest


def _from(
    path: str,
    instruction: _Instruction,
    variables: Mapping[str, str | None],
    stages: Sequence[str],
) -> tuple[ImageRef | None, str]:
    """The image of one ``FROM`` (``None`` for ``scratch`` or an earlier stage) and its stage name."""
    flags, rest = _flags(instruction.arguments)
    written = rest[0] if rest else ""
    alias = rest[2].lower() if len(rest) >= 3 and rest[1].upper() == "AS" else ""
    index = len(stages)
    context = f"stage {index}" + (f" ({alias})" if alias else "")
    image = substitute(written, variables)
    if image.lower() == "scratch" or image.lower() in stages or not image:
        return None, alias or str(index)
    platform = substitute(flags["platform"], variables) if "platform" in flags else None
    ref = make_ref(
        path, instruction.line, "dockerfile", image, written, context=context, platform=platform
    )
    return ref, alias or str(index)


def _copy_from(
    path: str,
    instruction: _Instruction,
    variables: Mapping[str, str | None],
    stages: Sequence[str],
) -> ImageRef | None:
    flags, _ = _flags(instruction.arguments)
    written = flags.get("from")
    if not written:
        return None
    image = substitute(written, variables)
    if image.isdigit() or image.lower() in stages or image.lower() == "scratch":
        return None
    context = f"{instruction.keyword} --from"
    return make_ref(path, instruction.line, "dockerfile", image, written, context=context)


# -- YAML: compose, Kubernetes, Helm -------------------------------------------------------------


def _documents(path: str, text: str) -> tuple[list[yaml.Node], Problem | None]:
    try:
        nodes = [
            node for node in yaml.compose_all(text, Loader=yaml.SafeLoader) if node is not None
        ]
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        problem = getattr(error, "problem", None) or str(error)
        return [], Problem(path, line, f"not valid YAML: {problem}")
    return nodes, None


def _get(node: yaml.Node, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    for key_node, value in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            found: yaml.Node = value
            return found
    return None


def _path(node: yaml.Node | None, keys: Sequence[str]) -> yaml.Node | None:
    for key in keys:
        if node is None:
            return None
        node = _get(node, key)
    return node


def _scalar(node: yaml.Node | None) -> str | None:
    if isinstance(node, yaml.ScalarNode) and node.value != "":
        return str(node.value)
    return None


def _yaml_ref(
    path: str, node: yaml.Node, source: str, context: str, env: Mapping[str, str | None]
) -> ImageRef | None:
    value = _scalar(node)
    if value is None:
        return None
    text = substitute(value, env)
    return make_ref(path, node.start_mark.line + 1, source, text, value, context=context)


def extract_compose(path: str, text: str) -> ImageExtraction:
    """``services.<name>.image`` of a compose file (``${VAR:-default}`` defaults applied)."""
    found = ImageExtraction()
    documents, problem = _documents(path, text)
    if problem:
        found.problems.append(problem)
    for document in documents:
        services = _get(document, "services")
        if not isinstance(services, yaml.MappingNode):
            continue
        for key, service in services.value:
            image = _get(service, "image")
            ref = _yaml_ref(path, image, "compose", f"service {key.value}", {}) if image else None
            if ref is not None:
                found.refs.append(ref)
    return found


def extract_kubernetes(path: str, text: str) -> ImageExtraction:
    """Container images of every workload in every document of a manifest file."""
    found = ImageExtraction()
    documents, problem = _documents(path, text)
    if problem:
        found.problems.append(problem)
    for document in documents:
        kind = _scalar(_get(document, "kind"))
        spec = _path(document, _WORKLOADS[kind]) if kind in _WORKLOADS else None
        if spec is None:
            continue
        name = _scalar(_path(document, ("metadata", "name"))) or "?"
        found.refs.extend(_containers(path, spec, f"{kind}/{name}"))
    return found


def _containers(path: str, spec: yaml.Node, owner: str) -> Iterator[ImageRef]:
    for list_name in _CONTAINER_LISTS:
        containers = _get(spec, list_name)
        if not isinstance(containers, yaml.SequenceNode):
            continue
        for container in containers.value:
            image = _get(container, "image")
            name = _scalar(_get(container, "name")) or "?"
            ref = (
                _yaml_ref(path, image, "kubernetes", f"{owner} {list_name}/{name}", {})
                if image
                else None
            )
            if ref is not None:
                yield ref


def extract_helm_values(path: str, text: str) -> ImageExtraction:
    """Every ``image:`` mapping with a ``repository`` (and ``registry``, ``tag``, ``digest``)."""
    found = ImageExtraction()
    documents, problem = _documents(path, text)
    if problem:
        found.problems.append(problem)
    for document in documents:
        found.refs.extend(_helm_images(path, document, ()))
    return found


def _helm_images(path: str, node: yaml.Node, where: tuple[str, ...]) -> Iterator[ImageRef]:
    if isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _helm_images(path, item, (*where, str(index)))
        return
    if not isinstance(node, yaml.MappingNode):
        return
    for key, value in node.value:
        name = str(key.value)
        if name == "image" and _get(value, "repository") is not None:
            ref = _helm_ref(path, value, ".".join((*where, name)))
            if ref is not None:
                yield ref
        else:
            yield from _helm_images(path, value, (*where, name))


def _helm_ref(path: str, node: yaml.Node, context: str) -> ImageRef | None:
    repository_node = _get(node, "repository")
    repository = _scalar(repository_node)
    if repository is None or repository_node is None:
        return None
    registry, tag, digest = (_scalar(_get(node, key)) for key in ("registry", "tag", "digest"))
    text = f"{registry}/{repository}" if registry else repository
    text += f":{tag}" if tag else ""
    text += f"@{digest}" if digest else ""
    tag_node = _get(node, "tag")
    line = (tag_node or repository_node).start_mark.line + 1
    return make_ref(path, line, "helm", text, None, context=context)


def extract_manifest(path: str, text: str) -> ImageExtraction:
    """A YAML file that is not compose or Helm values: read as Kubernetes when it has ``kind``."""
    if "kind" not in text or "apiVersion" not in text:
        return ImageExtraction()
    return extract_kubernetes(path, text)


def extract_file(path: str, read: Reader) -> ImageExtraction:
    """The references of one file, chosen by its name; an unreadable file is a `Problem`."""
    name = path.rpartition("/")[2]
    try:
        text = read(path).removeprefix("\ufeff")  # a byte-order mark would hide line 1
    except (OSError, UnicodeDecodeError) as error:
        return ImageExtraction(problems=[Problem(path, 0, f"cannot read: {error}")])
    if _is_dockerfile(name):
        return extract_dockerfile(path, text)
    if is_compose_file(name):
        return extract_compose(path, text)
    if is_helm_values(name):
        return extract_helm_values(path, text)
    return extract_manifest(path, text)


def _is_dockerfile(name: str) -> bool:
    lower = name.lower()
    return (
        lower.startswith("dockerfile") or lower.endswith(".dockerfile") or lower == "containerfile"
    )


def extract(paths: Sequence[str], read: Reader) -> ImageExtraction:
    """References of every file in ``paths`` (POSIX paths relative to the scan root), in order."""
    found = ImageExtraction()
    for path in paths:
        found.extend(extract_file(path, read))
    return found
