"""Discovery: what a walk sees, what it skips, how folders become services."""

from __future__ import annotations

import os
from pathlib import Path

from steward.config import ServiceSettings, Settings
from steward.discover import CodeOwners, discover, is_dockerfile


def _claims(name: str) -> bool:
    return name in ("go.mod", "package.json", "requirements.txt")


CLAIMERS = [("any", _claims)]


def _tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def _claimed(root: Path, settings: Settings | None = None) -> set[str]:
    inventory = discover(root, settings or Settings(base_dir=root), CLAIMERS)
    return {f"{c.directory}/{n}" for c in inventory.claims for n in c.filenames}


def test_vendored_and_installed_folders_are_never_entered(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "svc/go.mod": "module x\n",
            "svc/vendor/github.com/a/go.mod": "module a\n",
            "web/node_modules/left-pad/package.json": "{}",
            "web/package.json": "{}",
            ".venv/lib/requirements.txt": "",
            ".git/package.json": "{}",
        },
    )
    assert _claimed(tmp_path) == {"svc/go.mod", "web/package.json"}


def test_gitignore_rules_apply_at_every_level(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            ".gitignore": "build/\n*.generated/\n",
            "build/package.json": "{}",
            "a/x.generated/go.mod": "",
            "a/.gitignore": "/local/\n!keep/\n",
            "a/local/requirements.txt": "",
            "a/other/local/requirements.txt": "",
            "a/go.mod": "",
        },
    )
    assert _claimed(tmp_path) == {"a/go.mod", "a/other/local/requirements.txt"}


def test_settings_ignore_patterns_are_honoured(tmp_path: Path) -> None:
    _tree(tmp_path, {"fixtures/go.mod": "", "app/go.mod": ""})
    settings = Settings(base_dir=tmp_path, ignore=["fixtures/"])
    assert _claimed(tmp_path, settings) == {"app/go.mod"}


def test_a_folder_with_a_manifest_or_dockerfile_is_a_service(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "services/orders/go.mod": "",
            "services/orders/cmd/main.go": "",
            "services/edge/Dockerfile": "FROM scratch\n",
            "docs/readme.md": "",
        },
    )
    inventory = discover(tmp_path, Settings(base_dir=tmp_path), CLAIMERS)
    assert [(s.name, s.path) for s in inventory.services] == [
        ("edge", "services/edge"),
        ("orders", "services/orders"),
    ]
    assert inventory.dockerfiles == ["services/edge/Dockerfile"]
    assert inventory.service_of("services/orders/cmd") == "orders"


def test_steward_toml_names_services_and_claims_their_subfolders(tmp_path: Path) -> None:
    _tree(tmp_path, {"apps/pay/go.mod": "", "apps/pay/tools/go.mod": ""})
    settings = Settings(
        base_dir=tmp_path,
        services=[
            ServiceSettings(
                name="payments",
                path="apps/pay",
                owners=["@team/pay"],
                produces=["payments.captured"],
            )
        ],
    )
    inventory = discover(tmp_path, settings, CLAIMERS)
    assert [(s.name, s.owners, s.produces) for s in inventory.services] == [
        ("payments", ("@team/pay",), ("payments.captured",)),
    ]
    assert inventory.service_of("apps/pay/tools") == "payments"


def test_codeowners_last_matching_rule_wins() -> None:
    owners = CodeOwners.parse(
        "# comment\n*  @org/everyone\n/services/ @org/platform\n/services/orders/ @org/orders\n"
    )
    assert owners.owners_of("services/orders") == ("@org/orders",)
    assert owners.owners_of("services/payments") == ("@org/platform",)
    assert owners.owners_of("tools") == ("@org/everyone",)


def test_codeowners_found_in_dot_github(tmp_path: Path) -> None:
    _tree(tmp_path, {".github/CODEOWNERS": "/svc/ @org/svc\n", "svc/go.mod": ""})
    inventory = discover(tmp_path, Settings(base_dir=tmp_path), CLAIMERS)
    assert inventory.services[0].owners == ("@org/svc",)


def test_dockerfile_names() -> None:
    assert all(
        map(is_dockerfile, ["Dockerfile", "Dockerfile.prod", "api.Dockerfile", "Containerfile"])
    )
    assert not any(map(is_dockerfile, ["docker-compose.yml", "dockerignore.txt"]))


def test_the_tree_reader_never_leaves_the_root(tmp_path: Path) -> None:
    from steward.scan import TreeReader

    (tmp_path / "outside.txt").write_text("secret")
    root = tmp_path / "repo"
    (root / "a").mkdir(parents=True)
    (root / "a" / "requirements.txt").write_text("requests\n")
    read = TreeReader(root)
    assert read("a/../a/requirements.txt") == "requests\n"
    for escape in ("../outside.txt", "a/../../outside.txt", str(tmp_path / "outside.txt")):
        try:
            read(escape)
        except FileNotFoundError as error:
            assert "outside the scanned tree" in str(error)
        else:
            raise AssertionError(f"{escape} was read")


def test_fifos_and_links_to_devices_are_not_claimed(tmp_path: Path) -> None:
    """Opening a FIFO blocks for ever and a device never ends: neither is a manifest."""
    _tree(tmp_path, {"a/go.mod": "module a\n", "c/package.json": "{}"})
    os.mkfifo(tmp_path / "b-package.json")
    (tmp_path / "b").mkdir()
    os.mkfifo(tmp_path / "b" / "package.json")
    (tmp_path / "a" / "requirements.txt").symlink_to("/dev/zero")
    (tmp_path / "c" / "requirements.txt").symlink_to(tmp_path / "missing.txt")
    # a dangling link stays claimed, so reading it is reported with its path
    assert _claimed(tmp_path) == {"a/go.mod", "c/package.json", "c/requirements.txt"}
