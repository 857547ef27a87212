"""SIGKILL during `load` (with and without the gate), `infer` and `init --force` on the embedded
store: afterwards the store opens, and every graph is entirely old or entirely new, never half of each.

Two kinds of kill. At the write's named moments (stores/checkpoint.py), where the process stops and
waits: killed once its new slots are written, every graph is old; killed once it has published (its
first publication, for a command such as infer that publishes twice), a graph it changed is new. So
both outcomes are seen by construction, on any machine. And at fractions of a
measured uninterrupted run, which spread kills over the parse, the gate and the write: wherever a
busy machine moves them, the store must be old or new, and that is all they assert."""

from __future__ import annotations

import os
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
from ssbkg.stores.checkpoint import MOMENTS

from ..conftest import PREFIXES

FRACTIONS = (0.1, 0.5, 0.9)  # spread over the run; what they hit is not asserted, only what they leave
GENEROUS = 300  # seconds a process may take to reach a moment on a busy machine; a stuck one never does
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


def stop_at(moment: str, marker: Path) -> dict[str, str]:
    """The environment that makes an ssbkg process stop at `moment` and say so in `marker`."""
    return {**os.environ, "SSBKG_TEST_STOP_AT": f"{moment}:{marker}"}


def wait_for_moment(process: subprocess.Popen[bytes], marker: Path) -> bool:
    """Whether the process reached its moment (True) or ended first (False); an event, not a duration."""
    deadline = time.monotonic() + GENEROUS
    while time.monotonic() < deadline:
        if marker.exists():
            return True
        if process.poll() is not None:
            return marker.exists()
        time.sleep(0.02)
    process.kill()
    pytest.fail(f"the process neither reached {marker.name} nor ended within {GENEROUS} s")


def kill(command: list[str], env: dict[str, str] | None = None, marker: Path | None = None, after: float = 0) -> bool:
    """Start `command`, SIGKILL it at its moment (`marker`) or `after` seconds; whether it was killed
    before it ended."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    if marker is not None:
        assert wait_for_moment(process, marker), f"{command[4:]} ended without reaching {marker.stem}"
    else:
        time.sleep(after)  # a spread kill: where it lands is not asserted
    alive = process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.wait()
    return alive


def kill_everywhere(template: Path, tmp_path: Path, args: list[str]) -> None:
    """Run `args` on copies of `template`: uninterrupted once, then killed at each named moment of the
    write and at fractions of the uninterrupted run's time."""
    command = [sys.executable, "-m", "ssbkg", "--store"]
    old = graphs(template)
    whole = tmp_path / "whole"
    shutil.copytree(template, whole)
    start = time.monotonic()
    subprocess.run([*command, str(whole), *args], check=True, capture_output=True)
    duration = time.monotonic() - start
    new = graphs(whole)
    names = set(old) | set(new)
    changed = {n for n in names if old.get(n) != new.get(n)}
    kills: list[tuple[str, dict[str, str] | None, Path | None, float]] = [
        (moment, stop_at(moment, tmp_path / f"{moment}.reached"), tmp_path / f"{moment}.reached", 0)
        for moment in MOMENTS
    ]
    kills += [(f"at {fraction:.0%}", None, None, duration * fraction) for fraction in FRACTIONS]
    for when, env, marker, after in kills:
        store = tmp_path / f"killed-{sum(KILLS.values())}"
        shutil.copytree(template, store)
        kill([*command, str(store), *args], env, marker, after)
        KILLS[args[0]] += 1
        left = graphs(store)  # the store opens
        for name in names | set(left):
            assert left.get(name) in (old.get(name), new.get(name)), (args, when, name)
        if when == "written":
            assert left == old, (args, "killed with its slots written but not published: all old")
        if when == "published" and changed:  # the first publication of the command has taken
            assert any(left.get(n) == new.get(n) for n in changed), (args, "killed once published")
        assert subprocess.run([*command, str(store), "graphs"], capture_output=True).returncode == 0
        shutil.rmtree(store)
    assert changed, "the command changed nothing; the test would prove nothing"


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
    assert KILLS["init"] == 2 + len(FRACTIONS)
