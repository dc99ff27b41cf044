"""A broken Docker ``config.json`` is a problem naming the file, never a silent "no credentials"."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from steward.images.auth import parse_docker_config, read_docker_config
from steward.model import Problem

SECRET = "s3cr3t-pa55"
GOOD = base64.b64encode(f"ci:{SECRET}".encode()).decode()


def test_invalid_json_names_the_file_and_line() -> None:
    auths = parse_docker_config(
        '{\n  "auths": {\n    "r.example": {"auth": "x",}\n  }\n}', "/h/c.json"
    )
    assert auths.entries == {}
    assert auths.problems == (
        Problem("/h/c.json", 3, "invalid JSON: Expecting property name enclosed in double quotes"),
    )


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], "a Docker config must be a JSON object"),
        ({"auths": ["r.example"]}, '"auths" must be an object'),
        (
            {"auths": {"r.example": "x"}},
            "auths['r.example']: the entry must be an object; not used",
        ),
    ],
)
def test_a_misshapen_config_is_a_problem(document: object, message: str) -> None:
    auths = parse_docker_config(json.dumps(document), "c.json")
    assert auths.entries == {}
    assert [(p.file, p.message) for p in auths.problems] == [("c.json", message)]


@pytest.mark.parametrize(
    "auth",
    [
        "not base64!",
        base64.b64encode(f"no-colon-{SECRET}".encode()).decode(),
        base64.b64encode(b"\xff\xfe" + SECRET.encode()).decode(),
        42,
    ],
)
def test_a_bad_auth_is_a_problem_without_the_credential_and_others_still_apply(
    auth: object,
) -> None:
    document = {
        "auths": {"https://bad.example/v1/": {"auth": auth}, "good.example": {"auth": GOOD}}
    }
    auths = parse_docker_config(json.dumps(document), "c.json")
    assert auths.for_host("good.example") == ("ci", SECRET)
    assert auths.for_host("bad.example") is None
    assert [p.message for p in auths.problems] == [
        "auths['bad.example']: \"auth\" is not the base64 of user:password; not used"
    ]
    shown = repr(auths) + repr(auths.problems)
    assert SECRET not in shown and "no-colon" not in shown and str(auth) not in shown


def test_entries_without_credentials_are_no_problem() -> None:
    document = {"auths": {"r.example": {}, "s.example": {"auth": ""}}, "credsStore": "desktop"}
    auths = parse_docker_config(json.dumps(document))
    assert auths.entries == {} and auths.problems == ()


def test_a_missing_file_is_silent_and_an_undecodable_one_is_named(tmp_path: Path) -> None:
    assert read_docker_config(tmp_path / "absent.json").problems == ()
    broken = tmp_path / "config.json"
    broken.write_bytes(b'{"auths": {"r.example": {"auth": "\xff"}}}')
    assert read_docker_config(broken).problems == (
        Problem(str(broken), 0, "could not be read: not UTF-8"),
    )


def test_userinfo_written_into_an_auths_key_is_never_shown() -> None:
    document = {"auths": {f"https://ci:{SECRET}@r.example/v1/": {"auth": "@@"}}}
    auths = parse_docker_config(json.dumps(document), "c.json")
    assert [p.message for p in auths.problems] == [
        "auths['r.example']: \"auth\" is not the base64 of user:password; not used"
    ]
