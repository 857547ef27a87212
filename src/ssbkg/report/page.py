"""The evidence report: one self-contained HTML page (styles and picture inline, nothing fetched)."""

from __future__ import annotations

from html import escape
from pathlib import Path

from ssbkg.report import network
from ssbkg.report.evidence import Candidate, Evidence, Member, Source, cited_sources
from ssbkg.stores import Store
from ssbkg.vocab import SAID, STYLES

CSS = """
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1d1d1f;margin:0;
  background:#f6f7f9}
main{max-width:1180px;margin:0 auto;padding:24px 28px 48px}
h1{font-size:28px;margin:0 0 4px}
h2{font-size:19px;margin:34px 0 10px;border-bottom:1px solid #dde1e6;padding-bottom:4px}
.sub{color:#555;margin:0 0 14px}
.asof{display:inline-block;background:#fff3c4;border-radius:4px;padding:2px 8px;font-weight:600}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:14px 0}
.card{background:#fff;border:1px solid #dde1e6;border-radius:8px;padding:10px 14px;min-width:120px}
.card b{display:block;font-size:24px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}dt{color:#555}dd{margin:0}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #dde1e6;font-size:14px}
th,td{text-align:left;padding:6px 9px;border-bottom:1px solid #eceff3;vertical-align:top}th{background:#f0f2f5}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;color:#fff}
.confirmed{background:#1b5e20}.reported{background:#1f4e79}.inferred{background:#6a4c93}
.speculative{background:#6d6d6d}.refuted,.disputed{background:#c62828}
.picture{background:#fff;border:1px solid #dde1e6;border-radius:8px;padding:8px;text-align:center}
.picture svg{max-width:100%;height:auto}
.legend{display:flex;gap:18px;flex-wrap:wrap;font-size:13px;margin:8px 4px}.legend svg{vertical-align:middle}
.why{color:#333;font-size:13px}.muted{color:#777}a{color:#1f4e79}
footer{margin-top:36px;color:#777;font-size:12px}
"""


def render(evidence: Evidence, svg: str) -> str:
    e = evidence
    disputed = sum(1 for m in e.members if m.status == "disputed")
    sure = sum(1 for m in e.members if m.certainty in ("confirmed", "reported"))
    cited = cited_sources(e.members, e.conflicts)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(e.label)}: who is in, and how sure we are</title>",
        f"<style>{CSS}</style></head><body><main>",
        f"<h1>{escape(e.label)}</h1>",
        f'<p class="sub">Who is in, how sure we are, who said so. <span class="asof">As of {escape(e.as_of)}</span>'
        f" &middot; claims at or above <b>{escape(e.min_certainty)}</b> &middot; "
        f"{_a(e.alliance, escape(e.alliance))}</p>",
        '<div class="cards">',
        _card(len(e.members), "participants named"),
        _card(sure, "reported or confirmed"),
        _card(disputed, "disputed"),
        _card(len({c.iri for c in e.candidates}), "candidates and guesses"),
        _card(len(cited), "sources"),
        "</div>",
        '<h2 id="profile">Profile</h2>',
        "<dl>" + "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in e.facts) + "</dl>",
        '<h2 id="network">The network</h2>',
        f'<div class="picture">{svg}</div>',
        _legend(),
        '<h2 id="members">Members</h2>',
        _members(e),
        '<h2 id="conflicts">Where sources disagree</h2>',
        _conflicts(e),
        *_retracted(e),
        '<h2 id="candidates">Candidates and educated guesses</h2>',
        _candidates(e),
        '<h2 id="sources">Sources</h2>',
        _sources([e.sources[s] for s in cited if s in e.sources]),
        f"<footer>Made by ssbkg from the stored queries alliance-members, corroboration, claims-by-source, "
        f"conflicts, candidates and reports, and the inference rules run without writing. As of {escape(e.as_of)}."
        "</footer>",
        f"</main><script>{SCRIPT}</script></body></html>",
    ]
    return "\n".join(parts) + "\n"


def _card(n: int, what: str) -> str:
    return f'<div class="card"><b>{n}</b>{escape(what)}</div>'


def _badge(level: str) -> str:
    return f'<span class="badge {escape(level)}">{escape(level)}</span>'


