"""Fixtures of the images tests: a real distribution registry on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.images.oci import BINARY, Pusher, distribution


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a fresh ``docker-registry`` (skips when it is not installed)."""
    if BINARY is None:
        pytest.skip("docker-registry is not installed (apt-get install -y docker-registry)")
    tmp: Path = tmp_path_factory.mktemp("registry")
    with distribution(tmp) as url:
        yield url


@pytest.fixture(scope="module")
def pusher(registry: str) -> Pusher:
    return Pusher(registry)
