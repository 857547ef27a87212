"""Claims as a user states them, made into triples: a claim (from the command line or a CSV row)
becomes an assertion, and, if asked, a new report, with its values checked and its names resolved.
`writing.claims` gates and writes them.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ssbkg.errors import InputError, NothingWritten
from ssbkg.namespaces import ORG, PREFIXES, PROV, RDF, RDFS, SCHEMA, SSB, SSBID, XSD
from ssbkg.querying.params import local_name
from ssbkg.querying.resolve import resolve
from ssbkg.stores import Store
from ssbkg.vocab import LEVELS, PREDICATES

ORGANIZATION, ALLIANCE, PERSON = ORG + "Organization", SSB + "Alliance", SSB + "Person"
FIELDS = (
    "subject",
    "object",
    "predicate",
    "certainty",
    "confidence",
    "source",
    "headline",
    "date",
    "publisher",
    "url",
    "primary",
    "quote",
    "quote_lang",
    "note",
)


@dataclass
class Claim:
    """One claim as typed: names and values, before anything is looked up."""

    subject: str
    object: str
    certainty: str
    predicate: str = "member"
    confidence: str | None = None
    source: str | None = None
    headline: str | None = None
    date: str | None = None
    publisher: str | None = None
    url: str | None = None
    primary: str | None = None
    quote: str | None = None
    quote_lang: str = "en"
    note: str | None = None
    where: str = "the command line"

    @classmethod
    def from_row(cls, row: Mapping[str, str], where: str) -> Claim:
        values = {k: (v.strip() or None) for k, v in row.items() if k in FIELDS and v is not None}
        for required in ("subject", "object", "certainty"):
            if not values.get(required):
                raise InputError(f"{where}: the column {required} is empty", hint="columns: " + ", ".join(FIELDS))
        values.setdefault("predicate", "member")
        values["predicate"] = values["predicate"] or "member"
        values["quote_lang"] = values.get("quote_lang") or "en"
        return cls(**values, where=where)  # type: ignore[arg-type]


@dataclass
class Batch:
    triples: list[ox.Triple] = field(default_factory=list)
    new_reports: dict[str, str] = field(default_factory=dict)  # headline (lowercase) or slug -> IRI
    used: set[str] = field(default_factory=set)


def _slug(iri: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", local_name(iri).lower()).strip("-")


def _t(s: str, p: str, o: ox.NamedNode | ox.Literal | str) -> ox.Triple:
    return ox.Triple(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o) if isinstance(o, str) else o)


def _fresh(store: Store, batch: Batch, base: str) -> str:
    candidate, n = base, 1
    while candidate in batch.used or store.ask(f"ASK {{ {ox.NamedNode(candidate)} ?p ?o }}"):
        n += 1
        candidate = f"{base}-{n}"
    batch.used.add(candidate)
    return candidate


def _source(store: Store, claim: Claim, batch: Batch) -> str:
    """The claim's source: a new report it describes, or a source the store (or the batch) names."""
    if claim.headline:
        if claim.source:
            raise InputError(f"{claim.where}: give either a source or a new report's headline, not both")
        return batch.new_reports.get(claim.headline.lower()) or _new_report(store, claim, batch)
    if not claim.source:
        raise InputError(
            f"{claim.where}: a claim needs a source", hint="--source REPORT, or --headline/--date/--publisher"
        )
    known = batch.new_reports.get(claim.source.lower())
    if known:
        return known
    try:
        return resolve(store, claim.source, (SSB + "Source",), "source")
    except InputError:
        reports = _reports_of(store, claim.source)
        if not reports:
            raise
        listed = "; ".join(f"{local_name(r)} ({d})" for r, d in reports[:6])
        raise InputError(
            f"{claim.source!r} is a publisher, not a report: give one of its reports as --source",
            hint=f"its reports: {listed}, or a new one with --headline, --date and --publisher",
        ) from None