def _legend() -> str:
    items = []
    for style, color, label in STYLES.values():
        dash = {"solid": "", "dashed": ' stroke-dasharray="8 5"', "dotted": ' stroke-dasharray="2 4"'}[style]
        items.append(
            f'<span><svg width="46" height="10" aria-hidden="true"><line x1="0" y1="5" x2="46" y2="5" '
            f'stroke="{color}" stroke-width="3"{dash}/></svg> {escape(label)}</span>'
        )
    return '<div class="legend">' + "".join(items) + "<span>thicker: more confident</span></div>"


def _a(href: str, text: str, **attrs: str) -> str:
    """A link only to an http(s) address: any other scheme (javascript:, data:, file:) would run or
    open something on the reader's machine, so its text is shown plain, with the address beside it."""
    extra = "".join(f' {k.rstrip("_")}="{escape(v)}"' for k, v in attrs.items())
    if href.lower().startswith(("http://", "https://")):
        return f'<a href="{escape(href)}"{extra}>{text}</a>'
    return f"<span{extra}>{text}</span>"


def _link(source: Source | None, iri: str) -> str:
    if source is None:
        return _a(iri, escape(iri.rsplit("/", 1)[-1]))
    name = source.publisher or source.title
    href = source.url or source.iri
    return _a(href, escape(name), class_="source", title=source.title)


def _members(e: Evidence) -> str:
    rows = "".join(_member_row(e, m) for m in e.members)
    head = (
        "<tr><th>Member</th><th>Certainty</th><th>Confidence</th><th>Status</th><th>Sources</th>"
        '<th title="independent origins">Independent</th>'
        '<th title="reports that read an origin themselves">Readings</th><th>Reliability</th>'
        '<th title="the earliest date of a source that names it">First reported</th><th>Said by</th></tr>'
    )
    return _filter("members-table", "members") + _table("members-table", head, rows)


def _table(table_id: str, head: str, rows: str) -> str:
    return f'<table id="{table_id}" class="sortable"><thead>{head}</thead><tbody>{rows}</tbody></table>'


def _filter(table_id: str, what: str) -> str:
    return (
        f'<p><input class="filter" type="search" data-table="{table_id}" placeholder="Filter the {what}" '
        f'aria-label="Filter the {what}"> <span class="muted">click a heading to sort</span></p>'
    )


# Sorting and filtering, inline (the page fetches nothing); the site serves the same file.
SCRIPT = (Path(__file__).parent / "tables.js").read_text(encoding="utf-8")


def _origins(m: Member) -> str:
    # Not "repeating": an origin of its own (evspectrum on CATL) repeats nobody.
    if m.independent > 1:
        return f"{m.independent} independent origins: {escape(m.origins)}"
    return f"origin: {escape(m.origins)}"


def _member_row(e: Evidence, m: Member) -> str:
    links = ", ".join(_link(e.sources.get(s), s) for s in m.source_iris)
    status = _badge("disputed") if m.status == "disputed" else "undisputed"
    origin = f'<div class="muted">{_origins(m)}</div>' if m.origins else ""
    return (
        f'<tr id="row-{network.node_id(m.iri)}" data-member="{escape(m.iri)}">'
        f"<td>{_a(m.iri, escape(m.label))}</td>"
        f"<td>{_badge(m.certainty)}</td><td>{escape(m.confidence)}</td><td>{status}</td><td>{m.sources}</td>"
        f"<td>{m.independent}</td><td>{m.readings}</td><td>{escape(m.reliability)}</td>"
        f"<td>{escape(m.first_reported)}</td><td>{links}{origin}</td></tr>"
    )


