"""Where kept answers live and how a write keeps them current.

Beside the registry (where no query of a user looks), a pointer graph names the *answer slots*, in
order, and the *basis*: every content graph's version the records were derived from. Each write that
publishes derives the records of the keys it touches into one new answer slot (a later slot's record
of a key replaces an earlier one's; an empty record says the key has none) and moves the pointer in
the same update that publishes the content, only if the pointer is still the one it read. Readers use
the records only when the basis is the registry's current state and every slot is there: after a
write whose pointer move lost a race, or a store written before 0.7, the definition answers, and the
next write derives from scratch.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple

import pyoxigraph as ox

from ssbkg.io.terms import text_of
from ssbkg.namespaces import ANSWERS_BASE, ANSWERS_GRAPH, ORG, RDF, SKOS, SSB, sparql_prologue, values
from ssbkg.stores.backend import Backend
from ssbkg.stores.base import GraphInfo
from ssbkg.stores.kept import claims, members

POINTER = ANSWERS_GRAPH
SLOT_BASE = ANSWERS_BASE
A = "urn:ssbkg:answers#"
MAX_SLOTS = 16  # a pointer with more answer slots than this has them merged into one at the next write
# Beyond this many triples or subjects changed, the records are derived anew rather than key by key
# (a store of 10,000 assertions: 0.7 s anew).
FROM_SCRATCH = 50_000
PER_KEY = 2_000
_P = f"<{POINTER}>"
_PROLOGUE = sparql_prologue("ssb", "org", "prov", "schema", "rdf", "skos") + f"PREFIX a: <{A}>\n"
Key = tuple[str, ...]
Records = dict[Key, dict[str, Any]]


class Kind(NamedTuple):
    """A kind of record: the fields of its key (each an IRI, written as a:<field>), how records are
    derived, the ways a changed subject ?x reaches a key (each binding the fields, ?x named first so
    that the engine starts from it), and what a reader filters on beside the record."""

    tag: str
    fields: tuple[str, ...]
    derive: Callable[[members.Select, Iterable[Any] | None], Records]
    touched: tuple[str, ...]
    indexed: Callable[[Key, Mapping[str, Any] | None], dict[str, str]] | None = None


_CLAIM = "rdf:subject ?subject ; rdf:predicate ?predicate ; rdf:object ?object"
KINDS = (
    Kind(
        "m",
        ("alliance", "member"),
        members.derive,  # type: ignore[arg-type]
        (
            "?x rdf:predicate org:memberOf ; rdf:subject ?member ; rdf:object ?alliance .",  # a claim
            "?claim rdf:subject ?x ; rdf:predicate org:memberOf ; rdf:object ?alliance . BIND (?x AS ?member)",
            # a source, or one it cites (its dates bound the relay's)
            "?source ssb:cites* ?x . ?claim prov:wasDerivedFrom ?source ; rdf:predicate org:memberOf ;"
            " rdf:subject ?member ; rdf:object ?alliance .",
            "?claim prov:hadPrimarySource ?x ; rdf:predicate org:memberOf ;"
            " rdf:subject ?member ; rdf:object ?alliance .",
            "?source schema:publisher ?x . ?claim prov:wasDerivedFrom|prov:hadPrimarySource ?source ;"  # a publisher
            " rdf:predicate org:memberOf ; rdf:subject ?member ; rdf:object ?alliance .",
        ),
        members.default_row,
    ),
    Kind(
        "c",
        ("object", "subject", "predicate"),
        claims.derive,
        (
            f"?x {_CLAIM} .",
            "?claim rdf:subject ?x ; rdf:predicate ?predicate ; rdf:object ?object . BIND (?x AS ?subject)",
            "?claim rdf:object ?x ; rdf:subject ?subject ; rdf:predicate ?predicate . BIND (?x AS ?object)",
            f"?source ssb:cites* ?x . ?claim prov:wasDerivedFrom ?source ; {_CLAIM} .",
            f"?claim prov:hadPrimarySource ?x ; {_CLAIM} .",
            f"?source schema:publisher ?x . ?claim prov:wasDerivedFrom|prov:hadPrimarySource ?source ; {_CLAIM} .",
        ),
        claims.index,
    ),
)
MEMBERS, CLAIMS = KINDS
# What a certainty level is made of: a change to one changes every row.
_SCHEME = {SKOS + "notation", SKOS + "inScheme", SKOS + "prefLabel", SSB + "credibility"}


class Pointer(NamedTuple):
    token: str
    basis: str
    slots: tuple[str, ...]


class Prepared(NamedTuple):
    """What a write adds to its publication: the operations that move the pointer, the answer slots it
    wrote (removed if the write fails) and those the move leaves unread (removed once it is made); or,
    on the embedded store when a graph is replaced, the keys of each kind to derive once it is published
    (`later`)."""

    update: str
    written: tuple[str, ...]
    replaced: tuple[str, ...]
    later: Mapping[str, frozenset[Key]] | None = None
    token: str = ""  # the pointer `later` is to move


# The form of the records: a pointer whose basis was written by another form is stale.
_FORM = "form 7"


def basis(versions: Mapping[str, str]) -> str:
    return "\n".join([_FORM, *(f"{g} {v}" for g, v in sorted(versions.items()))])


def pointer(backend: Backend) -> Pointer | None:
    rows = backend.meta_select(
        f"SELECT ?token ?basis ?slots WHERE {{ GRAPH {_P} {{ {_P} <{A}token> ?token ; <{A}basis> ?basis ; "
        f"<{A}slots> ?slots }} }}"
    ).rows
    if len(rows) != 1:
        return None
    token, held, slots = (text_of(t) for t in rows[0])
    return Pointer(token, held, tuple(slots.split()))


# ------------------------------------------------------------------------------------------ writing


def prepare(
    backend: Backend,
    current: Mapping[str, GraphInfo],
    after: Mapping[str, tuple[str, Sequence[str]]],
    published_when: str,
) -> Prepared | None:
    """The records a write changes, written to a new answer slot, and the update that points at it;
    None when they are to be derived anew once the write is published (see `rebuild`).
    `current`: the graphs as the writer read them; `after`: each graph's (version, slots) once the write
    is published; `published_when`: a SPARQL pattern over the registry true once it is."""
    held = pointer(backend)
    if held is None or held.basis != basis({g: i.version for g, i in current.items()}):
        return None
    dataset = [s for _, slots in after.values() for s in slots]
    # The embedded store's union holds every slot written: after an append, exactly the state after the
    # write (and many times faster to read than the list of its slots); else the states before and after,
    # where the keys a write touches are found (a few more, derived for nothing, do no harm).
    select = reader(backend, dataset)
    keys = _touched(backend, current, after, select)
    if keys is None:
        return None
    if backend.reads_union and {s for i in current.values() for s in i.slots} - set(dataset):
        # derived from the union once the replaced slots are gone (no reader meanwhile: the write's lock)
        return Prepared("", (), (), {t: frozenset(k) for t, k in keys.items()}, held.token)
    new = basis({g: v for g, (v, _) in after.items()})
    return _records_written(backend, held, _derived(select, keys), new, published_when)


def reader(backend: Backend, slots: Sequence[str]) -> members.Select:
    """SELECTs over the state of `slots`: the embedded store's union (which holds every slot written, and
    reads many times faster than a list of them), a server's slots in pages past its cap on rows."""
    if backend.reads_union:
        return lambda sparql: backend.select(sparql, None)
    return lambda sparql: backend.content_select(sparql, slots)


