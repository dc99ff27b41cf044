"""The synthetic monorepo is deterministic and every manifest in it is well-formed and consistent."""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from pathlib import Path

import generate_monorepo
import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from steward.config import load

Tree = tuple[Path, generate_monorepo.Summary]

GO_VERSION = re.compile(r"v(\d+)\.\d+\.\d+(-\d{14}-[0-9a-f]{12})?")
GO_REQUIRE = re.compile(r"\t(\S+) (\S+)( // indirect)?")
GO_REPLACE = re.compile(r"replace (\S+) => (\.\./\S+|\S+ v\S+)")


def _services(root: Path) -> list[Path]:
    return sorted((root / "services").iterdir())


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


# --- determinism ------------------------------------------------------------------------------


def test_the_same_seed_writes_the_same_tree(tmp_path: Path) -> None:
    generate_monorepo.generate(tmp_path / "a", services=5, seed=3)
    generate_monorepo.generate(tmp_path / "b", services=5, seed=3)
    assert _snapshot(tmp_path / "a") == _snapshot(tmp_path / "b")


def test_another_seed_writes_another_tree(tmp_path: Path) -> None:
    generate_monorepo.generate(tmp_path / "a", services=3, seed=1)
    generate_monorepo.generate(tmp_path / "b", services=3, seed=2)
    for name in ("go.mod", "package.json", "Dockerfile"):
        path = f"services/svc-0002/{name}"
        assert (tmp_path / "a" / path).read_text() != (tmp_path / "b" / path).read_text()


def test_a_service_does_not_depend_on_how_many_are_generated(tmp_path: Path) -> None:
    generate_monorepo.generate(tmp_path / "few", services=2, seed=1)
    generate_monorepo.generate(tmp_path / "more", services=4, seed=1)
    few = _snapshot(tmp_path / "few/services/svc-0002")
    assert few == _snapshot(tmp_path / "more/services/svc-0002")


def test_the_summary_counts_the_files_written(monorepo: Tree) -> None:
    root, summary = monorepo
    assert summary.files == len(_snapshot(root))
    assert summary.services == len(_services(root)) == 60


# --- Go ---------------------------------------------------------------------------------------


def _go_mod(text: str) -> tuple[list[tuple[str, str, bool]], list[str]]:
    """(requires, replaces) of a go.mod, failing on any line this generator should not write."""
    requires, replaces, in_block = [], [], False
    for line in text.splitlines():
        if in_block and line == ")":
            in_block = False
        elif in_block:
            match = GO_REQUIRE.fullmatch(line)
            assert match, line
            requires.append((match[1], match[2], bool(match[3])))
        elif line == "require (":
            in_block = True
        elif line.startswith("replace "):
            assert GO_REPLACE.fullmatch(line), line
            replaces.append(line.split()[1])
        else:
            assert line == "" or re.fullmatch(r"(module \S+|go 1\.\d+\.\d+|toolchain go\S+)", line)
    return requires, replaces


def _implied_major(path: str) -> int | None:
    match = re.search(r"(?:/v|\.v)(\d+)$", path)
    return int(match[1]) if match else None


def test_every_go_mod_is_well_formed_with_5_to_25_requires(monorepo: Tree) -> None:
    for service in _services(monorepo[0]):
        text = (service / "go.mod").read_text()
        assert text.startswith(
            f"module {generate_monorepo.MONOREPO_MODULE}/services/{service.name}\n"
        )
        requires, replaces = _go_mod(text)
        assert 5 <= len(requires) <= 25
        assert len({path for path, _, _ in requires}) == len(requires)
        assert set(replaces) <= {path for path, _, _ in requires}


def test_go_versions_agree_with_the_major_version_of_the_module_path(monorepo: Tree) -> None:
    for service in _services(monorepo[0]):
        for path, version, _ in _go_mod((service / "go.mod").read_text())[0]:
            match = GO_VERSION.fullmatch(version)
            assert match, version
            major = int(match[1])
            assert major == _implied_major(path) if major >= 2 else _implied_major(path) is None


def test_go_mods_mix_direct_indirect_replaced_and_pseudo_versions(monorepo: Tree) -> None:
    parsed = [_go_mod((s / "go.mod").read_text()) for s in _services(monorepo[0])]
    requires = [r for reqs, _ in parsed for r in reqs]
    assert any(indirect for _, _, indirect in requires)
    assert any(not indirect for _, _, indirect in requires)
    assert any(replaces for _, replaces in parsed)
    assert any("-" in version for _, version, _ in requires)