def _conflicts(e: Evidence) -> str:
    """One row per disputed claim: who states it, who contradicts or refutes it, and the note once."""
    if not e.conflicts:
        return '<p class="muted">No claim about this alliance is contradicted.</p>'
    claims: dict[tuple[str, str, str], dict[str, list[str]]] = {}
    for r in e.conflicts:
        said = SAID.get(r["predicate"].rsplit("#", 1)[-1], r["predicate"].rsplit("#", 1)[-1])
        sides = claims.setdefault((r["subjectLabel"] or r["subject"], said, r["objectLabel"] or r["object"]), {})
        sides.setdefault(r["side"], []).append(_link(e.sources.get(r["source"]), r["source"]))
        if r["note"]:
            sides.setdefault("note", []).append(r["note"])
    rows = "".join(
        f"<tr><td>{escape(subject)} {escape(said)} {escape(obj)}</td>"
        f"<td>{', '.join(dict.fromkeys(sides.get('states', []))) or '-'}</td>"
        f"<td>{', '.join(dict.fromkeys(sides.get('contradicts', []) + sides.get('refutes', []))) or '-'}</td>"
        f'<td class="why">{"<br>".join(escape(n) for n in dict.fromkeys(sides.get("note", [])))}</td></tr>'
        for (subject, said, obj), sides in claims.items()
    )
    head = "<tr><th>Claim</th><th>Stated by</th><th>Contradicted or refuted by</th><th>Analysts' note</th></tr>"
    return _table("conflicts-table", head, rows)


def _retracted(e: Evidence) -> list[str]:
    """Retracted claims stay on the record: struck through, with who retracted them, when and why."""
    if not e.retracted:
        return []
    rows = "".join(
        f"<tr><td><del>{escape(r['subjectLabel'] or r['subject'])} "
        f"{escape(SAID.get(r['predicate'].rsplit('#', 1)[-1], r['predicate']))} "
        f"{escape(r['objectLabel'] or r['object'])}</del></td><td><del>{escape(r['sourceName'])}</del></td>"
        f'<td>{escape(r["retracted"][:10])}</td><td>{escape(r["by"])}</td><td class="why">{escape(r["why"])}</td></tr>'
        for r in e.retracted
    )
    head = "<tr><th>Claim</th><th>Source</th><th>Retracted</th><th>By</th><th>Why</th></tr>"
    return ['<h2 id="retracted">Retracted claims</h2>', _table("retracted-table", head, rows)]


def _candidates(e: Evidence) -> str:
    if not e.candidates:
        return '<p class="muted">No candidates: nothing is guessed or inferred.</p>'
    # The same candidate from several relays of one aggregate claim: shown once, at its best confidence.
    best: dict[tuple[str, str], tuple[Candidate, int]] = {}
    for c in e.candidates:
        key = (c.iri, c.reasoning)
        kept, n = best.get(key, (c, 0))
        best[key] = (max(kept, c, key=lambda x: network.as_number(x.confidence)), n + 1)
    rows = "".join(
        f"<tr><td>{_a(c.iri, escape(c.label))}</td><td>{_badge(c.certainty)}</td>"
        f"<td>{escape(c.confidence)}</td><td>{escape(c.source)}{' (derived now)' if c.live else ''}"
        f"{f' from {n} reports of the claim' if n > 1 else ''}</td>"
        f'<td class="why">{escape(c.reasoning)}'
        f"{f' Or, under another reading: {escape(c.alternatives)}.' if c.alternatives else ''}</td></tr>"
        for c, n in best.values()
    )
    return (
        "<table><tr><th>Candidate</th><th>Level</th><th>Confidence</th><th>From</th><th>Reasoning</th></tr>"
        f"{rows}</table>"
    )


def _sources(sources: list[Source]) -> str:
    sources = sorted(sources, key=lambda s: (s.date, s.publisher))
    rows = "".join(
        f'<tr data-source="{escape(s.iri)}"><td>{escape(s.date)}</td><td>{escape(s.publisher)}</td>'
        f"<td>{_title(s)}</td><td>{escape(s.reliability)}</td></tr>"
        for s in sources
    )
    head = "<tr><th>Date</th><th>Publisher</th><th>Report</th><th>Reliability</th></tr>"
    return _filter("sources-table", "sources") + _table("sources-table", head, rows)


def _title(s: Source) -> str:
    if s.url:
        return _a(s.url, escape(s.title))
    return f'{escape(s.title)} <span class="muted">(not seen: known through the reports that cite it)</span>'


def page(store: Store, alliance: str, *, as_of: str | None = None, min_certainty: str | None = None) -> str:
    """The report for one alliance, as HTML."""
    from ssbkg.report.evidence import gather

    evidence = gather(store, alliance, as_of=as_of, min_certainty=min_certainty)
    return render(evidence, network.svg_for_html(evidence))