def _new_report(store: Store, claim: Claim, batch: Batch) -> str:
    """A report the claim describes (headline, date, publisher, url), added to the batch once."""
    missing = [name for name in ("date", "publisher") if not getattr(claim, name)]
    if missing:
        raise InputError(
            f"{claim.where}: a new report needs {' and '.join(missing)}",
            hint="--date YYYY-MM-DD (or YYYY-MM, YYYY) and --publisher NAME",
        )
    assert claim.headline is not None
    publisher = resolve(store, claim.publisher or "", (SSB + "Publisher",), "publisher")
    published = _date(claim.date or "", _field(claim, "date"))
    iri = _fresh(store, batch, f"{SSBID}report-{_slug(publisher)}-{published.value}")
    batch.triples += [
        _t(iri, RDF + "type", SSB + "Report"),
        _t(iri, SCHEMA + "headline", ox.Literal(claim.headline, language="en")),
        # Named by its headline, so that every list that shows the report shows a name, not its IRI.
        _t(iri, RDFS + "label", ox.Literal(claim.headline, language="en")),
        _t(iri, SCHEMA + "publisher", publisher),
        _t(iri, SCHEMA + "datePublished", published),
    ]
    if claim.url:
        try:
            batch.triples.append(_t(iri, SCHEMA + "url", ox.NamedNode(claim.url)))
        except ValueError:
            raise InputError(f"{claim.where}: url {claim.url!r} is not a valid IRI") from None
    batch.new_reports[claim.headline.lower()] = iri
    batch.new_reports[local_name(iri)] = iri
    return iri


def _reports_of(store: Store, text: str) -> list[tuple[str, str]]:
    """The reports of the publisher `text` names (slug or name), newest first; none if it names none."""
    try:
        publisher = resolve(store, text, (SSB + "Publisher",), "publisher")
    except InputError:
        return []
    rows = store.select(
        "SELECT ?r ?d WHERE { ?r <https://schema.org/publisher> "
        f"{ox.NamedNode(publisher)} . OPTIONAL {{ ?r <https://schema.org/datePublished> ?d }} }} ORDER BY DESC(STR(?d))"
    ).rows
    return [(str(getattr(r, "value", "")), str(getattr(d, "value", "undated")) if d else "undated") for r, d in rows]


def _date(text: str, where: str) -> ox.Literal:
    for pattern, datatype in ((r"\d{4}-\d{2}-\d{2}", "date"), (r"\d{4}-\d{2}", "gYearMonth"), (r"\d{4}", "gYear")):
        if re.fullmatch(pattern, text.strip()):
            if datatype == "date":
                try:
                    date.fromisoformat(text.strip())
                except ValueError:
                    break
            return ox.Literal(text.strip(), datatype=ox.NamedNode(XSD + datatype))
    raise InputError(
        f"{where}: {text!r} is not a date as YYYY-MM-DD, YYYY-MM or YYYY",
        hint="write 2024-02-13 for a day, 2024-02 when only the month is known; never guess a day",
    )


def build(store: Store, claim: Claim, batch: Batch) -> str:
    """Add a claim's triples to the batch; return the new assertion's IRI."""
    predicate = PREDICATES.get(claim.predicate.lower())
    if predicate is None:
        raise InputError(
            f"{claim.where}: unknown predicate {claim.predicate!r}", hint="one of: " + ", ".join(PREDICATES)
        )
    if claim.certainty.lower() not in LEVELS:
        raise InputError(f"{claim.where}: unknown certainty {claim.certainty!r}", hint="one of: " + ", ".join(LEVELS))
    person = predicate in (ORG + "headOf", SSB + "holdsPositionIn")
    subject = resolve(
        store, claim.subject, (PERSON,) if person else (ORGANIZATION,), "person" if person else "organization"
    )
    target = resolve(store, claim.object, (ALLIANCE,) if predicate != ORG + "headOf" else (ORGANIZATION,), "alliance")
    source = _source(store, claim, batch)
    iri = _fresh(
        store,
        batch,
        f"{SSBID}assertion-{_slug(subject)}-{_slug(predicate)}-{_slug(target)}-{_slug(source).removeprefix('report-')}",
    )
    batch.triples += [
        _t(iri, RDF + "type", SSB + "Assertion"),
        _t(iri, RDF + "subject", subject),
        _t(iri, RDF + "predicate", predicate),
        _t(iri, RDF + "object", target),
        _t(iri, SSB + "certainty", SSB + claim.certainty.capitalize()),
        _t(iri, PROV + "wasDerivedFrom", source),
    ]
    if claim.confidence is not None:
        try:
            value = Decimal(claim.confidence.strip())
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite():
            raise InputError(
                f"{_field(claim, 'confidence')}: {claim.confidence!r} is not a number",
                hint="a decimal between 0 and 1, like 0.8",
            )
        batch.triples.append(
            _t(iri, SSB + "confidence", ox.Literal(str(value), datatype=ox.NamedNode(XSD + "decimal")))
        )
    if claim.primary:
        primary = batch.new_reports.get(claim.primary.lower()) or resolve(
            store, claim.primary, (SSB + "Report",), "report"
        )
        batch.triples.append(_t(iri, PROV + "hadPrimarySource", primary))
        if source in batch.new_reports.values() and source != primary:
            batch.triples.append(_t(source, SSB + "cites", primary))  # a new report relays what it names
    if claim.quote:
        try:
            quote = ox.Literal(claim.quote, language=claim.quote_lang.strip())
        except ValueError:
            raise InputError(
                f"{_field(claim, 'quote_lang')}: {claim.quote_lang!r} is not a language tag",
                hint="a BCP 47 tag, like en, zh or zh-Hans",
            ) from None
        batch.triples.append(_t(iri, SSB + "quote", quote))
    if claim.note:
        batch.triples.append(_t(iri, RDFS + "comment", ox.Literal(claim.note, language="en")))
    return iri


