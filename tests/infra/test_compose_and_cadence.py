"""Components from compose and Helm values; cadence from records and git dates."""

from __future__ import annotations

from datetime import UTC, date, datetime

from steward.infra import cadence
from steward.infra.compose import extract_compose, extract_helm
from steward.infra.model import InfraComponent, Kind, Record, VersionSite

COMPOSE = """services:
  kafka:
    image: confluentinc/cp-kafka:7.3.0
  db:
    image: "postgres:16.2-alpine"
  cache:
    image: redis:latest
  web:
    image: nginx:1.25
"""


def test_compose_images_become_components_with_lines() -> None:
    found, problems = extract_compose(COMPOSE, "docker-compose.yml")
    assert not problems
    assert [(c.id, c.kind, c.version, c.line) for c in found] == [
        ("compose:kafka", Kind.KAFKA, "3.3", 3),  # Confluent Platform 7.3 ships Apache Kafka 3.3
        ("compose:db", Kind.POSTGRESQL, "16.2", 5),
        ("compose:cache", Kind.REDIS, None, 7),
    ]
    assert "names no version" in (found[2].unresolved or "")
    db = found[1]
    assert COMPOSE[db.site.start : db.site.end] == "16.2-alpine"  # type: ignore[union-attr]


def test_helm_values_repository_and_tag() -> None:
    values = "kafka:\n  image:\n    repository: bitnami/kafka\n    tag: 3.7.1-debian-12-r0\nredis:\n  image: valkey/valkey:8.0\n"
    found, _ = extract_helm(values, "chart/values.yaml")
    assert [(c.id, c.version, c.engine) for c in found] == [
        ("helm:kafka.image", "3.7.1", "kafka"),
        ("helm:redis", "8.0", "valkey"),
    ]


def test_broken_yaml_is_a_problem_with_its_line() -> None:
    _, problems = extract_compose("services:\n  a: [\n", "compose.yaml")
    assert problems and problems[0].file == "compose.yaml" and problems[0].line >= 2


COMPONENT = InfraComponent(
    "aws_eks_cluster.k",
    Kind.KUBERNETES,
    "amazon-eks",
    "e.tf",
    1,
    "1.30",
    site=VersionSite("e.tf", 3, 0, 4),
)


def test_overdue_when_the_last_upgrade_is_older_than_the_policy() -> None:
    records = (Record("production", "aws_eks_cluster.k", "1.30", datetime(2026, 6, 1, tzinfo=UTC)),)
    result = cadence.assess(COMPONENT, records, None, date(2026, 11, 27), 90)
    assert (result.last_upgrade, result.overdue, result.days_since) == (date(2026, 6, 1), True, 179)
    assert result.source == "record: 1.30 in production"


def test_git_date_counts_when_newer_than_any_record() -> None:
    records = (Record("staging", "aws_eks_cluster.k", "1.30", datetime(2026, 6, 1, tzinfo=UTC)),)
    result = cadence.assess(
        COMPONENT, records, datetime(2026, 10, 1, tzinfo=UTC), date(2026, 11, 27), 90
    )
    assert (result.last_upgrade, result.overdue) == (date(2026, 10, 1), False)
    assert result.source == "git: e.tf:3"


def test_unknown_without_records_or_git() -> None:
    result = cadence.assess(COMPONENT, (), None, date(2026, 11, 27), 90)
    assert result.last_upgrade is None and not result.overdue


def test_git_blame_gives_the_date_the_version_line_last_changed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os
    import shutil
    import subprocess

    import pytest

    from steward.infra.gitlog import line_changed

    if shutil.which("git") is None:
        pytest.skip("needs git")
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": "2026-03-01T12:00:00+00:00",
        "GIT_COMMITTER_DATE": "2026-03-01T12:00:00+00:00",
    }
    (tmp_path / "eks.tf").write_text('resource "aws_eks_cluster" "k" {\n  version = "1.30"\n}\n')
    for command in (
        ["init", "-q"],
        ["add", "eks.tf"],
        ["-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "eks"],
    ):
        subprocess.run(["git", *command], cwd=tmp_path, env=env, check=True)
    assert line_changed(tmp_path, "eks.tf", 2) == datetime(2026, 3, 1, 12, tzinfo=UTC)
    (tmp_path / "eks.tf").write_text('resource "aws_eks_cluster" "k" {\n  version = "1.31"\n}\n')
    assert line_changed(tmp_path, "eks.tf", 2) is None  # not committed yet