Derived = dict[str, tuple[set[Key], Records]]  # by kind: the keys derived, and the records they have


def _derived(select: members.Select, keys: Mapping[str, Iterable[Key]] | None) -> Derived:
    """The records of each kind's keys (None: of every key the state holds)."""
    out: Derived = {}
    for kind in KINDS:
        wanted = None if keys is None else set(keys.get(kind.tag, ()))
        out[kind.tag] = (wanted or set(), kind.derive(select, wanted))
    return out


def follow(backend: Backend, published: Sequence[GraphInfo], done: Prepared) -> None:
    """Derive the keys a write left for later (`prepare`) from the state it published, and point at them."""
    held = pointer(backend)
    if held is None or held.token != done.token or done.later is None:
        return  # moved by another since: the basis no longer matches, and reads use the definition
    now = basis({g.graph: g.version for g in published})
    select = reader(backend, [s for g in published for s in g.slots])
    made = _records_written(backend, held, _derived(select, done.later), now, "")
    try:
        backend.meta_update(made.update)
    except BaseException:
        backend.drop((), made.written)
        raise
    backend.drop((), made.replaced)


def _records_written(
    backend: Backend, held: Pointer, derived: Derived, new_basis: str, published_when: str
) -> Prepared:
    """The records derived written to a new answer slot after those `held` names, and the update that
    points at them. Beyond MAX_SLOTS, the slots after the first (what was derived anew) are merged into
    the new one, as a graph's appended slots are: a write then costs what was written since, never
    what the whole store holds."""
    slot = _new_slot()
    lines = [f"<{slot}> <{A}written> {ox.Literal(str(sum(len(r) for _, r in derived.values())))} ."]
    kept: tuple[str, ...] = held.slots
    if len(held.slots) >= MAX_SLOTS:
        kept = held.slots[:1]
    for kind in KINDS:
        keys, records = derived[kind.tag]
        if len(held.slots) >= MAX_SLOTS:
            since = _records(backend, kind, held.slots[1:], {})  # an empty record stays: it hides the first slot's
            since.update(records)
            since.update((k, None) for k in keys - records.keys())
            lines += _lines(
                kind, {k: r for k, r in since.items() if r is not None}, [k for k, r in since.items() if r is None]
            )
        else:
            lines += _lines(kind, records, keys)
    backend.meta_write(slot, lines)
    slots = (*kept, slot)
    update = _move(held.token, os.urandom(8).hex(), new_basis, slots, published_when)
    return Prepared(update, (slot,), tuple(s for s in held.slots if s not in slots))


