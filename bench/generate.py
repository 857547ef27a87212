"""Synthetic stores in the project's vocabulary, at any scale, deterministic.

Usage: python bench/generate.py ASSERTIONS OUT.nt [--batch N BATCH.ttl]

Writes N-Triples with ASSERTIONS membership assertions (8 triples each) over ASSERTIONS/20
battery makers, ASSERTIONS/10 reports (some citing earlier ones, dates of mixed precision) and
50 publishers and 5 alliances; with --batch, also a Turtle file of N new, valid assertions about
the same organizations and reports, for the gate benchmark.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

ID = "https://w3id.org/ssbkg/id/"
SSB = "https://w3id.org/ssbkg/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
A = f"<{RDF}type>"
XSD = "http://www.w3.org/2001/XMLSchema#"


def sizes(n: int) -> tuple[int, int]:
    return max(5, n // 20), max(5, n // 10)  # organizations, reports


def report_date(i: int) -> str:
    year = 2020 + i % 6
    if i % 7 == 0:
        return f'"{year}"^^<{XSD}gYear>'
    if i % 3 == 0:
        return f'"{year}-{1 + i % 12:02d}"^^<{XSD}gYearMonth>'
    return f'"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}"^^<{XSD}date>'


def write_store(n: int, out: Path, seed: int = 7) -> None:
    rnd = random.Random(seed)
    orgs, reports = sizes(n)
    with out.open("w", encoding="utf-8") as f:
        w = f.write
        for p in range(50):
            s = f"<{ID}gen-pub-{p}>"
            w(
                f'{s} {A} <{SSB}Publisher> .\n{s} <http://www.w3.org/2000/01/rdf-schema#label> "Publisher {p}"@en .\n'
                f"{s} <http://purl.org/dc/terms/source> <{ID}gen-report-0> .\n"
            )
        for a in range(5):
            s = f"<{ID}gen-alliance-{a}>"
            w(
                f'{s} {A} <{SSB}Alliance> .\n{s} <http://www.w3.org/2000/01/rdf-schema#label> "Alliance {a}"@en .\n'
                f"{s} <http://purl.org/dc/terms/source> <{ID}gen-report-0> .\n"
            )
        for o in range(orgs):
            s = f"<{ID}gen-org-{o}>"
            w(
                f'{s} {A} <{SSB}BatteryMaker> .\n{s} <http://www.w3.org/2000/01/rdf-schema#label> "Maker {o}"@en .\n'
                f'{s} <{SSB}country> "CN" .\n{s} <http://purl.org/dc/terms/source> <{ID}gen-report-{o % reports}> .\n'
            )
        for r in range(reports):
            s = f"<{ID}gen-report-{r}>"
            w(
                f'{s} {A} <{SSB}Report> .\n{s} <https://schema.org/headline> "Report {r}"@en .\n'
                f"{s} <https://schema.org/publisher> <{ID}gen-pub-{r % 50}> .\n"
                f"{s} <https://schema.org/datePublished> {report_date(r)} .\n"
                f"{s} <https://schema.org/url> <https://example.org/report/{r}> .\n"
            )
        for i in range(n):
            w(assertion(f"gen-assertion-{i}", rnd, orgs, reports))


def assertion(name: str, rnd: random.Random, orgs: int, reports: int) -> str:
    s = f"<{ID}{name}>"
    source = rnd.randrange(reports)
    confidence = f"0.{rnd.randrange(60, 95)}"
    return (
        f"{s} {A} <{SSB}Assertion> .\n{s} <{RDF}subject> <{ID}gen-org-{rnd.randrange(orgs)}> .\n"
        f"{s} <{RDF}predicate> <http://www.w3.org/ns/org#memberOf> .\n"
        f"{s} <{RDF}object> <{ID}gen-alliance-{rnd.randrange(5)}> .\n"
        f"{s} <{SSB}certainty> <{SSB}Reported> .\n"
        f'{s} <{SSB}confidence> "{confidence}"^^<{XSD}decimal> .\n'
        f"{s} <http://www.w3.org/ns/prov#wasDerivedFrom> <{ID}gen-report-{source}> .\n"
        f"{s} <http://www.w3.org/ns/prov#hadPrimarySource> <{ID}gen-report-{source}> .\n"
    )


def write_batch(n_store: int, n: int, out: Path, seed: int = 11) -> None:
    rnd = random.Random(seed)
    orgs, reports = sizes(n_store)
    out.write_text("".join(assertion(f"batch-assertion-{i}", rnd, orgs, reports) for i in range(n)), encoding="utf-8")


def main() -> None:
    n, out = int(sys.argv[1]), Path(sys.argv[2])
    write_store(n, out)
    if "--batch" in sys.argv:
        i = sys.argv.index("--batch")
        write_batch(n, int(sys.argv[i + 1]), Path(sys.argv[i + 2]))


if __name__ == "__main__":
    main()