def _field(claim: Claim, name: str) -> str:
    """Where a value was given, as the user gave it: the option on the command line, else the row."""
    if claim.where == "the command line":
        return "--" + name.replace("_", "-")
    return f"{claim.where}, column {name}"


# The columns of a draft `ssbkg intake` writes for review: `status` says what the store already has.
REVIEW = ("status", "evidence")


def read_csv(path: Path) -> list[Claim]:
    """The claims of a CSV file, one a row. A draft's review columns are read: a `recorded` row is
    left out, a `conflicts` row is refused until the analyst makes it `correct` (a correction of the
    recorded claim, which `claim` then makes), and `evidence` is for the reader only."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            unknown = [c for c in reader.fieldnames or [] if c not in FIELDS + REVIEW]
            if unknown:
                raise InputError(
                    f"{path}: unknown column(s) {', '.join(unknown)}", hint="columns: " + ", ".join(FIELDS)
                )
            claims = []
            recorded = 0
            for n, row in enumerate(reader, start=2):
                whole = _whole(row, path, n)
                status = (whole.get("status") or "").strip().lower()
                if status == "recorded":
                    recorded += 1
                    continue
                if status == "conflicts":
                    raise InputError(
                        f"{path}, row {n}: the store records this claim from this source with other values",
                        hint="check it, then set its status to correct to record it as a correction, or delete the row",
                    )
                if status not in ("", "new", "correct"):
                    raise InputError(
                        f"{path}, row {n}: status {status!r} is none of new, recorded, conflicts or correct"
                    )
                claims.append(Claim.from_row(whole, f"{path}, row {n}"))
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise InputError(f"cannot read {path}: {e}") from None
    if not claims and recorded:
        raise NothingWritten(f"{path}: every row is recorded already")
    if not claims:
        raise InputError(f"{path} has no rows", hint="the first row names the columns: " + ", ".join(FIELDS))
    return claims


def _whole(row: dict[str | None, Any], path: Path, n: int) -> dict[str, str]:
    """A row with no cell past the header's columns: an unquoted comma would shift what follows it."""
    extra = row.pop(None, None)
    if extra:
        raise InputError(
            f"{path}, row {n}: {len(extra)} more cell{'s' if len(extra) > 1 else ''} than the header names "
            f"(the first extra one is {str(extra[0])[:40]!r})",
            hint='a cell that holds a comma must be quoted: "Beijing, China"',
        )
    return {k: v for k, v in row.items() if k is not None}


def turtle(triples: list[ox.Triple]) -> str:
    """A Turtle file that loads as it is: the @prefix lines it uses, then the triples."""
    text = (ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES) or b"").decode()
    declared = re.findall(r"(?m)^@prefix ([\w-]*):[^\n]*\n", text)
    body = re.sub(r"(?m)^@prefix [^\n]*\n", "", text).strip()
    used = [p for p in declared if re.search(rf"(?<![\w-]){re.escape(p)}:", body)]
    return "".join(f"@prefix {p}: <{PREFIXES[p]}> .\n" for p in used) + "\n" + body + "\n"