def rebuild(backend: Backend, published: Sequence[GraphInfo]) -> None:
    """Derive every record anew from the published state, after a write too large to follow key by key
    or one that found the records stale; a reader between the two steps is answered by the definition."""
    held = pointer(backend)
    slot, token = _new_slot(), os.urandom(8).hex()
    select = reader(backend, [s for g in published for s in g.slots])
    try:
        derived = _derived(select, None)
        lines = [f"<{slot}> <{A}written> {ox.Literal(str(sum(len(r) for _, r in derived.values())))} ."]
        for kind in KINDS:
            lines += _lines(kind, derived[kind.tag][1], ())
        backend.meta_write(slot, lines)
        now = basis({g.graph: g.version for g in published})
        backend.meta_update(_move(held.token if held else None, token, now, (slot,), ""))
    except BaseException:
        backend.drop((), [slot])
        raise
    moved = pointer(backend)
    if held is not None and moved is not None and moved.token == token:
        backend.drop((), held.slots)


def _new_slot() -> str:
    return SLOT_BASE + datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + os.urandom(6).hex()


def _touched(
    backend: Backend,
    current: Mapping[str, GraphInfo],
    after: Mapping[str, tuple[str, Sequence[str]]],
    select: members.Select,
) -> dict[str, set[Key]] | None:
    """The keys of each kind whose records the write changes (None: too many to say, derive them all)."""
    changed = [
        g
        for g in set(current) | set(after)
        if (current[g].version if g in current else None) != (after[g][0] if g in after else None)
    ]
    old = {s for g in changed if g in current for s in current[g].slots}
    new = {s for g in changed if g in after for s in after[g][1]}
    diff = sorted(old ^ new)
    if not diff:
        return {}
    counted = backend.content_select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", diff).rows
    if not counted or int(text_of(counted[0][0]) or 0) > FROM_SCRATCH:
        return None
    triples = backend.slot_triples(diff)
    subjects: set[str] = set()
    about: dict[str, dict[str, ox.NamedNode | ox.Literal]] = {}
    for t in triples:
        if not isinstance(t.subject, ox.NamedNode) or t.predicate.value in _SCHEME:
            return None  # a blank node's change cannot be followed by name; a level's changes every row
        subjects.add(t.subject.value)
        if isinstance(t.object, ox.NamedNode | ox.Literal):
            about.setdefault(t.subject.value, {})[t.predicate.value] = t.object
    if len(subjects) > PER_KEY:
        return None
    # A claim changed: its key from the triples themselves (a claim removed is in no state after).
    named = [
        (p[RDF + "object"], p[RDF + "subject"], p[RDF + "predicate"])
        for p in about.values()
        if all(RDF + f in p for f in ("object", "subject", "predicate"))
    ]
    keys: dict[str, set[Key]] = {
        "m": {(o.value, s.value) for o, s, p in named if p.value == ORG + "memberOf" and _iris(o, s)},
        "c": {(o.value, s.value, p.value) for o, s, p in named if _iris(o, s, p)},
    }
    for chunk in members.chunks(sorted(subjects)):
        block = values("x", map(ox.NamedNode, chunk))
        for kind in KINDS:
            heads = " ".join(f"?{f}" for f in kind.fields)
            for way in kind.touched:
                found = select(f"{_PROLOGUE}SELECT DISTINCT {heads} WHERE {{ {block} {way} }}").rows
                # a claim whose object is a literal is in no answer (isIRI in the queries)
                keys[kind.tag].update(tuple(text_of(t) for t in row) for row in found if _iris(*row))
    return keys


