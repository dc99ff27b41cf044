"""Image references from Dockerfiles, compose, Kubernetes and Helm values, with file and line."""

from __future__ import annotations

from steward.ecosystems.docker.extract import (
    extract_compose,
    extract_dockerfile,
    extract_file,
    extract_helm_values,
    extract_kubernetes,
)
from steward.ecosystems.docker.reference import parse_reference

DOCKERFILE = """\
# syntax=docker/dockerfile:1.7
ARG REGISTRY=registry.local:5000
ARG BASE_TAG
ARG NODE=20
FROM --platform=$BUILDPLATFORM node:${NODE:-18}-alpine AS deps
RUN npm ci
FROM deps AS build
FROM ${REGISTRY}/team/base:1.2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
COPY --from=build /app /app
COPY --from=0 /x /x
COPY --from=nginx:1.25 /etc/nginx /etc/nginx
FROM python:${BASE_TAG}
FROM scratch
FROM gcr.io/distroless/static-debian12:nonroot \\
    AS final
"""


def test_dockerfile_references_skip_stages_and_scratch() -> None:
    found = extract_dockerfile("Dockerfile", DOCKERFILE)
    rows = [(r.line, r.text, r.context, r.skip_reason is not None) for r in found.refs]
    assert rows == [
        (1, "docker/dockerfile:1.7", "syntax", False),
        (5, "node:20-alpine", "stage 0 (deps)", False),
        (
            8,
            "registry.local:5000/team/base:1.2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "stage 2",
            False,
        ),
        (11, "nginx:1.25", "COPY --from", False),
        (12, "python:${BASE_TAG}", "stage 3", True),
        (14, "gcr.io/distroless/static-debian12:nonroot", "stage 5 (final)", False),
    ]


def test_the_last_stage_is_the_final_one_and_platform_is_kept() -> None:
    found = extract_dockerfile("Dockerfile", DOCKERFILE)
    assert [r.text for r in found.refs if r.final_stage] == [
        "gcr.io/distroless/static-debian12:nonroot"
    ]
    assert found.refs[1].platform == "$BUILDPLATFORM"


def test_a_registry_with_a_port_is_not_a_tag() -> None:
    ref = parse_reference("registry.local:5000/team/base:1.2")
    assert (ref.registry, ref.repository, ref.tag, ref.path) == (
        "registry.local:5000",
        "team/base",
        "1.2",
        "team/base",
    )
    assert parse_reference("python").path == "library/python"


def test_compose_services_with_lines_and_defaults() -> None:
    text = "services:\n  db:\n    image: postgres:${PG:-16}\n  app:\n    build: .\n"
    found = extract_compose("compose.yaml", text)
    assert [(r.line, r.text, r.context) for r in found.refs] == [(3, "postgres:16", "service db")]


def test_kubernetes_every_document_and_workload_kind() -> None:
    text = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: x}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  jobTemplate:
    spec:
      template:
        spec:
          initContainers:
            - {name: wait, image: busybox:1.36}
          containers:
            - name: run
              image: ghcr.io/acme/job:2.0
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - {name: c, image: "redis:7"}
"""
    found = extract_kubernetes("k8s.yaml", text)
    assert [(r.line, r.text, r.context) for r in found.refs] == [
        (14, "busybox:1.36", "CronJob/nightly initContainers/wait"),
        (17, "ghcr.io/acme/job:2.0", "CronJob/nightly containers/run"),
        (24, "redis:7", "Pod/p containers/c"),
    ]


def test_helm_values_image_mappings() -> None:
    text = "api:\n  image:\n    registry: ghcr.io\n    repository: acme/api\n    tag: 1.4.2\nworker:\n  image:\n    repository: acme/worker\n"
    found = extract_helm_values("values.yaml", text)
    assert [(r.line, r.text, r.written) for r in found.refs] == [
        (5, "ghcr.io/acme/api:1.4.2", None),
        (8, "acme/worker", None),
    ]


def test_broken_yaml_is_a_problem_with_a_line() -> None:
    found = extract_kubernetes("bad.yaml", "kind: Pod\nspec: [unclosed\n")
    assert found.refs == []
    assert found.problems[0].file == "bad.yaml" and found.problems[0].line > 0


def test_a_byte_order_mark_and_crlf_do_not_hide_the_first_line() -> None:
    files = {
        "Dockerfile": ("\ufeffFROM python:3.11-slim\r\nRUN true\r\n", 1, "python:3.11-slim"),
        "compose.yaml": ("\ufeffservices:\r\n  web:\r\n    image: redis:7.2\r\n", 3, "redis:7.2"),
    }
    for path, (text, line, image) in files.items():
        found = extract_file(path, lambda _, text=text: text)
        assert [(r.file, r.line, r.text) for r in found.refs] == [(path, line, image)]
        assert found.problems == []
