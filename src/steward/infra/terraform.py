"""Terraform files → infrastructure components (pure: texts in, an `Inventory` out).

Every folder of ``.tf`` files is one Terraform module: its ``variable`` defaults and ``locals``
are resolved when they are literals (or refer, in turn, to literals); anything else — a variable
without a default, a function call, a conditional, a reference to another resource's attribute —
leaves the value "not resolvable statically", said on the component. A file that does not parse
is a `Problem` with its path and line, and the other files of the folder are still read.

What is read (see docs/infra.md for the JSON it becomes):

- ``aws_msk_cluster``: ``kafka_version``, ``number_of_broker_nodes``, the broker instance type,
  the client subnets and, where they name ``aws_subnet``/``data.aws_subnet`` blocks with a literal
  ``availability_zone``, their zones; the server properties of the ``aws_msk_configuration`` its
  ``configuration_info`` points at.
- ``aws_db_instance`` / ``aws_rds_cluster``: ``engine``, ``engine_version``,
  ``allow_major_version_upgrade``, ``blue_green_update``, the parameter group's family and its
  ``rds.logical_replication``.
- ``aws_eks_cluster``: ``version``, ``upgrade_policy``; the ``aws_eks_node_group`` versions.
- ``aws_elasticache_cluster`` / ``_replication_group`` / ``_serverless_cache``: engine versions.
- ``terraform { required_version, required_providers }`` and ``module`` versions.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from steward.infra.hcl import Block, Expr, InvalidTerraform, parse
from steward.infra.model import InfraComponent, Kind, Problem, VersionSite

_MAX_DEPTH = 8


@dataclass(frozen=True, slots=True)
class Value:
    """A resolved expression: ``text`` (a scalar), ``items`` (a list), or ``reason`` why not."""

    text: str | None = None
    items: tuple[Value, ...] | None = None
    site: VersionSite | None = None
    reason: str | None = None
    ref: tuple[str, ...] = ()


@dataclass
class Module:
    """One folder of ``.tf`` files: its blocks, with the file each came from."""

    folder: str
    blocks: list[tuple[str, Block]] = field(default_factory=list)

    def resources(self, kind: str, *types: str) -> list[tuple[str, Block]]:
        """``resource``/``data`` blocks (``kind``) of the given types, in file order."""
        return [
            (f, b)
            for f, b in self.blocks
            if b.type == kind and b.labels[:1] in [(t,) for t in types]
        ]

    def named(self, kind: str, rtype: str, name: str) -> tuple[str, Block] | None:
        """The ``kind "rtype" "name"`` block, or None."""
        for file, block in self.blocks:
            if block.type == kind and block.labels == (rtype, name):
                return file, block
        return None

    def variable(self, name: str) -> tuple[str, Block] | None:
        """The ``variable "name"`` block, or None."""
        for file, block in self.blocks:
            if block.type == "variable" and block.labels == (name,):
                return file, block
        return None

    def local(self, name: str) -> tuple[str, Expr] | None:
        """The expression of ``local.name``, or None."""
        for file, block in self.blocks:
            if block.type == "locals" and name in block.attributes:
                return file, block.attributes[name].expr
        return None


def extract(files: Mapping[str, str]) -> tuple[list[InfraComponent], list[Problem]]:
    """Components and problems of every module in ``files`` (POSIX path → text of a ``.tf``)."""
    modules: dict[str, Module] = {}
    problems: list[Problem] = []
    for path in sorted(files):
        module = modules.setdefault(posixpath.dirname(path), Module(posixpath.dirname(path)))
        try:
            module.blocks.extend((path, block) for block in parse(files[path], path))
        except InvalidTerraform as error:
            problems.append(Problem(path, error.line, f"Terraform does not parse: {error.reason}"))
    components: list[InfraComponent] = []
    for folder in sorted(modules):
        components.extend(_module_components(modules[folder]))
    return _unique(components), problems


def resolve(module: Module, file: str, expr: Expr | None, depth: int = 0) -> Value:
    """The literal value ``expr`` stands for, following ``var.`` defaults and ``local.`` values."""
    if expr is None:
        return Value(reason="not set")
    site = VersionSite(file, expr.line, *expr.content_span)
    if expr.kind in ("string", "number", "bool"):
        return Value(text=expr.value, site=site)
    if expr.kind == "list":
        return Value(items=tuple(resolve(module, file, item, depth + 1) for item in expr.items))
    if expr.kind == "ref" and depth < _MAX_DEPTH:
        return _follow(module, expr, depth)
    return Value(reason=f"not resolvable statically: {expr.text.strip()}", ref=expr.path)


def _follow(module: Module, expr: Expr, depth: int) -> Value:
    head, name = expr.path[0], expr.path[1] if len(expr.path) > 1 else ""
    where = ".".join(expr.path)
    if head == "var" and len(expr.path) == 2:
        found = module.variable(name)
        if found is None:
            return Value(
                reason=f"not resolvable statically: {where} is not declared", ref=expr.path
            )
        default = found[1].attr("default")
        if default is None:
            return Value(reason=f"not resolvable statically: {where} has no default", ref=expr.path)
        return _via(resolve(module, found[0], default, depth + 1), where)
    if head == "local" and len(expr.path) == 2:
        local = module.local(name)
        if local is None:
            return Value(
                reason=f"not resolvable statically: {where} is not declared", ref=expr.path
            )
        return _via(resolve(module, local[0], local[1], depth + 1), where)
    return Value(reason=f"not resolvable statically: {where}", ref=expr.path)


def _via(value: Value, where: str) -> Value:
    if value.site is None or value.site.via:
        return value
    site = VersionSite(value.site.file, value.site.line, value.site.start, value.site.end, where)
    return Value(value.text, value.items, site, value.reason, value.ref)


def _module_components(module: Module) -> Iterable[InfraComponent]:
    for file, block in module.blocks:
        if block.type == "terraform":
            yield from _terraform(module, file, block)
        elif block.type == "module":
            yield from _module_call(module, file, block)
    for file, block in module.resources("resource", "aws_msk_cluster"):
        yield _msk(module, file, block)
    for file, block in module.resources("resource", "aws_db_instance", "aws_rds_cluster"):
        yield _rds(module, file, block)
    for file, block in module.resources("resource", "aws_eks_cluster"):
        yield _eks(module, file, block)
    elasticache = ("aws_elasticache_cluster", "aws_elasticache_replication_group")
    for file, block in module.resources(
        "resource", *elasticache, "aws_elasticache_serverless_cache"
    ):
        yield _elasticache(module, file, block)


def _component(
    module: Module,
    file: str,
    block: Block,
    version: Expr | None,
    **fields: object,
) -> InfraComponent:
    value = resolve(module, file, version)
    ident = ".".join(block.labels) if block.type == "resource" else block.type
    return InfraComponent(
        id=str(fields.pop("id", ident)),
        file=file,
        line=block.line,
        version=value.text,
        site=value.site if value.text is not None else None,
        unresolved=None if value.text is not None else value.reason,
        **fields,  # type: ignore[arg-type]
    )


def _terraform(module: Module, file: str, block: Block) -> Iterable[InfraComponent]:
    required = block.attr("required_version")
    if required is not None:
        yield _component(
            module, file, block, required, id="terraform", kind=Kind.TERRAFORM, platform="terraform"
        )
    providers = block.find("required_providers")
    if providers is None:
        return
    for name, attribute in providers.attributes.items():
        spec = attribute.expr
        version = spec.item("version") if spec.kind == "object" else spec
        source = spec.item("source") if spec.kind == "object" else None
        value = (
            resolve(module, file, version)
            if version is not None
            else Value(reason="no version constraint")
        )
        yield InfraComponent(
            id=f"provider:{name}",
            kind=Kind.PROVIDER,
            platform="terraform",
            file=file,
            line=attribute.line,
            version=value.text,
            site=value.site if value.text is not None else None,
            unresolved=None if value.text is not None else value.reason,
            engine=source.value if source is not None and source.kind == "string" else name,
        )


def _module_call(module: Module, file: str, block: Block) -> Iterable[InfraComponent]:
    version = block.attr("version")
    if version is None:
        return
    source = block.attr("source")
    yield _component(
        module,
        file,
        block,
        version,
        id=f"module:{block.labels[0] if block.labels else '?'}",
        kind=Kind.MODULE,
        platform="terraform",
        engine=source.value if source is not None and source.kind == "string" else "",
    )


def _msk(module: Module, file: str, block: Block) -> InfraComponent:
    settings: dict[str, str] = {}
    _put(settings, "broker_nodes", resolve(module, file, block.attr("number_of_broker_nodes")))
    group = block.find("broker_node_group_info")
    if group is not None:
        _put(settings, "instance_type", resolve(module, file, group.attr("instance_type")))
        settings.update(_subnets(module, file, group.attr("client_subnets")))
    settings.update(_server_properties(module, block))
    return _component(
        module,
        file,
        block,
        block.attr("kafka_version"),
        kind=Kind.KAFKA,
        platform="amazon-msk",
        engine="kafka",
        settings=settings,
    )


def _subnets(module: Module, file: str, expr: Expr | None) -> dict[str, str]:
    value = resolve(module, file, expr)
    if value.items is None:
        return {"client_subnets": value.reason or "not a list"}
    zones: list[str] = []
    for item in value.items:
        zone = _subnet_zone(module, item.ref)
        if zone:
            zones.append(zone)
    found = {"client_subnets": str(len(value.items))}
    if zones and len(zones) == len(value.items):
        found["availability_zones"] = ",".join(sorted(set(zones)))
    return found


def _subnet_zone(module: Module, ref: tuple[str, ...]) -> str | None:
    """The literal ``availability_zone`` of a subnet block a reference points at."""
    if ref[:2] == ("data", "aws_subnet") and len(ref) >= 3:
        found = module.named("data", "aws_subnet", ref[2])
    elif ref[:1] == ("aws_subnet",) and len(ref) >= 2:
        found = module.named("resource", "aws_subnet", ref[1])
    else:
        return None
    if found is None:
        return None
    return resolve(module, found[0], found[1].attr("availability_zone")).text


def _server_properties(module: Module, cluster: Block) -> dict[str, str]:
    info = cluster.find("configuration_info")
    arn = info.attr("arn") if info is not None else None
    if arn is None or arn.kind != "ref" or arn.path[:1] != ("aws_msk_configuration",):
        return {}
    found = module.named("resource", "aws_msk_configuration", arn.path[1])
    if found is None:
        return {}
    text = resolve(module, found[0], found[1].attr("server_properties"))
    body = found[1].attr("server_properties")
    raw = body.value if body is not None and body.kind in ("heredoc", "string") else text.text
    return properties(raw or "")


def properties(text: str) -> dict[str, str]:
    """``key=value`` lines of a Java properties text (``#``/``!`` comments skipped)."""
    found: dict[str, str] = {}
    for raw in text.replace("\\n", "\n").splitlines():
        line = raw.strip()
        if not line or line[0] in "#!" or "=" not in line:
            continue
        key, _, value = line.partition("=")
        found[key.strip()] = value.strip()
    return found


def _rds(module: Module, file: str, block: Block) -> InfraComponent:
    engine = resolve(module, file, block.attr("engine")).text or "aurora"
    settings: dict[str, str] = {"engine": engine}
    for name in ("allow_major_version_upgrade", "instance_class", "auto_minor_version_upgrade"):
        _put(settings, name, resolve(module, file, block.attr(name)))
    blue_green = block.find("blue_green_update")
    if blue_green is not None:
        _put(settings, "blue_green_update", resolve(module, file, blue_green.attr("enabled")))
    settings.update(_parameter_group(module, block))
    aurora = block.labels[0] == "aws_rds_cluster" or engine.startswith("aurora")
    return _component(
        module,
        file,
        block,
        block.attr("engine_version"),
        kind=Kind.POSTGRESQL if "postgres" in engine else Kind.DATABASE,
        platform="amazon-aurora" if aurora else "amazon-rds",
        engine=engine,
        settings=settings,
    )


def _parameter_group(module: Module, block: Block) -> dict[str, str]:
    for attribute in ("parameter_group_name", "db_cluster_parameter_group_name"):
        expr = block.attr(attribute)
        if expr is None or expr.kind != "ref" or len(expr.path) < 2:
            continue
        found = module.named("resource", expr.path[0], expr.path[1])
        if found is None:
            continue
        settings: dict[str, str] = {}
        _put(settings, "parameter_group_family", resolve(module, found[0], found[1].attr("family")))
        for parameter in found[1].children("parameter"):
            name = resolve(module, found[0], parameter.attr("name")).text
            if name == "rds.logical_replication":
                _put(settings, name, resolve(module, found[0], parameter.attr("value")))
        return settings
    return {}


def _eks(module: Module, file: str, block: Block) -> InfraComponent:
    settings: dict[str, str] = {}
    policy = block.find("upgrade_policy")
    if policy is not None:
        _put(settings, "support_type", resolve(module, file, policy.attr("support_type")))
    groups = []
    for group_file, group in module.resources("resource", "aws_eks_node_group"):
        cluster = group.attr("cluster_name")
        if cluster is None or cluster.path[:2] != tuple(block.labels[:2]):
            continue
        version = resolve(module, group_file, group.attr("version"))
        groups.append(f"{group.labels[1]}={version.text or 'cluster'}")
    if groups:
        settings["node_groups"] = ",".join(groups)
    return _component(
        module,
        file,
        block,
        block.attr("version"),
        kind=Kind.KUBERNETES,
        platform="amazon-eks",
        engine="kubernetes",
        settings=settings,
    )


def _elasticache(module: Module, file: str, block: Block) -> InfraComponent:
    engine = resolve(module, file, block.attr("engine")).text or "redis"
    version = block.attr("engine_version") or block.attr("major_engine_version")
    kinds = {"redis": Kind.REDIS, "valkey": Kind.REDIS, "memcached": Kind.MEMCACHED}
    return _component(
        module,
        file,
        block,
        version,
        kind=kinds.get(engine, Kind.REDIS),
        platform="amazon-elasticache",
        engine=engine,
        settings={"engine": engine},
    )


def _put(settings: dict[str, str], name: str, value: Value) -> None:
    if value.text is not None:
        settings[name] = value.text
    elif value.reason and value.reason != "not set":
        settings[name] = value.reason


def _unique(components: list[InfraComponent]) -> list[InfraComponent]:
    """Components with IDs made unique by their folder when two modules share one."""
    seen: dict[str, int] = {}
    unique: list[InfraComponent] = []
    for component in components:
        count = seen.get(component.id, 0)
        seen[component.id] = count + 1
        if count:
            folder = posixpath.dirname(component.file) or "."
            component = _renamed(component, f"{component.id}@{folder}")
        unique.append(component)
    return unique


def _renamed(component: InfraComponent, ident: str) -> InfraComponent:
    return replace(component, id=ident)
