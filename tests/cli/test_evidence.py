"""What the command line adds to evidence reasoning (tests/unit/test_evidence.py has the reasoning):
explain's trees on standard output, infer's and changes' messages, and exit 2 for what cannot be done."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from click.testing import Result

from ..conftest import rows


def test_explain_prints_the_trees_and_says_when_there_is_nothing(run: Callable[..., Result]) -> None:
    svolt = run("explain", "SVOLT", "casip")
    assert svolt.exit_code == 0, svolt.output
    assert "org:memberOf CASIP: reported 0.65  [ssbid:assertion-svolt-member-casip-electrive]" in svolt.stdout
    assert "├─ source: electrive, 2024-02-13 (ssbid:report-electrive-2024-02-13)" in svolt.stdout
    nothing = run("explain", "panasonic")
    assert nothing.exit_code == 2 and "no claims about panasonic" in nothing.stderr


def test_infer_says_what_it_rebuilt_and_what_stayed(run: Callable[..., Result]) -> None:
    first = run("infer")
    assert first.exit_code == 0, first.output
    assert "Rebuilt <https://w3id.org/ssbkg/graph/derived/inferred>" in first.stderr
    graphs = run("graphs", "--format", "csv").stdout
    again = run("infer")
    assert "Unchanged: <https://w3id.org/ssbkg/graph/derived/inferred>" in again.stderr
    assert run("graphs", "--format", "csv").stdout == graphs


def test_changes_needs_a_day_and_lists_in_every_row_format(run: Callable[..., Result]) -> None:
    refused = run("changes")
    assert refused.exit_code == 2 and "--since" in refused.stderr
    done = run("retract", "assertion-svolt-member-casip-creative-marketing", "--reason", "misread", "--agent", "Joe")
    assert done.exit_code == 0, done.output
    (row,) = rows(run("changes", "--since", date.today().isoformat(), "--format", "csv"))
    assert (row["change"], row["by"], row["note"]) == ("retracted", "Joe", "misread")
    assert rows(run("changes", "--between", "2020-01-01", "2020-12-31", "--format", "csv")) == []


def test_derived_graphs_and_bad_days_are_exit_2(run: Callable[..., Result], write_ttl) -> None:
    path = write_ttl(
        "x.ttl", 'ssbid:org-x a ssb:Company ; rdfs:label "X"@en ; dct:source ssbid:report-electrive-2024-02-13 .'
    )
    result = run("load", "--graph", "https://w3id.org/ssbkg/graph/derived/inferred", str(path))
    assert result.exit_code == 2 and "reserved" in result.stderr
    bad = run("query", "alliance-members", "-p", "alliance=casip", "-p", "asOf=2024-02")
    assert bad.exit_code == 2 and "asOf" in bad.stderr