def _iris(*terms: object) -> bool:
    return all(isinstance(t, ox.NamedNode) for t in terms)


def _lines(kind: Kind, records: Mapping[Key, Any], cleared: Iterable[Key]) -> list[str]:
    """A kind's records as N-Triples: each key's node names its fields and holds the record ("" for none)."""
    out = []
    emptied = {k: None for k in cleared if k not in records}
    for key, r in {**records, **emptied}.items():
        digest = hashlib.sha1(" ".join(key).encode(), usedforsecurity=False).hexdigest()
        node = ox.NamedNode(f"urn:ssbkg:answer:{kind.tag}:{digest}")
        out += [f"{node} <{A}{f}> {ox.NamedNode(v)} ." for f, v in zip(kind.fields, key, strict=True)]
        out.append(f"{node} <{A}record> {ox.Literal('' if r is None else members.pack(r))} .")
        if kind.indexed is not None:  # an emptied key's index too: it hides the one an earlier slot holds
            out += [f"{node} <{A}{name}> {ox.Literal(v)} ." for name, v in kind.indexed(key, r).items()]
    return out


def _move(old: str | None, token: str, new_basis: str, slots: Sequence[str], published_when: str) -> str:
    """Operations that move the pointer only if it is still at `old` and the content was published
    (full IRIs only: they follow the publication's own operations in one request)."""
    tok, nxt = f"<{A}token>", f"<{A}next>"
    held = (
        f"GRAPH {_P} {{ {_P} {tok} {ox.Literal(old)} }}"
        if old
        else f"FILTER NOT EXISTS {{ GRAPH {_P} {{ {_P} {tok} ?any }} }}"
    )
    mark = f"{_P} {nxt} {ox.Literal(token)}"
    return f"""INSERT {{ GRAPH {_P} {{ {mark} }} }} WHERE {{ {held} {published_when} }} ;
DELETE {{ GRAPH {_P} {{ {_P} ?p ?o }} }} WHERE {{ GRAPH {_P} {{ {mark} . {_P} ?p ?o FILTER (?p != {nxt}) }} }} ;
INSERT {{ GRAPH {_P} {{ {_P} {tok} {ox.Literal(token)} ; <{A}basis> {ox.Literal(new_basis)} ;
  <{A}slots> {ox.Literal(" ".join(slots))} }} }} WHERE {{ GRAPH {_P} {{ {mark} }} }} ;
DELETE WHERE {{ GRAPH {_P} {{ {mark} }} }}"""


# ------------------------------------------------------------------------------------------ reading


def _records(
    backend: Backend,
    kind: Kind,
    slots: Sequence[str],
    where: Mapping[str, Sequence[str]],
    condition: tuple[str, str] = ("", ""),
) -> dict[Key, dict[str, Any] | None]:
    """The latest record of each key of `kind` in `slots` whose fields take one of the values `where`
    gives them (all keys for none); `condition`, a pattern over the kind's index (?k <a:name> ?name) and
    a FILTER on it, chooses among the records of every slot alike (see claims_of for what that asks)."""
    found = _latest(backend, kind, slots, where, "record", condition)
    return {k: members.unpack(r) if r else None for k, r in found.items()}


def _latest(
    backend: Backend,
    kind: Kind,
    slots: Sequence[str],
    where: Mapping[str, Sequence[str]],
    value: str,
    condition: tuple[str, str] = ("", ""),
) -> dict[Key, str]:
    """The latest text of `value` (the record, or a name of the kind's index) of each key (see _records).
    An index (packed rows hold their key) is read by its node alone: three patterns fewer a key."""
    rank = {s: i for i, s in enumerate(slots)}
    pattern_of_index, test = condition
    fixed = "".join(values(f, map(ox.NamedNode, vs)) + " " for f, vs in where.items())
    named = kind.fields if value == "record" else tuple(where)
    pattern = "".join(f"<{A}{f}> ?{f} ; " for f in named) + f"<{A}{value}> ?value"
    heads = "?k" if value != "record" else " ".join("?" + f for f in kind.fields)
    rows = backend.meta_select(
        f"SELECT ?slot {heads} ?value WHERE {{ {values('slot', map(ox.NamedNode, slots))} {fixed}"
        f"GRAPH ?slot {{ ?k {pattern} . {pattern_of_index} }} {test} }}"
    ).rows
    latest: dict[Key, tuple[int, str]] = {}
    for row in rows:
        slot, key, text = text_of(row[0]), tuple(text_of(t) for t in row[1:-1]), text_of(row[-1])
        if key not in latest or rank[slot] > latest[key][0]:
            latest[key] = (rank[slot], text)
    return {k: text for k, (_, text) in latest.items()}


