"""The words ssbkg's answers are made of, once: the certainty levels (surest first, with their IRI, how
the picture draws them and what the legend calls them), the claim predicates a user may name, and how
each predicate reads in a sentence. The CLI's choices, the site, the picture, the report and the claim
builder read them here; a test holds them to ontology/ssbkg.ttl and to the stored queries' headers."""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple

from ssbkg.namespaces import ORG, SSB


class Style(NamedTuple):
    """How the network picture draws an edge: Graphviz's line style, its colour, the legend's words."""

    line: str
    colour: str
    legend: str


class Certainty(Enum):
    """How sure a claim is, surest first (the order of `minCertainty` in the stored queries)."""

    CONFIRMED = "confirmed"
    REPORTED = "reported"
    INFERRED = "inferred"
    SPECULATIVE = "speculative"
    REFUTED = "refuted"

    @property
    def iri(self) -> str:
        return SSB + self.value.capitalize()

    @property
    def rank(self) -> int:
        """0 for the surest; a claim is shown at a least certainty L when its rank is at most L's."""
        return list(Certainty).index(self)

    @classmethod
    def of(cls, text: str) -> Certainty | None:
        """The level a word or an IRI names (`reported`, `Reported`, `ssb:Reported`, its IRI), or None."""
        word = text.strip().rsplit("#", 1)[-1].rsplit(":", 1)[-1].lower()
        return next((level for level in cls if level.value == word), None)


LEVELS = tuple(level.value for level in Certainty)

# The confidence rule (docs/queries.md, "How sure a claim is"): a reported claim starts from its
# source's Admiralty grade and loses 0.15 when another source contradicts it, never below 0.6; a
# speculative claim is 0.2; a refuted one at most 0.1.
GRADE_CONFIDENCE = {"A": "0.9", "B": "0.8", "C": "0.75", "D": "0.65", "E": "0.6", "F": "0.6"}


def confidence_for(certainty: str, grade: str, *, disputed: bool = False) -> str:
    """The confidence the rule gives a claim of this certainty from a source of this grade."""
    from decimal import Decimal

    if certainty == "speculative":
        return "0.2"
    if certainty == "refuted":
        return "0.1"
    value = Decimal(GRADE_CONFIDENCE.get(grade.strip().upper() or "F", "0.6"))
    if disputed:
        value -= Decimal("0.15")
    return str(max(value, Decimal("0.6")))


# The picture's edges: one style per level, one for a claim that is disputed (whatever its level), and
# one for a denial: a source that says the organization is not a member, the opposite of a membership.
STYLES = {
    "confirmed": Style("solid", "#1b5e20", "confirmed"),
    "reported": Style("solid", "#1f4e79", "reported"),
    "inferred": Style("dashed", "#6a4c93", "inferred by a rule"),
    "speculative": Style("dotted", "#6d6d6d", "speculative (an educated guess)"),
    "disputed": Style("solid", "#c62828", "disputed"),
    "denied": Style("bold", "#e65100", "denied by a source (not a member)"),
}

# The predicates a claim may name, as a user types them.
PREDICATES = {
    "member": ORG + "memberOf",
    "backs": SSB + "backs",
    "heads": ORG + "headOf",
    "position": SSB + "holdsPositionIn",
}

# How a claim's predicate reads between its subject and its object (by the predicate's local name).
SAID = {
    "memberOf": "is a member of",
    "backs": "backs",
    "includesTopRanked": "includes",
    "describedAs": "is described as",
    "headOf": "heads",
    "holdsPositionIn": "holds a position in",
}
