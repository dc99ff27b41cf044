"""`HttpClient` against real scripted servers on 127.0.0.1: retries, cache, limits, credentials."""

from __future__ import annotations

import asyncio
import base64
import email.utils
import json
import logging
import socket
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

from steward.sources.credentials import Credentials
from steward.sources.http import (
    HttpClient,
    MalformedResponse,
    NotFound,
    OfflineMiss,
    Response,
    Unavailable,
)
from tests.servers import Fault, FaultServer, fault_server

T = TypeVar("T")


def run(http: HttpClient, work: Callable[[HttpClient], Awaitable[T]]) -> T:
    """Run ``work`` with ``http`` opened, in a fresh event loop."""

    async def body() -> T:
        async with http:
            return await work(http)

    return asyncio.run(body())


def client(**options: Any) -> HttpClient:
    """An `HttpClient` with a short backoff (tests wait for the server, not for the backoff)."""
    defaults: dict[str, Any] = {"backoff": 0.01, "timeout": 5.0}
    return HttpClient(**{**defaults, **options})


def get(url: str, **options: Any) -> Response:
    """One GET of ``url`` with a fresh `client`."""
    return run(client(**options), lambda http: http.get(url))


@pytest.fixture
def srv() -> Any:
    with fault_server() as server:
        yield server


# --- retries ---------------------------------------------------------------------------------


@pytest.mark.parametrize("code", [500, 502, 503, 504, 429])
def test_a_server_error_is_retried_until_the_answer_comes(srv: FaultServer, code: int) -> None:
    srv.script("/p", [Fault.status(code), Fault.status(code), Fault.json({"ok": True})])
    http = client(retries=3)
    response = run(http, lambda session: session.get(srv.url + "/p"))
    assert response.json() == {"ok": True}
    assert srv.hits("/p") == 3
    assert (http.stats.requests, http.stats.retries) == (3, 2)


def test_retry_after_in_seconds_is_waited_before_the_next_attempt(srv: FaultServer) -> None:
    srv.script("/p", [Fault.status(429, retry_after="1"), Fault.ok("fine")])
    assert get(srv.url + "/p").text == "fine"
    first, second = srv.requests("/p")
    assert second.at - first.at >= 0.9


def test_retry_after_as_a_past_http_date_retries_at_once(srv: FaultServer) -> None:
    past = email.utils.formatdate(0, usegmt=True)
    srv.script("/p", [Fault.status(503, retry_after=past), Fault.ok("fine")])
    assert get(srv.url + "/p").text == "fine"
    assert srv.hits("/p") == 2


@pytest.mark.parametrize("later", ["3600", email.utils.formatdate(time.time() + 3600, usegmt=True)])
def test_a_retry_after_beyond_the_cap_gives_up_at_once(srv: FaultServer, later: str) -> None:
    srv.script("/p", [Fault.status(429, retry_after=later), Fault.ok("too late")])
    with pytest.raises(Unavailable, match=r"HTTP 429 Too Many Requests; the server asks to retry"):
        get(srv.url + "/p", max_wait=30.0)
    assert srv.hits("/p") == 1


def test_exhausted_retries_say_what_failed_and_how_often(srv: FaultServer) -> None:
    srv.script("/p", [Fault.status(429)])
    with pytest.raises(Unavailable) as caught:
        get(srv.url + "/p", retries=3)
    assert str(caught.value) == f"{srv.url}/p: HTTP 429 Too Many Requests after 3 attempts"
    assert srv.hits("/p") == 3


def test_a_server_slower_than_the_timeout_times_out_after_every_attempt(srv: FaultServer) -> None:
    srv.script("/p", [Fault.slow(2.0)])
    with pytest.raises(Unavailable, match=r"/p: timed out after 2 attempts$"):
        get(srv.url + "/p", retries=2, timeout=0.2)
    assert srv.hits("/p") == 2


def test_a_slow_answer_then_a_quick_one_succeeds(srv: FaultServer) -> None:
    srv.script("/p", [Fault.slow(2.0), Fault.ok("quick")])
    assert get(srv.url + "/p", retries=2, timeout=0.3).text == "quick"


def test_a_refused_connection_is_retried_then_reported() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    http = client(retries=2)
    with pytest.raises(Unavailable, match=r"connection refused after 2 attempts$"):
        run(http, lambda session: session.get(f"http://127.0.0.1:{port}/p"))
    assert http.stats.requests == 2


def test_an_unknown_host_is_unavailable_as_host_not_found() -> None:
    with pytest.raises(Unavailable, match=r"registry\.invalid/x: host not found after 1 attempt$"):
        get("http://registry.invalid/x", retries=1)