def test_local_replaces_point_at_shared_libraries_that_exist(monorepo: Tree) -> None:
    root = monorepo[0]
    for service in _services(root):
        for line in (service / "go.mod").read_text().splitlines():
            if line.startswith("replace ") and " => ../" in line:
                assert (service / line.split(" => ")[1] / "go.mod").is_file()


# --- npm --------------------------------------------------------------------------------------


def _triple(version: str) -> tuple[int, int, int]:
    major, minor, patch = (int(part) for part in version.split("."))
    return major, minor, patch


def _satisfies(version: str, spec: str) -> bool:
    """npm range semantics for the four styles the generator writes."""
    have = _triple(version)
    if spec.endswith(".x"):
        prefix = tuple(int(part) for part in spec.split(".")[:-1])
        return have[: len(prefix)] == prefix
    if spec[0] in "^~":
        base = _triple(spec[1:])
        same = 1 if spec[0] == "^" and base[0] else 2
        if spec[0] == "^" and base[0] == 0 and base[1] == 0:
            same = 3
        return have >= base and have[:same] == base[:same]
    return have == _triple(spec)


def test_the_npm_range_checker_used_below_is_right() -> None:
    assert _satisfies("1.9.0", "^1.2.3") and not _satisfies("2.0.0", "^1.2.3")
    assert _satisfies("0.2.9", "^0.2.3") and not _satisfies("0.3.0", "^0.2.3")
    assert _satisfies("1.2.9", "~1.2.3") and not _satisfies("1.3.0", "~1.2.3")
    assert (
        _satisfies("1.4.0", "1.x")
        and _satisfies("0.3.1", "0.3.x")
        and not _satisfies("0.4.0", "0.3.x")
    )
    assert _satisfies("1.2.3", "1.2.3") and not _satisfies("1.2.4", "1.2.3")


def _resolve(packages: dict[str, dict[str, object]], origin: str, name: str) -> dict[str, object]:
    """Node's lookup: node_modules/<name> under ``origin``, then under each ancestor."""
    base = origin
    while True:
        candidate = f"{base}/node_modules/{name}" if base else f"node_modules/{name}"
        if candidate in packages:
            return packages[candidate]
        assert base, f"{name} not installed for {origin or 'the root'}"
        base = base.rsplit("/node_modules/", 1)[0] if "/node_modules/" in base else ""


def test_every_package_json_has_10_to_40_dependencies_with_varied_ranges(monorepo: Tree) -> None:
    styles: set[str] = set()
    for service in _services(monorepo[0]):
        manifest = json.loads((service / "package.json").read_text())
        ranges = {**manifest["dependencies"], **manifest["devDependencies"]}
        assert 10 <= len(ranges) <= 40
        assert not manifest["dependencies"].keys() & manifest["devDependencies"].keys()
        styles |= {
            "x" if r.endswith(".x") else r[0] if r[0] in "^~" else "exact" for r in ranges.values()
        }
    assert styles == {"^", "~", "x", "exact"}


def test_every_package_lock_is_version_3_and_satisfies_its_package_json(monorepo: Tree) -> None:
    for service in _services(monorepo[0]):
        manifest = json.loads((service / "package.json").read_text())
        lock = json.loads((service / "package-lock.json").read_text())
        assert lock["lockfileVersion"] == 3
        packages = lock["packages"]
        assert packages[""]["dependencies"] == manifest["dependencies"]
        assert packages[""]["devDependencies"] == manifest["devDependencies"]
        for section in ("dependencies", "devDependencies"):
            for name, spec in manifest[section].items():
                entry = packages[f"node_modules/{name}"]
                assert _satisfies(str(entry["version"]), spec), (service.name, name, spec)
                assert section == "devDependencies" or "dev" not in entry


def test_every_locked_package_finds_its_own_dependencies_installed(monorepo: Tree) -> None:
    nested = 0
    for service in _services(monorepo[0]):
        packages = json.loads((service / "package-lock.json").read_text())["packages"]
        for path, entry in packages.items():
            nested += path.count("node_modules/") > 1
            for name, spec in dict(entry.get("dependencies", {})).items():
                if path:
                    assert _satisfies(str(_resolve(packages, path, name)["version"]), spec)
    assert nested, "some conflicts should be nested below their parent"


def test_lock_entries_resolve_to_the_placeholder_mirror_by_name_and_version(monorepo: Tree) -> None:
    lock = json.loads((_services(monorepo[0])[0] / "package-lock.json").read_text())
    for path, entry in lock["packages"].items():
        if path:
            name = path.rsplit("node_modules/", 1)[1]
            tarball = f"{name.rsplit('/', 1)[-1]}-{entry['version']}.tgz"
            assert entry["resolved"] == f"https://npm-mirror.invalid/{name}/-/{tarball}"
            assert "integrity" not in entry


