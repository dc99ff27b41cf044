"""The upgrade runbook: one Markdown document per component and target version (pure).

Sections, in order: what changes (and where, in the Terraform text), pre-checks (the readiness
results with their evidence), the steps, what to watch while it runs, the verification, and the
rollback plan. Where a step cannot be undone — a Kafka ``metadata.version`` or
``inter.broker.protocol.version`` bump, an in-place PostgreSQL major upgrade — the rollback
section says so in bold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from steward.infra.checks import CHECKS, CheckResult, Status, verdict
from steward.infra.kafka import is_kraft, minor, numbers
from steward.infra.model import InfraComponent, Kind

_MARK = {Status.PASS: "✅ pass", Status.FAIL: "❌ fail", Status.NOT_CHECKED: "⚪ not checked"}


@dataclass(frozen=True, slots=True)
class Plan:
    """The parts of a runbook that depend on the kind of component."""

    steps: tuple[str, ...]
    watch: tuple[str, ...]
    verify: tuple[str, ...]
    rollback: tuple[str, ...]


def render(
    component: InfraComponent, target: str, results: Sequence[CheckResult], environment: str
) -> str:
    """The runbook for moving ``component`` to ``target`` in ``environment``, as Markdown."""
    plan = _plan(component, target)
    lines = [
        f"# Upgrade {component.id}: {component.version} → {target} ({environment})",
        "",
        f"- Component: {component.kind.value} on {component.platform}, declared at `{component.file}:{component.line}`",
        f"- Version set at: `{_site(component)}`",
        f"- Readiness: **{verdict(list(results))}**",
        "",
        "## Pre-checks",
        "",
        "| check | result | evidence |",
        "|---|---|---|",
        *(_check_row(result) for result in results),
        "",
        "Every failing or unchecked row must be resolved, or its risk accepted in writing, first.",
        "",
        "## Steps",
        "",
        *_numbered(plan.steps),
        "",
        "## Watch while it runs",
        "",
        *(f"- {item}" for item in plan.watch),
        "",
        "## Verification",
        "",
        *(f"- [ ] {item}" for item in plan.verify),
        "",
        "## Rollback",
        "",
        *(f"- {item}" for item in plan.rollback),
        "",
    ]
    return "\n".join(lines)


def _site(component: InfraComponent) -> str:
    site = component.site
    if site is None:
        return component.unresolved or "unknown"
    via = f" (via {site.via})" if site.via else ""
    return f"{site.file}:{site.line}{via}"


def _check_row(result: CheckResult) -> str:
    purpose = CHECKS[result.id].purpose
    evidence = "<br>".join(e.replace("|", "\\|") for e in result.evidence)
    return f"| `{result.id}` — {purpose} | {_MARK[result.status]} | {evidence} |"


def _numbered(steps: Sequence[str]) -> list[str]:
    return [f"{i}. {step}" for i, step in enumerate(steps, start=1)]


def _change_step(component: InfraComponent, target: str) -> str:
    return (
        f"Open the pull request `steward infra plan {component.id} --to {target} --apply` makes "
        f"(it changes only `{_site(component)}`); get it reviewed; run `terraform plan` and check "
        "that the version is the only change to the resource."
    )


def _plan(component: InfraComponent, target: str) -> Plan:
    if component.kind is Kind.KAFKA:
        return _kafka(component, target)
    if component.kind is Kind.POSTGRESQL:
        return _postgresql(component, target)
    if component.kind is Kind.KUBERNETES:
        return _kubernetes(component, target)
    return Plan(
        steps=(_change_step(component, target), "Apply in staging, then in production."),
        watch=("The component's error rate and latency.",),
        verify=(f"The component reports version {target}.",),
        rollback=("Revert the pull request and apply.",),
    )


def _kafka(component: InfraComponent, target: str) -> Plan:
    current = component.version or "?"
    kraft = is_kraft(target)
    protocol = component.settings.get("inter.broker.protocol.version")
    steps = [
        _change_step(component, target),
        "Announce the window; pause partition reassignments and topic creation.",
        f"`terraform apply`: MSK replaces the brokers' software one broker at a time ({current} → {target}); one update can take tens of minutes per broker.",
    ]
    if protocol:
        steps.append(
            f"After every broker runs {target}: set `inter.broker.protocol.version={minor(target)}` in the configuration and roll again."
        )
    if kraft and numbers(target)[0] >= 3:
        steps.append(
            f"After every broker runs {target}: bump the metadata version (`kafka-features.sh upgrade --release-version {minor(target)}`), the step that enables the new features."
        )
    return Plan(
        steps=tuple(steps),
        watch=_KAFKA_WATCH,
        verify=(
            f"Every broker reports {target} (`kafka-broker-api-versions.sh` or the MSK console).",
            "No under-replicated or under-min-ISR partition (`steward infra --bootstrap …`).",
            "Consumer lag back to its usual level; a test message round-trips on every topic.",
        ),
        rollback=_kafka_rollback(component),
    )


_KAFKA_WATCH = (
    "UnderReplicatedPartitions and UnderMinIsrPartitions: back to 0 before the next broker.",
    "OfflinePartitionsCount = 0 and ActiveControllerCount = 1 (per cluster).",
    "Producer error rate (NOT_ENOUGH_REPLICAS) and consumer lag of every group.",
    "Broker CPU and disk (HOST_ checks' queries).",
)


def _kafka_rollback(component: InfraComponent) -> tuple[str, ...]:
    if component.platform == "amazon-msk":
        return (
            "Before `terraform apply`: close the pull request; nothing has changed.",
            "**MSK cannot downgrade a cluster's Apache Kafka version: once the update has started "
            "there is no rollback. Restore service by fixing forward, or by moving clients to a new "
            "cluster at the old version with the data replicated.**",
        )
    return (
        "Before any protocol or metadata bump: revert the pull request and apply; the brokers roll back one at a time.",
        "**After the `inter.broker.protocol.version` / `metadata.version` bump there is no rollback: "
        "the brokers cannot go back to the old version. Restore service by fixing forward.**",
    )


def _postgresql(component: InfraComponent, target: str) -> Plan:
    current = component.version or "?"
    major = current.split(".")[0] != target.split(".")[0]
    blue_green = component.settings.get("blue_green_update") == "true"
    steps = [_change_step(component, target)]
    if major:
        steps += [
            "In the same pull request: `allow_major_version_upgrade = true` and a parameter group of the target family.",
            "Take a manual snapshot and note its identifier.",
            "Check extensions for target-version support (`SELECT * FROM pg_extension`).",
        ]
    steps.append("`terraform apply` in the maintenance window.")
    if major:
        steps.append("Run `ANALYZE` on every database (statistics are not carried over).")
    rollback = ["Before the apply: close the pull request."]
    if major and blue_green:
        rollback.append(
            "Blue/green: until the switchover is final, switch back to the blue environment."
        )
    elif major:
        rollback.append(
            "**An in-place major upgrade has no rollback: the way back is restoring the snapshot "
            "taken before, losing writes since. Revert the pull request only after that restore.**"
        )
    else:
        rollback.append(
            "A minor upgrade is not reverted in place: revert the pull request and restore from the pre-upgrade snapshot if needed."
        )
    return Plan(
        steps=tuple(steps),
        watch=(
            "Connections, replication lag, errors in the services' logs.",
            "RDS events of the instance.",
        ),
        verify=(
            f"`SELECT version()` reports {target}.",
            "The services' health checks and a write/read round-trip.",
        ),
        rollback=tuple(rollback),
    )


def _kubernetes(component: InfraComponent, target: str) -> Plan:
    return Plan(
        steps=(
            "Check deprecated API use for the target version (API server audit log, `kubectl get --raw /metrics | grep apiserver_requested_deprecated_apis`).",
            _change_step(component, target),
            "`terraform apply`: the control plane is upgraded first.",
            "Upgrade each node group to the same version (one at a time), then the add-ons (VPC CNI, CoreDNS, kube-proxy).",
        ),
        watch=("Pods pending or crash-looping; node NotReady.", "API server error rate."),
        verify=(f"`kubectl version` reports a {target} server; every node is Ready at {target}.",),
        rollback=(
            "**An EKS control plane cannot be downgraded: after the apply, the way back is fixing forward (or a new cluster).**",
            "Node groups can go back to the previous AMI release while the control plane stays.",
        ),
    )