def test_a_truncated_body_is_retried(srv: FaultServer) -> None:
    srv.script("/p", [Fault.truncated(b"x" * 1000), Fault.ok(b"y" * 1000)])
    assert get(srv.url + "/p").content == b"y" * 1000
    assert srv.hits("/p") == 2


def test_a_body_truncated_every_time_is_unavailable(srv: FaultServer) -> None:
    srv.script("/p", [Fault.truncated(b"x" * 1000)])
    with pytest.raises(Unavailable, match="closed before the whole response arrived after 2"):
        get(srv.url + "/p", retries=2)


# --- errors that are not retried -------------------------------------------------------------


@pytest.mark.parametrize("code", [404, 410])
def test_a_missing_resource_is_not_found_without_retry(srv: FaultServer, code: int) -> None:
    srv.script("/p", [Fault.status(code), Fault.ok("never")])
    with pytest.raises(NotFound, match=f"HTTP {code}"):
        get(srv.url + "/p", retries=3)
    assert srv.hits("/p") == 1


@pytest.mark.parametrize(
    ("code", "reason"),
    [(401, "authentication required"), (403, "forbidden"), (400, "HTTP 400 Bad Request")],
)
def test_other_client_errors_are_unavailable_at_once(
    srv: FaultServer, code: int, reason: str
) -> None:
    srv.script("/p", [Fault.status(code), Fault.ok("never")])
    with pytest.raises(Unavailable, match=reason):
        get(srv.url + "/p", retries=3)
    assert srv.hits("/p") == 1


def test_malformed_json_is_a_malformed_response(srv: FaultServer) -> None:
    srv.script("/p", [Fault.malformed_json()])
    response = get(srv.url + "/p")
    with pytest.raises(MalformedResponse, match=r"malformed JSON from http://127\.0\.0\.1"):
        response.json()


def test_redirects_are_followed_and_the_final_url_reported(srv: FaultServer) -> None:
    srv.script("/old", [Fault.redirect("/new")])
    srv.script("/new", [Fault.ok("moved")])
    response = get(srv.url + "/old")
    assert (response.text, response.url) == ("moved", srv.url + "/new")


# --- the disk cache --------------------------------------------------------------------------


def test_a_second_client_revalidates_with_the_etag_and_serves_the_cached_body(
    srv: FaultServer, tmp_path: Path
) -> None:
    srv.script("/p", [Fault.json({"v": 1}, etag='"abc"')])
    assert not get(srv.url + "/p", cache_dir=tmp_path).from_cache
    http = client(cache_dir=tmp_path)
    again = run(http, lambda session: session.get(srv.url + "/p"))
    assert again.from_cache and again.json() == {"v": 1}
    assert srv.requests("/p")[1].headers["if-none-match"] == '"abc"'
    assert (http.stats.requests, http.stats.conditional, http.stats.not_modified) == (1, 1, 1)


def test_last_modified_is_sent_back_as_if_modified_since(srv: FaultServer, tmp_path: Path) -> None:
    stamp = "Wed, 21 Oct 2015 07:28:00 GMT"
    srv.script("/p", [Fault.ok("body", last_modified=stamp)])
    get(srv.url + "/p", cache_dir=tmp_path)
    again = get(srv.url + "/p", cache_dir=tmp_path)
    assert again.from_cache and again.text == "body"
    assert srv.requests("/p")[1].headers["if-modified-since"] == stamp


def test_a_changed_resource_replaces_the_cached_one(srv: FaultServer, tmp_path: Path) -> None:
    srv.script("/p", [Fault.ok("v1", etag='"1"')])
    get(srv.url + "/p", cache_dir=tmp_path)
    srv.script("/p", [Fault.ok("v2", etag='"2"')])
    fresh = get(srv.url + "/p", cache_dir=tmp_path)
    assert (fresh.text, fresh.from_cache) == ("v2", False)
    assert get(srv.url + "/p", cache_dir=tmp_path, offline=True).text == "v2"


def test_an_entry_without_validators_is_fetched_again_in_full(
    srv: FaultServer, tmp_path: Path
) -> None:
    srv.script("/p", [Fault.ok("v1"), Fault.ok("v2")])
    get(srv.url + "/p", cache_dir=tmp_path)
    assert get(srv.url + "/p", cache_dir=tmp_path).text == "v2"
    second = srv.requests("/p")[1]
    assert "if-none-match" not in second.headers and "if-modified-since" not in second.headers


def test_an_entry_younger_than_max_age_is_used_without_a_request(
    srv: FaultServer, tmp_path: Path
) -> None:
    srv.script("/p", [Fault.ok("v1", etag='"1"')])
    get(srv.url + "/p", cache_dir=tmp_path)
    http = client(cache_dir=tmp_path, max_age=3600)
    assert run(http, lambda session: session.get(srv.url + "/p")).text == "v1"
    assert srv.hits("/p") == 1
    assert (http.stats.cache_hits, http.stats.requests) == (1, 0)


