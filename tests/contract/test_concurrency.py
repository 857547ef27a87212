"""Several processes at once, on every store kind: readers during a load see the old graph or the new
one, never a mixture (on the embedded store they wait for the writer), and two clients loading
different graphs at the same time both succeed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .test_crash import claims

COUNT = """PREFIX ssb: <https://w3id.org/ssbkg/ontology#>
SELECT (COUNT(?a) AS ?n) (SUM(?c) AS ?total) WHERE {
  ?a a ssb:Assertion ; ssb:confidence ?c .
  FILTER (STRSTARTS(STR(?a), "https://w3id.org/ssbkg/id/assertion-crash-"))
}
"""


def ssbkg(spec: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "ssbkg", "--store", spec, "--wait", "120", *args]


def counts(spec: str, query: Path) -> tuple[str, str]:
    done = subprocess.run(ssbkg(spec, "query", str(query), "--format", "csv"), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    n, total = done.stdout.splitlines()[1].split(",")
    return n, total


def test_readers_during_a_load_see_old_or_new(store_spec: str, tmp_path: Path) -> None:
    query = tmp_path / "count.rq"
    query.write_text(COUNT, encoding="utf-8")
    old = claims(tmp_path / "old" / "batch.ttl", 400, "0.2")
    new = claims(tmp_path / "new" / "batch.ttl", 400, "0.3")
    subprocess.run(ssbkg(store_spec, "load", "--skip-validation", str(old)), check=True, capture_output=True)
    before = counts(store_spec, query)
    writer = subprocess.Popen(
        ssbkg(store_spec, "load", "--replace", "--skip-validation", str(new)), stderr=subprocess.PIPE
    )
    seen = set()
    while writer.poll() is None:
        seen.add(counts(store_spec, query))
    assert writer.wait() == 0
    after = counts(store_spec, query)
    # Sums as decimals: 400 x 0.2 and 400 x 0.3, whatever the server's lexical form.
    assert float(before[1]) == 80 and float(after[1]) == 120 and before[0] == after[0] == "400"
    assert seen and seen <= {before, after}, seen


def test_two_clients_loading_different_graphs_at_once_both_succeed(store_spec: str, tmp_path: Path) -> None:
    a = claims(tmp_path / "a" / "first.ttl", 300, "0.2")
    b = tmp_path / "b" / "second.ttl"
    b.parent.mkdir()
    text = a.read_text(encoding="utf-8").replace("assertion-crash-", "assertion-other-")
    b.write_text(text.replace("org-crash-", "org-other-"), encoding="utf-8")
    writers = [subprocess.Popen(ssbkg(store_spec, "load", str(f)), stderr=subprocess.PIPE, text=True) for f in (a, b)]
    for w in writers:
        _, err = w.communicate()
        assert w.returncode == 0, err
    listing = subprocess.run(ssbkg(store_spec, "graphs", "--format", "csv"), capture_output=True, text=True).stdout
    # 10 triples per claim: 7 for the assertion, 3 for the organization it is about.
    assert "graph/user/first,user,3000," in listing and "graph/user/second,user,3000," in listing, listing