def current_slots(backend: Backend, published: Sequence[GraphInfo]) -> tuple[str, ...] | None:
    """The answer slots of the state `published`, or None when the kept answers are not of it."""
    held = pointer(backend)
    if held is None or held.basis != basis({g.graph: g.version for g in published}):
        return None
    present = backend.meta_select(
        f"SELECT ?slot WHERE {{ {values('slot', map(ox.NamedNode, held.slots))} "
        f"GRAPH ?slot {{ ?slot <{A}written> ?n }} }}"
    ).rows
    if {text_of(r[0]) for r in present} != set(held.slots):
        return None  # a slot was removed under this reader (a server's writer moved on): not a whole state
    return held.slots


def records_of(backend: Backend, published: Sequence[GraphInfo], alliance: str) -> dict[str, Any] | None:
    """Each member's record in `alliance`, or None when the kept answers are not those of `published`."""
    slots = current_slots(backend, published)
    if slots is None:
        return None
    found = _records(backend, MEMBERS, slots, {"alliance": [alliance, members.WHOLE[0]]})
    return {k[1]: r for k, r in found.items() if r is not None}


def summaries_of(
    backend: Backend, published: Sequence[GraphInfo], alliance: str, day: str | None
) -> list[tuple[str, list[Any] | None]] | None:
    """Each member's summary in `alliance` at every level, today or on `day` (members.default_row), read
    from the records' index without decoding them; None when the kept answers are not those of
    `published` or hold what only the definition answers."""
    slots = current_slots(backend, published)
    if slots is None:
        return None
    found = _latest(
        backend, MEMBERS, slots, {"alliance": [alliance, members.WHOLE[0]]}, "row" if day is None else "history"
    )
    if "x" in found.values():
        return None
    packed = map(members.unpack_row, filter(None, found.values()))
    if day is None:
        return sorted((member, found) for member, found in packed)
    return sorted((member, members.version_at(history, day)) for member, history in packed)


def claims_of(
    backend: Backend, published: Sequence[GraphInfo], about: str | None, as_of: str | None, *, weak: bool
) -> list[tuple[Key, dict[str, Any]]] | None:
    """The records of the claims whose object is `about` (None: of every claim), or with `weak` of
    those weakly sourced as of `as_of` (None: now) by their index; None when the kept answers are not
    those of `published`. WHOLE's record, when there is one, is among them."""
    found = _claims(backend, published, about, as_of, weak=weak, value="record")
    return None if found is None else sorted((k, members.unpack(t)) for k, t in found.items() if t)


def packed_claims_of(
    backend: Backend, published: Sequence[GraphInfo], about: str | None, day: str | None, *, weak: bool
) -> list[tuple[Key, list[Any]]] | None:
    """As `claims_of`, each claim's rows today or on `day` packed (claims.packed, claims.history) rather
    than its record; None also when the state holds what only the definitions answer."""
    found = _claims(backend, published, about, day, weak=weak, value="rows" if day is None else "rowsHistory")
    if found is None:
        return None
    texts = [claims.unwindowed(t) for t in found.values()] if day is None else list(found.values())
    if "x" in texts:
        return None
    rows = map(members.unpack_row, filter(None, texts))
    if day is None:
        return sorted((tuple(row[0]), row[1:]) for row in rows)
    return sorted((tuple(key), [sl, ol, *members.version_at(history, day)]) for key, sl, ol, history in rows)


def _claims(
    backend: Backend, published: Sequence[GraphInfo], about: str | None, as_of: str | None, *, weak: bool, value: str
) -> dict[Key, str] | None:
    slots = current_slots(backend, published)
    if slots is None:
        return None
    where = {"object": [about, claims.WHOLE[0]]} if about else {}
    day = as_of or "9999-12-31"
    if not weak:
        found = _latest(backend, CLAIMS, slots, where, value)
    elif value == "rows":
        found = _latest(backend, CLAIMS, slots, where, value, ("", claims.weak_window(day, "?value")))
    else:  # the records (or histories) of the claims whose index says they are weak by then
        window = (f"?k <{A}rows> ?window .", claims.weak_window(day, "?window"))
        found = _latest(backend, CLAIMS, slots, where, value, window)
    if weak and len(slots) > 1:
        # a later slot's record of a key that the condition left out replaces an earlier one it kept
        later = _latest(backend, CLAIMS, slots[1:], {}, value)
        found = {k: t for k, t in found.items() if k not in later or later[k] == t}
    return found