def test_offline_answers_from_the_cache_without_a_request(srv: FaultServer, tmp_path: Path) -> None:
    srv.script("/p", [Fault.ok("cached", etag='"1"')])
    get(srv.url + "/p", cache_dir=tmp_path)
    response = get(srv.url + "/p", cache_dir=tmp_path, offline=True)
    assert (response.text, response.from_cache) == ("cached", True)
    assert srv.hits("/p") == 1


def test_offline_without_a_cached_answer_is_an_offline_miss(
    srv: FaultServer, tmp_path: Path
) -> None:
    srv.script("/p", [Fault.ok("never")])
    with pytest.raises(OfflineMiss, match=r"/p: not in the cache \(offline\)"):
        get(srv.url + "/p", cache_dir=tmp_path, offline=True)
    assert srv.hits() == 0


def test_the_cache_key_includes_accept(srv: FaultServer, tmp_path: Path) -> None:
    srv.script("/p", [Fault.ok("json"), Fault.ok("html")])

    async def both(session: HttpClient) -> list[str]:
        first = await session.get(srv.url + "/p", headers={"Accept": "application/json"})
        second = await session.get(srv.url + "/p", headers={"Accept": "text/html"})
        return [first.text, second.text]

    assert run(client(cache_dir=tmp_path), both) == ["json", "html"]
    assert srv.hits("/p") == 2


def test_a_corrupt_cache_entry_is_fetched_again(srv: FaultServer, tmp_path: Path) -> None:
    srv.script("/p", [Fault.ok("v1", etag='"1"')])
    get(srv.url + "/p", cache_dir=tmp_path)
    for entry in tmp_path.rglob("*"):
        if entry.is_file():
            entry.write_bytes(b"not json\n")
    assert get(srv.url + "/p", cache_dir=tmp_path).text == "v1"
    assert "if-none-match" not in srv.requests("/p")[1].headers


def test_an_entry_is_one_file_named_by_a_hash_with_a_metadata_line(
    srv: FaultServer, tmp_path: Path
) -> None:
    stamp = "Wed, 21 Oct 2015 07:28:00 GMT"
    srv.script("/p", [Fault.ok("the body", etag='"1"', last_modified=stamp)])
    get(srv.url + "/p", cache_dir=tmp_path)
    (entry,) = [f for f in tmp_path.rglob("*") if f.is_file()]
    assert len(entry.name) == 64 and set(entry.name) <= set("0123456789abcdef")
    meta, body = entry.read_bytes().split(b"\n", 1)
    assert body == b"the body"
    assert json.loads(meta) | {"fetched": 0, "headers": {}} == {
        "url": srv.url + "/p",
        "status": 200,
        "etag": '"1"',
        "last_modified": stamp,
        "fetched": 0,
        "headers": {},
    }


def test_file_urls_are_read_but_never_cached(tmp_path: Path) -> None:
    source = tmp_path / "index.json"
    source.write_text('{"a": 1}')
    cache = tmp_path / "cache"
    assert get(source.as_uri(), cache_dir=cache).json() == {"a": 1}
    assert not cache.exists()
    with pytest.raises(NotFound):
        get((tmp_path / "missing.json").as_uri())


# --- sharing and limits ----------------------------------------------------------------------


def test_concurrent_and_repeated_gets_of_one_url_share_one_request(srv: FaultServer) -> None:
    srv.script("/p", [Fault.slow(0.2, Fault.ok("shared")), Fault.ok("second request")])

    async def many(session: HttpClient) -> set[str]:
        answers = await asyncio.gather(*(session.get(srv.url + "/p") for _ in range(10)))
        later = await session.get(srv.url + "/p")
        return {a.text for a in [*answers, later]}

    http = client()
    assert run(http, many) == {"shared"}
    assert srv.hits("/p") == 1
    assert http.stats.coalesced == 10


def test_a_shared_failure_is_raised_to_every_caller_once_requested(srv: FaultServer) -> None:
    srv.script("/p", [Fault.status(404), Fault.ok("never")])

    async def twice(session: HttpClient) -> list[BaseException | Response]:
        calls = [session.get(srv.url + "/p") for _ in range(2)]
        return list(await asyncio.gather(*calls, return_exceptions=True))

    outcomes = run(client(), twice)
    assert [type(o) for o in outcomes] == [NotFound, NotFound]
    assert srv.hits("/p") == 1


