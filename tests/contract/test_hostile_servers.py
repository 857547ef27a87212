"""Servers that lie or stall: each answer below comes from a fault proxy in front of a real Oxigraph
server, and each must end in exit 3 with one line that says what the server did, and leave the store
as it was. No test here depends on how fast the machine is: a stalled server stalls until the client
gives up, whenever that is."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from click.testing import Result

from ..conftest import PREFIXES, dump_store
from ..faultproxy import FaultProxy, Rule
from .test_faults import VALID, is_query, ssbkg

CREDENTIALS = {"SSBKG_USER": "alice", "SSBKG_PASSWORD": "s3cret-pw"}


def one_line_exit_3(result: Result) -> str:
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    lines = result.stderr.splitlines()
    assert lines[0].startswith("Error: ") and len(lines) <= 2, result.stderr
    return result.stderr


def drip(prefix: bytes, seconds: float = 120) -> object:
    """An answer that starts well and then sends one byte every 0.2 s, for up to two minutes."""

    def respond(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/sparql-results+json")
        handler.end_headers()
        handler.wfile.write(prefix)
        handler.wfile.flush()
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            time.sleep(0.2)
            handler.wfile.write(b" ")
            handler.wfile.flush()

    return respond


def endless(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/sparql-results+json")
    handler.end_headers()
    handler.wfile.write(b'{"head": {"vars": ["x"]}, "results": {"bindings": [')
    row = b'{"x": {"type": "literal", "value": "' + b"a" * 1000 + b'"}},'
    for _ in range(10**6):  # a gigabyte, or until the client hangs up
        handler.wfile.write(row * 100)


def answer(status: int, body: bytes, content_type: str, **headers: str) -> object:
    def respond(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            handler.send_header(k, v)
        handler.end_headers()
        handler.wfile.write(body)

    return respond


@pytest.fixture
def elsewhere() -> Iterator[FaultProxy]:
    """Another origin: it records what reaches it and answers every query with no rows."""
    empty = json.dumps({"head": {"vars": ["graph"]}, "results": {"bindings": []}}).encode()
    p = FaultProxy("http://127.0.0.1:9").start()
    p.rules.append(Rule(lambda s: True, respond=answer(200, empty, "application/sparql-results+json")))
    yield p
    p.stop()


def test_a_dripping_answer_to_a_read_meets_the_deadline(proxy: FaultProxy) -> None:
    proxy.rules.append(Rule(is_query, respond=drip(b'{"head": {"vars": ')))
    err = one_line_exit_3(ssbkg("--store", proxy.url(), "--http-timeout", "1", "graphs"))
    assert "did not answer in full within 1 s" in err


def test_a_dripping_answer_to_a_write_meets_the_deadline(proxy: FaultProxy, oxigraph: str, tmp_path: Path) -> None:
    path = tmp_path / "drip.ttl"
    path.write_text(PREFIXES + VALID, encoding="utf-8")
    before = dump_store(oxigraph)
    proxy.rules.append(Rule(lambda s: s.path.startswith("/store"), respond=drip(b"")))
    err = one_line_exit_3(ssbkg("--store", proxy.url(), "--http-timeout", "2", "load", str(path)))
    assert "did not answer in full within 2 s" in err
    assert dump_store(oxigraph) == before


def test_an_endless_answer_is_cut_at_the_cap(proxy: FaultProxy) -> None:
    proxy.rules.append(Rule(is_query, respond=endless))
    result = ssbkg("--store", proxy.url(), "--http-timeout", "120", "graphs", env={"SSBKG_MAX_ANSWER_MB": "8"})
    err = one_line_exit_3(result)
    assert "sent an answer larger than 8 MB: not read further" in err and "SSBKG_MAX_ANSWER_MB" in err


def test_a_redirect_to_another_origin_is_not_followed_and_gets_no_credentials(
    proxy: FaultProxy, elsewhere: FaultProxy
) -> None:
    proxy.rules.append(Rule(is_query, respond=answer(302, b"", "text/plain", Location=elsewhere.url())))
    err = one_line_exit_3(ssbkg("--store", proxy.url(), "graphs", env=CREDENTIALS))
    assert f"redirected to {elsewhere.url()}, another origin: not followed" in err
    assert elsewhere.seen == []  # neither the credentials nor the query went there
    assert "s3cret-pw" not in err


@pytest.mark.parametrize("code", [301, 302, 303])
def test_a_redirect_that_would_turn_a_post_into_a_get_is_refused(proxy: FaultProxy, code: int) -> None:
    proxy.rules.append(Rule(is_query, times=1, respond=answer(code, b"", "text/plain", Location=proxy.url("/query"))))
    err = one_line_exit_3(ssbkg("--store", proxy.url(), "graphs"))
    assert f"answered {code}, a redirect to {proxy.url('/query')} that would drop the request's body" in err
    assert len(proxy.seen) == 1


def test_a_307_within_the_origin_is_followed_with_its_body_and_credentials(proxy: FaultProxy) -> None:
    moved = proxy.url("/query") + "?moved=1"
    proxy.rules.append(
        Rule(lambda s: "moved" not in s.path, times=1, respond=answer(307, b"", "text/plain", Location=moved))
    )
    result = ssbkg("--store", proxy.url(), "graphs", "--format", "csv", env=CREDENTIALS)
    assert result.exit_code == 0, result.output
    assert "https://w3id.org/ssbkg/graph/bundled/data/assertions" in result.stdout
    first, second = proxy.seen[:2]
    assert second.path.endswith("?moved=1") and second.method == "POST" and second.body == first.body
    expected = "Basic " + base64.b64encode(b"alice:s3cret-pw").decode()
    assert second.headers.get("Authorization") == expected


@pytest.mark.parametrize("endpoint", ["/store", "/update"])
def test_a_write_endpoint_that_says_yes_and_does_nothing_is_found_out(
    proxy: FaultProxy,
    oxigraph: str,
    tmp_path: Path,
    endpoint: str,
) -> None:
    path = tmp_path / "lie.ttl"
    path.write_text(PREFIXES + VALID, encoding="utf-8")
    before = dump_store(oxigraph)
    graphs_before = ssbkg("--store", oxigraph, "graphs", "--format", "csv").stdout
    page = b"<html><body>Thanks!</body></html>"
    proxy.rules.append(Rule(lambda s: s.path.startswith(endpoint), respond=answer(200, page, "text/html")))
    err = one_line_exit_3(ssbkg("--store", proxy.url(), "load", str(path)))
    said = {"/store": "answered the write but kept 0 of 3 triples", "/update": "answered the write but did not make it"}
    assert said[endpoint] in err
    if endpoint == "/store":
        assert dump_store(oxigraph) == before
    else:
        # What was written before the lie cannot be removed through an endpoint that lies; it is debris
        # that no query reads (prune sweeps it), and every query answers as before.
        assert ssbkg("--store", oxigraph, "graphs", "--format", "csv").stdout == graphs_before


def test_a_drop_that_the_server_ignores_is_found_out(proxy: FaultProxy, oxigraph: str, tmp_path: Path) -> None:
    path = tmp_path / "kept.ttl"
    path.write_text(PREFIXES + VALID, encoding="utf-8")
    assert ssbkg("--store", oxigraph, "load", str(path)).exit_code == 0
    before = dump_store(oxigraph)
    page = b"<html><body>Thanks!</body></html>"
    proxy.rules.append(Rule(lambda s: s.path.startswith("/update"), respond=answer(200, page, "text/html")))
    err = one_line_exit_3(ssbkg("--store", proxy.url(), "drop", "kept.ttl"))
    assert "answered the write but did not make it" in err
    assert dump_store(oxigraph) == before
    graphs = ssbkg("--store", oxigraph, "graphs", "--format", "csv").stdout
    assert "/graph/user/kept" in graphs


def test_an_update_endpoint_that_is_no_url_of_http_is_refused(oxigraph: str) -> None:
    result = ssbkg("--store", oxigraph, "--update-endpoint", "file:///tmp/update", "drop", "x")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --update-endpoint file:///tmp/update is not an http(s) URL")


def test_an_answer_nested_too_deep_is_a_broken_server(proxy: FaultProxy) -> None:
    deep = b'{"head": {"vars": ["x"]}, "results": {"bindings": [' + b"[" * 200_000 + b"]" * 200_000 + b"]}}"
    proxy.rules.append(Rule(is_query, respond=answer(200, deep, "application/sparql-results+json")))
    err = one_line_exit_3(ssbkg("--store", proxy.url(), "graphs"))
    assert "nested too deep" in err


@pytest.mark.parametrize("count", ["many", "4.5", "²", "-1", " 42"])  # "²" is a digit to str.isdigit
def test_a_registry_whose_triple_count_is_no_number_is_a_broken_server(proxy: FaultProxy, count: str) -> None:
    def spoil(body: bytes) -> bytes:
        data = json.loads(body)
        for row in data.get("results", {}).get("bindings", []):
            if "count" in row:
                row["count"] = {"type": "literal", "value": count}
        return json.dumps(data).encode()

    proxy.rules.append(Rule(lambda s: is_query(s) and b"tripleCount" in s.body, rewrite=spoil))
    err = one_line_exit_3(ssbkg("--store", proxy.url(), "graphs"))
    assert "the registry is broken" in err and repr(count) in err


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://127.0.0.1:99999/query", "is not a usable URL (Port out of range"),
        ("http://127.0.0.1:port/query", "is not a usable URL"),
        ("http://[::1/query", "is not a usable URL (Invalid IPv6 URL)"),
    ],
)
def test_a_store_url_that_cannot_be_used_is_exit_2(url: str, words: str) -> None:
    result = ssbkg("--store", url, "graphs")
    assert result.exit_code == 2, result.output
    assert words in result.stderr
