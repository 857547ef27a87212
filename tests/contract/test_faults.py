"""Remote faults: each gives exit 3 and one clear line; reads are retried, writes never; credentials
never appear in a message. A fault proxy sits in front of a real Oxigraph server."""

from __future__ import annotations

import base64

from click.testing import CliRunner, Result

from ssbkg.cli import cli

from ..conftest import PREFIXES, dump_store
from ..faultproxy import FaultProxy, Rule
from ..servers import free_port

VALID = """
ssbid:org-fault a ssb:Company ; rdfs:label "Fault Ltd"@en ; dct:source ssbid:report-electrive-2024-02-13 .
"""


def ssbkg(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner(env=env).invoke(cli, list(args))


def one_clear_error(result: Result) -> str:
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert lines[0].startswith("Error: ") and len(lines) <= 2
    return result.stderr


def is_query(seen) -> bool:  # type: ignore[no-untyped-def]
    return seen.path.startswith("/query")


def test_connection_refused() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    err = one_clear_error(ssbkg("--store", url, "query", "alliance-members", "-p", "alliance=casip"))
    assert "cannot reach http://127.0.0.1:" in err
    assert "connection refused" in err and "Errno" not in err


def test_timeout_is_configurable(proxy: FaultProxy) -> None:
    proxy.rules.append(Rule(is_query, delay=2.0))
    err = one_clear_error(ssbkg("--store", proxy.url(), "--http-timeout", "0.3", "graphs"))
    assert "did not answer in full within 0.3 s" in err and "--http-timeout" in err
    from_env = one_clear_error(ssbkg("--store", proxy.url(), "graphs", env={"SSBKG_HTTP_TIMEOUT": "0.4"}))
    assert "did not answer in full within 0.4 s" in from_env


def test_server_error_is_retried_for_reads_then_reported_with_its_message(proxy: FaultProxy) -> None:
    proxy.rules.append(Rule(is_query, status=500, body=b"Storage on fire"))
    err = one_clear_error(ssbkg("--store", proxy.url(), "graphs"))
    assert "HTTP 500" in err
    assert len(proxy.seen) == 4  # one try and three retries, with backoff


def test_a_transient_error_on_a_read_is_retried_and_succeeds(proxy: FaultProxy, oxigraph: str) -> None:
    proxy.rules.append(Rule(is_query, status=503, times=2))
    through_proxy = ssbkg("--store", proxy.url(), "query", "alliance-members", "-p", "alliance=casip")
    direct = ssbkg("--store", oxigraph, "query", "alliance-members", "-p", "alliance=casip")
    assert through_proxy.exit_code == 0 and through_proxy.stdout == direct.stdout


def test_client_error_is_not_retried(proxy: FaultProxy) -> None:
    proxy.rules.append(Rule(is_query, status=400, body=b"Parse error near line 1"))
    err = one_clear_error(ssbkg("--store", proxy.url(), "graphs"))
    assert "HTTP 400" in err and len(proxy.seen) == 1


def test_a_body_that_is_not_sparql_results(proxy: FaultProxy) -> None:
    proxy.rules.append(Rule(is_query, status=200, body=b"<html>maintenance</html>"))
    err = one_clear_error(ssbkg("--store", proxy.url(), "graphs"))
    assert "did not answer with SPARQL JSON results" in err


def test_a_failed_write_is_never_retried_and_leaves_the_store_as_it_was(
    proxy: FaultProxy, oxigraph: str, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "fault.ttl"
    path.write_text(PREFIXES + VALID, encoding="utf-8")
    before = dump_store(oxigraph)
    proxy.rules.append(Rule(lambda s: s.path.startswith("/store"), status=500, body=b"disk full"))
    err = one_clear_error(ssbkg("--store", proxy.url(), "load", str(path)))
    assert "disk full" in err
    assert sum(1 for s in proxy.seen if s.path.startswith("/store")) == 1
    assert dump_store(oxigraph) == before


def test_a_failed_publication_is_never_retried(proxy: FaultProxy, oxigraph: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "fault.ttl"
    path.write_text(PREFIXES + VALID, encoding="utf-8")
    graphs_before = ssbkg("--store", oxigraph, "graphs", "--format", "csv").stdout
    proxy.rules.append(Rule(lambda s: s.path.startswith("/update") and b"currentVersion" in s.body, status=500))
    one_clear_error(ssbkg("--store", proxy.url(), "load", str(path)))
    assert sum(1 for s in proxy.seen if s.path.startswith("/update") and b"currentVersion" in s.body) == 1
    assert ssbkg("--store", oxigraph, "graphs", "--format", "csv").stdout == graphs_before


def test_credentials_are_sent_but_never_printed(proxy: FaultProxy) -> None:
    proxy.rules.append(Rule(is_query, status=401, body=b"who are you?"))
    env = {"SSBKG_USER": "alice", "SSBKG_PASSWORD": "s3cret-pw"}
    err = one_clear_error(ssbkg("--store", proxy.url(), "graphs", env=env))
    assert "HTTP 401" in err and "SSBKG_USER" in err
    assert "s3cret-pw" not in err and "alice" not in err
    in_url = proxy.url().replace("http://", "http://bob:hunter2@")
    err = one_clear_error(ssbkg("--store", in_url, "graphs"))
    assert "hunter2" not in err and "bob" not in err


def test_basic_credentials_reach_the_server(proxy: FaultProxy) -> None:
    ssbkg("--store", proxy.url(), "graphs", env={"SSBKG_USER": "alice", "SSBKG_PASSWORD": "s3cret-pw"})
    expected = "Basic " + base64.b64encode(b"alice:s3cret-pw").decode()
    assert any(s.headers.get("Authorization") == expected for s in proxy.seen)


def test_a_truncated_answer_is_retried_then_reported(proxy: FaultProxy, oxigraph: str) -> None:
    proxy.rules.append(Rule(is_query, truncate=40))
    err = one_clear_error(ssbkg("--store", proxy.url(), "query", "alliance-members", "-p", "alliance=casip"))
    assert proxy.url() in err or "127.0.0.1" in err
    assert len(proxy.seen) == 4  # a read is safe to retry: one try and three retries


def test_a_truncated_answer_once_is_retried_and_answers_whole(proxy: FaultProxy, oxigraph: str) -> None:
    proxy.rules.append(Rule(is_query, truncate=40, times=1))
    through_proxy = ssbkg("--store", proxy.url(), "query", "alliance-members", "-p", "alliance=casip")
    direct = ssbkg("--store", oxigraph, "query", "alliance-members", "-p", "alliance=casip")
    assert through_proxy.exit_code == 0 and through_proxy.stdout == direct.stdout


def test_a_dropped_connection_during_a_load_leaves_no_partial_graph(proxy: FaultProxy, oxigraph: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "fault.ttl"
    path.write_text(PREFIXES + VALID, encoding="utf-8")
    before = dump_store(oxigraph)
    proxy.rules.append(Rule(lambda s: s.path.startswith("/store"), drop=True))
    one_clear_error(ssbkg("--store", proxy.url(), "load", str(path)))
    assert sum(1 for s in proxy.seen if s.path.startswith("/store")) == 1  # a write is never retried
    assert dump_store(oxigraph) == before


def test_a_delayed_write_past_the_timeout_is_not_retried(proxy: FaultProxy, oxigraph: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "fault.ttl"
    path.write_text(PREFIXES + VALID, encoding="utf-8")
    graphs_before = ssbkg("--store", oxigraph, "graphs", "--format", "csv").stdout
    proxy.rules.append(Rule(lambda s: s.path.startswith("/store"), delay=2.0, status=204))
    err = one_clear_error(ssbkg("--store", proxy.url(), "--http-timeout", "0.5", "load", str(path)))
    assert "did not answer in full within 0.5 s" in err
    assert sum(1 for s in proxy.seen if s.path.startswith("/store")) == 1
    assert ssbkg("--store", oxigraph, "graphs", "--format", "csv").stdout == graphs_before


def test_a_write_rolled_back_by_a_deadlock_is_tried_again(proxy: FaultProxy) -> None:
    # Virtuoso answers a deadlock's victim with HTTP 500 "40001 Error SR172" and rolls it back whole.
    deadlock = b"Virtuoso 40001 Error SR172: Transaction deadlocked"
    publishing = Rule(
        lambda s: s.path.startswith("/update") and b"currentVersion" in s.body, times=2, status=500, body=deadlock
    )
    proxy.rules.append(publishing)
    result = ssbkg(
        "--store", proxy.url(), "claim", "welion", "casip", "--certainty", "speculative", "--confidence", "0.2",
        "--source", "report-electrive-2024-02-13",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert publishing.used == 2
    claims = ssbkg("--store", proxy.url(), "export", "--graph", "claims", "--format", "nt").stdout
    assert "<https://w3id.org/ssbkg/id/report-electrive-2024-02-13>" in claims and len(claims.splitlines()) == 7


def test_a_slow_query_at_a_terminal_shows_that_it_runs_and_a_pipe_hears_nothing(proxy: FaultProxy) -> None:
    from ..terminal import at_a_terminal

    proxy.rules.append(Rule(is_query, delay=2.5))  # at least 2.5 s however fast the machine: the ticker shows
    code, out, seen = at_a_terminal("--store", proxy.url(), "query", "reports", "--format", "csv")
    assert code == 0 and out.startswith(b"report,title")
    assert "running reports …" in seen
    piped = ssbkg("--store", proxy.url(), "query", "reports", "--format", "csv")
    assert piped.exit_code == 0 and "running" not in piped.stderr