def test_a_caller_giving_up_does_not_cancel_the_shared_request(srv: FaultServer) -> None:
    srv.script("/p", [Fault.slow(0.2, Fault.ok("done"))])

    async def one_gives_up(session: HttpClient) -> str:
        impatient = asyncio.ensure_future(session.get(srv.url + "/p"))
        patient = asyncio.ensure_future(session.get(srv.url + "/p"))
        await asyncio.sleep(0.05)
        impatient.cancel()
        return (await patient).text

    assert run(client(), one_gives_up) == "done"
    assert srv.hits("/p") == 1


def _eight_slow_gets(srv: FaultServer, limit: int) -> None:
    for n in range(8):
        srv.script(f"/p{n}", [Fault.slow(0.3, Fault.ok(str(n)))])

    async def all_of_them(session: HttpClient) -> list[str]:
        answers = await asyncio.gather(*(session.get(f"{srv.url}/p{n}") for n in range(8)))
        return [a.text for a in answers]

    assert run(client(max_per_host=limit), all_of_them) == [str(n) for n in range(8)]


def test_requests_in_flight_to_one_host_stay_within_the_limit(srv: FaultServer) -> None:
    _eight_slow_gets(srv, limit=2)
    assert srv.max_in_flight == 2


def test_without_a_tight_limit_the_same_load_does_overlap(srv: FaultServer) -> None:
    _eight_slow_gets(srv, limit=16)
    assert srv.max_in_flight > 2


# --- credentials -----------------------------------------------------------------------------

TOKEN = "s3cr3t-t0ken-value"


def _secrets() -> list[str]:
    pair = base64.b64encode(f"robot:{TOKEN}".encode()).decode()
    return [TOKEN, pair]


def test_netrc_credentials_reach_the_server_but_no_message_or_log(
    srv: FaultServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine 127.0.0.1 login robot password {TOKEN}\n")
    credentials = Credentials.from_environment({"NETRC": str(netrc)}, home=None)
    srv.script("/ok", [Fault.ok("in")])
    srv.script("/no", [Fault.status(403)])
    srv.script("/busy", [Fault.status(503)])

    async def three(session: HttpClient) -> list[BaseException | Response]:
        urls = [srv.url + path for path in ("/ok", "/no", "/busy")]
        return await asyncio.gather(*(session.get(u) for u in urls), return_exceptions=True)

    http = client(credentials=credentials, retries=2)
    ok, forbidden, busy = run(http, three)
    assert srv.requests("/ok")[0].headers["authorization"] == "Basic " + _secrets()[1]
    assert isinstance(ok, Response) and ok.text == "in"
    assert isinstance(forbidden, Unavailable) and isinstance(busy, Unavailable)
    shown = [str(forbidden), str(busy), repr(http), caplog.text]
    assert "/busy: HTTP 503 (attempt 2)" in caplog.text  # the log did record the requests
    for secret in _secrets():
        assert not any(secret in text for text in shown)


def test_userinfo_in_a_url_becomes_a_header_and_leaves_no_trace(
    srv: FaultServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    srv.script("/p", [Fault.ok("in", etag='"1"')])
    srv.script("/gone", [Fault.status(404)])
    url = srv.url.replace("http://", f"http://robot:{TOKEN}@")
    response = get(url + "/p", cache_dir=tmp_path)
    with pytest.raises(NotFound) as caught:
        get(url + "/gone")
    assert srv.requests("/p")[0].headers["authorization"] == "Basic " + _secrets()[1]
    assert response.url == srv.url + "/p"
    stored = b"".join(f.read_bytes() + f.name.encode() for f in tmp_path.rglob("*") if f.is_file())
    for secret in _secrets():
        assert secret not in str(caught.value) and secret not in caplog.text
        assert secret.encode() not in stored


def test_a_prefix_token_goes_only_to_urls_under_its_prefix(srv: FaultServer) -> None:
    srv.script("/private/pkg", [Fault.ok("mine")])
    srv.script("/public/pkg", [Fault.ok("anyone's")])
    credentials = Credentials()
    credentials.add_token(srv.url.removeprefix("http:") + "/private/", TOKEN)

    async def both(session: HttpClient) -> None:
        await session.get(srv.url + "/private/pkg")
        await session.get(srv.url + "/public/pkg")

    run(client(credentials=credentials), both)
    assert srv.requests("/private/pkg")[0].headers["authorization"] == f"Bearer {TOKEN}"
    assert "authorization" not in srv.requests("/public/pkg")[0].headers


def test_an_authorization_header_from_the_caller_wins(srv: FaultServer) -> None:
    srv.script("/p", [Fault.ok("in")])
    credentials = Credentials()
    credentials.add_token(srv.url + "/", TOKEN)
    http = client(credentials=credentials)
    run(http, lambda session: session.get(srv.url + "/p", headers={"Authorization": "Bearer own"}))
    assert srv.requests("/p")[0].headers["authorization"] == "Bearer own"
