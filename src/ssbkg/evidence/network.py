"""The alliance and its participants as a picture, laid out by Graphviz (twopi: the alliance at the
centre, participants around it), each edge styled by how sure the evidence is."""

from __future__ import annotations

import re
import shutil
import subprocess
from typing import TYPE_CHECKING

from ssbkg.errors import InputError, SsbkgError
from ssbkg.evidence.alliance import as_number
from ssbkg.vocab import STYLES

if TYPE_CHECKING:
    import graphviz  # type: ignore[import-untyped]

    from ssbkg.evidence.alliance import Evidence
    from ssbkg.stores import Store

FORMATS = ("svg", "png", "dot")


class GraphvizMissing(SsbkgError):
    """A program ssbkg needs is not installed: not bad input (2), not a failed store (3)."""

    exit_code = 6


class PictureOvertime(SsbkgError):
    """Graphviz was stopped at its time limit (the picture has too many participants to lay out soon)."""

    exit_code = 3


def node_id(iri: str) -> str:
    """A stable id for a participant's node in the SVG: `member-` and the IRI's last segment."""
    return "member-" + re.sub(r"[^A-Za-z0-9_-]", "-", iri.rstrip("/").rsplit("/", 1)[-1])


def style_key(certainty: str, status: str) -> str:
    if status == "denied" or certainty == "refuted":
        return "denied"
    if status == "disputed":
        return "disputed"
    return certainty if certainty in STYLES else "reported"


LEGEND = (
    "solid: reported or confirmed   dashed: inferred by a rule   dotted: speculative   red: disputed   "
    "bold orange, labelled denied: a source denies it"
)


def _text(text: str) -> str:
    """Text from the data as Graphviz shows it: never an HTML-like label (a name "<b>Co</b>" would be
    read as markup, and a name like "<x" breaks the picture), backslashes as themselves."""
    import graphviz

    kept: str = graphviz.nohtml(text.replace("\\", "\\\\"))
    return kept


def build(evidence: Evidence, *, standalone: bool = False, dpi: int | None = None) -> graphviz.Graph:
    """The picture; `standalone` for a file of its own: a white ground, a title and the legend (inside
    the report the page gives those)."""
    import graphviz

    g = graphviz.Graph("alliance", engine="twopi")
    g.attr(
        root="alliance",
        overlap="false",
        splines="true",
        ranksep="2.2",
        bgcolor="white" if standalone else "transparent",
        fontname="Helvetica",
        tooltip=_text(evidence.label),
    )
    if standalone:
        level = "all claims" if evidence.min_certainty == "refuted" else f"claims {evidence.min_certainty} or surer"
        title = f"{evidence.label}: who is in, as of {evidence.as_of} ({level})"
        g.attr(label=_text(title) + f"\n{LEGEND}\nthicker: more confident", labelloc="t", fontsize="12")
    if dpi:
        g.attr(dpi=str(dpi))
    g.attr("node", fontname="Helvetica", fontsize="11", shape="box", style="rounded,filled", fillcolor="#ffffff")
    g.attr("edge", fontname="Helvetica", fontsize="9")
    g.node(
        "alliance",
        _text(evidence.label),
        id="alliance",
        shape="ellipse",
        fillcolor="#fff3c4",
        fontsize="16",
        penwidth="2",
        tooltip=evidence.alliance,
    )
    _members(g, evidence, standalone)
    _candidates(g, evidence)
    _denials(g, evidence)
    return g


def _members(g: graphviz.Graph, evidence: Evidence, standalone: bool) -> None:
    for m in evidence.members:
        key = style_key(m.certainty, m.status)
        style, color, _ = STYLES[key]
        g.node(
            node_id(m.iri),
            _text(m.label),
            id=node_id(m.iri),
            color=color,
            tooltip=_text(f"{m.label}: {m.certainty}, {m.confidence}"),
            # In the report a member's node leads to its row of the members table.
            **({} if standalone else {"URL": f"#row-{node_id(m.iri)}", "target": "_self"}),
        )
        g.edge(
            "alliance",
            node_id(m.iri),
            style=style,
            color=color,
            penwidth=str(1 + 2 * as_number(m.confidence)),
            **({"label": "denied", "fontcolor": color} if key == "denied" else {}),
            tooltip=_text(f"{m.label}: {m.certainty} ({m.confidence}), {m.sources} source(s), {m.status}"),
        )