# --- Python -----------------------------------------------------------------------------------


def test_python_manifests_alternate_between_the_three_kinds(monorepo: Tree) -> None:
    kinds = []
    for service in _services(monorepo[0])[:6]:
        if (service / "requirements.txt").exists():
            kinds.append("requirements")
        elif (service / "poetry.lock").exists():
            kinds.append("poetry")
        else:
            kinds.append("pep621")
    assert kinds == ["pep621", "poetry", "requirements"] * 2


def test_requirements_files_are_pins_that_pep_508_accepts(monorepo: Tree) -> None:
    for path in (monorepo[0] / "services").glob("*/requirements.txt"):
        lines = [line for line in path.read_text().splitlines() if line and line[0] != "#"]
        assert 8 <= len(lines) <= 30
        for line in lines:
            (specifier,) = Requirement(line).specifier
            assert specifier.operator == "=="


def test_pep_621_projects_are_valid_toml_with_pep_508_dependencies(monorepo: Tree) -> None:
    for service in _services(monorepo[0]):
        if (service / "pyproject.toml").exists() and not (service / "poetry.lock").exists():
            project = tomllib.loads((service / "pyproject.toml").read_text())["project"]
            assert project["name"] == service.name
            for line in project["dependencies"] + project["optional-dependencies"]["dev"]:
                Requirement(line)


def _poetry_allows(version: str, constraint: str) -> bool:
    have = Version(version)
    if constraint[0] not in "^~":
        return have == Version(constraint)
    base = Version(constraint[1:])
    parts = [*base.release, 0, 0][:3]
    if constraint[0] == "~":
        depth = 2
    else:  # ^: the leftmost non-zero number stays fixed
        depth = 1 if parts[0] else 2 if parts[1] or len(base.release) < 3 else 3
    upper = [*parts[: depth - 1], parts[depth - 1] + 1]
    return base <= have < Version(".".join(map(str, upper)))


def test_poetry_locks_lock_every_declared_package_within_its_constraint(monorepo: Tree) -> None:
    for lock_path in (monorepo[0] / "services").glob("*/poetry.lock"):
        text = (lock_path.parent / "pyproject.toml").read_text()
        poetry = tomllib.loads(text)["tool"]["poetry"]
        declared = {**poetry["dependencies"], **poetry["group"]["dev"]["dependencies"]}
        del declared["python"]
        lock = tomllib.loads(lock_path.read_text())
        locked = {p["name"]: p["version"] for p in lock["package"]}
        assert locked.keys() == declared.keys()
        for name, spec in declared.items():
            constraint = spec if isinstance(spec, str) else spec["version"]
            assert _poetry_allows(locked[name], constraint), (lock_path, name)
        assert lock["metadata"]["content-hash"] == hashlib.sha256(text.encode()).hexdigest()


# --- the rest of the tree ---------------------------------------------------------------------


def test_every_dockerfile_is_multi_stage(monorepo: Tree) -> None:
    for service in _services(monorepo[0]):
        text = (service / "Dockerfile").read_text()
        stages = re.findall(r"^FROM \S+ AS (\w+)$", text, re.MULTILINE)
        assert len(stages) >= 2
        assert all(f"COPY --from={stage} " in text for stage in stages)


@pytest.mark.parametrize("folder", ["node_modules", "vendor", "dist"])
def test_ignored_folders_hold_manifests_and_are_gitignored(monorepo: Tree, folder: str) -> None:
    root = monorepo[0]
    manifests = [
        p for p in root.glob(f"services/*/{folder}/**/*") if p.name in ("package.json", "go.mod")
    ]
    assert manifests
    assert f"{folder}/" in (root / ".gitignore").read_text().splitlines()


def test_the_summary_counts_files_in_ignored_folders(monorepo: Tree) -> None:
    root, summary = monorepo
    skipped = [
        p
        for p in root.rglob("*")
        if p.is_file() and {"node_modules", "vendor", "dist"} & set(p.parts)
    ]
    assert summary.skipped_files == len(skipped)


def test_steward_toml_configures_nothing(monorepo: Tree) -> None:
    settings = load(monorepo[0])
    assert settings.services == [] and settings.registries == {} and settings.ignore == []


def test_urls_only_name_the_placeholder_mirror(monorepo: Tree) -> None:
    hosts = set()
    for text in _snapshot(monorepo[0]).values():
        hosts |= set(re.findall(rb"https?://([^/\s\"']+)", text))
    assert hosts == {b"npm-mirror.invalid"}
