"""SIGKILL at moments spread over the whole of `load` (with and without the gate), `infer` and
`init --force` on the embedded store: afterwards the store opens, and every graph is entirely old or
entirely new, never half of each. Kill times come from a measured uninterrupted run, so that some land
near the end and some after it."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from ssbkg.stores import StoreConfig, open_store

from .conftest import PREFIXES

FRACTIONS = (0.05, 0.25, 0.5, 0.85, 1.0, 1.5)  # kills before the write, in it, and after it
KILLS: Counter[str] = Counter()


def graphs(store: Path) -> dict[str, Counter[str]]:
    """Each published graph's triples (blank node labels blanked: a reload renames them)."""
    out: dict[str, Counter[str]] = {}
    with open_store(StoreConfig(str(store), wait=30), write=False) as s:
        for q in s.quads():
            text = re.sub(r"_:\w+", "_:", f"{q.subject} {q.predicate} {q.object}")
            out.setdefault(str(q.graph_name.value), Counter())[text] += 1  # type: ignore[union-attr]
    return out


def claims(path: Path, n: int, confidence: str) -> Path:
    lines = [PREFIXES]
    lines += [
        f"ssbid:assertion-crash-{i} a ssb:Assertion ; rdf:subject ssbid:org-crash-{i} ; "
        f"rdf:predicate org:memberOf ; rdf:object ssbid:casip ; ssb:certainty ssb:Speculative ; "
        f"ssb:confidence {confidence} ; prov:wasDerivedFrom ssbid:note-casip-fact-sheet-2026-11-25 .\n"
        f'ssbid:org-crash-{i} a ssb:Company ; rdfs:label "Crash test {i}"@en ; '
        f"dct:source ssbid:note-casip-fact-sheet-2026-11-25 ."
        for i in range(n)
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def kill_everywhere(template: Path, tmp_path: Path, args: list[str]) -> None:
    """Run `args` on copies of `template`, uninterrupted once, then killed at each fraction of that time."""
    command = [sys.executable, "-m", "ssbkg", "--store"]
    old = graphs(template)
    durations = []
    for attempt in range(2):  # the shorter of two runs: a busy machine must not push every kill past the end
        whole = tmp_path / f"whole-{attempt}"
        shutil.copytree(template, whole)
        start = time.monotonic()
        subprocess.run([*command, str(whole), *args], check=True, capture_output=True)
        durations.append(time.monotonic() - start)
    duration = min(durations)
    new = graphs(whole)
    outcomes = set()
    for fraction in FRACTIONS:
        store = tmp_path / f"killed-{fraction}"
        shutil.copytree(template, store)
        process = subprocess.Popen([*command, str(store), *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(duration * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait()
        KILLS[args[0]] += 1
        after = graphs(store)  # the store opens
        for name in set(old) | set(new) | set(after):
            state = after.get(name)
            assert state in (old.get(name), new.get(name)), (args, fraction, name)
            outcomes.add((name, state == new.get(name)))
        assert subprocess.run([*command, str(store), "graphs"], capture_output=True).returncode == 0
        shutil.rmtree(store)
    changed = {n for n in set(old) | set(new) if old.get(n) != new.get(n)}
    assert changed, "the command changed nothing; the test would prove nothing"
    # Some kills landed before the switch, some after: both states were seen for a changed graph.
    assert any((n, True) in outcomes and (n, False) in outcomes for n in changed), outcomes


@pytest.fixture
def loaded(store_path: Path, tmp_path: Path) -> Path:
    """A store holding an earlier version of the claims file, so that a load replaces it."""
    first = claims(tmp_path / "first" / "batch.ttl", 300, "0.2")
    subprocess.run([sys.executable, "-m", "ssbkg", "--store", str(store_path), "load", str(first)], check=True)
    return store_path


def test_kill_during_a_streamed_load(loaded: Path, tmp_path: Path) -> None:
    big = claims(tmp_path / "batch.ttl", 6_000, "0.3")
    kill_everywhere(loaded, tmp_path, ["load", "--replace", "--skip-validation", str(big)])


def test_kill_during_a_gated_load(loaded: Path, tmp_path: Path) -> None:
    batch = claims(tmp_path / "batch.ttl", 250, "0.3")  # replacing 300: the gate and the write both take time
    kill_everywhere(loaded, tmp_path, ["load", "--replace", str(batch)])


def test_kill_during_infer(loaded: Path, tmp_path: Path) -> None:
    kill_everywhere(loaded, tmp_path, ["infer"])


def test_kill_during_init_force(store_path: Path, tmp_path: Path) -> None:
    # The bundled files do not change, so old and new agree; what is checked is that the store opens
    # whole after every kill. (kill_everywhere's "changed" check does not apply.)
    with pytest.raises(AssertionError, match="changed nothing"):
        kill_everywhere(store_path, tmp_path, ["init", "--force"])
    assert KILLS["init"] == len(FRACTIONS)