def _candidates(g: graphviz.Graph, evidence: Evidence) -> None:
    """The candidates no claim names as members yet, each once, drawn as sure as they are."""
    shown = {m.iri for m in evidence.members}
    for c in evidence.candidates:
        if c.iri not in shown:
            shown.add(c.iri)
            node = f"candidate: {c.label}, {c.certainty} {c.confidence}"
            _outsider(g, c.iri, c.label, style_key(c.certainty, ""), node, f"candidate: {c.certainty} ({c.confidence})")


def _denials(g: graphviz.Graph, evidence: Evidence) -> None:
    """Organizations a source denies are members of: drawn apart from the members, once each, named
    "denied" on their edge (a member that is also denied has its own edge in that style already)."""
    shown = {m.iri for m in evidence.members} | {c.iri for c in evidence.candidates}
    for d in evidence.denials:
        if d.organization not in shown:
            shown.add(d.organization)
            edge = f"{d.label}: denied by {d.denied_by} ({d.date or 'undated'})"
            _outsider(g, d.organization, d.label, "denied", f"{d.label}: denied by {d.denied_by}", edge)


def _outsider(g: graphviz.Graph, iri: str, label: str, key: str, node_tip: str, edge_tip: str) -> None:
    """A participant that is no member (a candidate, a denial): its name in the colour of its edge."""
    style, color, _ = STYLES[key]
    g.node(node_id(iri), _text(label), id=node_id(iri), color=color, fontcolor=color, tooltip=_text(node_tip))
    named = {"label": "denied", "fontcolor": color} if key == "denied" else {}
    g.edge("alliance", node_id(iri), style=style, color=color, tooltip=_text(edge_tip), **named)


def render(
    evidence: Evidence, fmt: str, *, standalone: bool = False, dpi: int | None = None, timeout: float | None = None
) -> bytes:
    """The picture as SVG, PNG or Graphviz source; Graphviz is stopped after `timeout` seconds."""
    if fmt not in FORMATS:
        raise InputError(f"cannot draw {fmt}", hint="use a file name ending in .svg, .png or .dot")
    graph = build(evidence, standalone=standalone, dpi=dpi)
    if fmt == "dot":
        return str(graph.source).encode("utf-8")
    if shutil.which("twopi") is None:
        raise GraphvizMissing(
            "Graphviz is not installed: the picture needs its twopi program",
            hint="install it (Debian: apt-get install graphviz; macOS: brew install graphviz), or write .dot",
        )
    # Run here, not by graph.pipe: it has no time limit, and twopi on 20,000 participants runs for
    # minutes (it outlived a server that had long given up on the page).
    try:
        done = subprocess.run(
            ["twopi", f"-T{fmt}"],
            input=str(graph.source).encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=True,
        )
    except subprocess.TimeoutExpired:
        raise PictureOvertime(f"Graphviz was stopped after laying out the picture for {timeout:g} s") from None
    except subprocess.CalledProcessError as e:
        raise SsbkgError(f"Graphviz failed: {e.stderr.decode('utf-8', 'replace').strip()}") from None
    return done.stdout


def svg_for_html(evidence: Evidence, *, timeout: float | None = None) -> str:
    """The SVG without its XML prologue, to sit inline in a page."""
    text = render(evidence, "svg", timeout=timeout).decode("utf-8")
    return text[text.index("<svg") :]


def draw(
    store: Store,
    alliance: str,
    fmt: str,
    *,
    as_of: str | None = None,
    min_certainty: str | None = None,
    dpi: int | None = None,
) -> bytes:
    """The picture of one alliance in a file of its own: svg, png or dot, with its title and legend."""
    from ssbkg.evidence.alliance import gather

    return render(gather(store, alliance, as_of=as_of, min_certainty=min_certainty), fmt, standalone=True, dpi=dpi)
