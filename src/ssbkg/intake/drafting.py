"""Drafting claims from an article: each sentence that names an alliance and organizations, read for
what it says of them (the cues below), becomes draft rows for `claim --from-csv`, with the sentence
copied verbatim as the quote and the origin the article relays as the primary source.

The cues, in the languages of the coverage (English, Chinese, German, Portuguese; and Spanish, Italian
and French, each learnt from a labelled set, tests/articles/SOURCES.md):
- membership: include, member, join, comprise, consist of, bring together, part of; 成员, 加入, 包括;
  Mitglied, gehören, umfasst, darunter; membro, inclui, integra, fazem parte;
- not membership, never drafted as it: attending, speaking, a speech, eligibility for a programme or
  funding (programme, eligible, selected for, funding): such a sentence drafts nothing, and says why;
- backing: backed, supported, led by, under the guidance of (a ministry backs; it is not a member);
- certainty: a plain statement, in any tense ("will also join"), is reported; a hedge (may, might,
  could, is expected to, probably, likely, considering, plans to) is speculative; a denial (not a
  member, denied, did not join) is refuted;
- the origin: "according to X", "X reports", "citing X", "as X said", "laut X", "segundo X", "据X"
  names the publisher X whose report the article relays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ssbkg.intake.finding import Mention, Name
from ssbkg.vocab import confidence_for

_MEMBER = re.compile(
    r"\b(includ\w*|members?|membership|join\w*|compris\w*|consist\w*|brings? together|bringing together|"
    r"brought together|part of|encompass\w*|pools?|summoned|participation|participants?|lineup|line-up|"
    r"involved in|enlist\w*|integrat\w*|membership list|there (?:are|is) also|"
    r"riunisce|comprese|compres[oi]|aderito|part[ei]cip\w*|prendendo parte|fanno parte|reún\w*|reun\w*|"
    r"incorpora|forman parte|fazem parte|conta com|"
    r"Teil de[rs]|beteiligt\w*|dazu gehören|Kooperation ein\w*|eingegangen|verbünde\w*|schlie(?:ß|ss)en sich|"
    r"mit von der Partie|bündeln|"
    r"réunit|regroupe|comprend|font partie|fait partie|on trouve|rassembl\w*|fait appel|"
    r"teaming up|team up|form\w* an? (?:alliance|consortium)|unit\w*|Mitglied\w*|gehör\w*|umfass\w*|darunter|"
    r"membros?|inclu\w*|integra\w*|fazem parte)\b|成员|加入|包括|参与",
    re.IGNORECASE,
)
_NOT_MEMBERSHIP = re.compile(
    r"\b(attend\w*|spoke|speak\w*|speech|keynote|ceremony|eligible|eligibility|programme|program|funding|"
    r"selected for|sued|patent|event|emphasi[sz]ed|inaugura\w*|opening|gave a)\b|出席|表示|指出|致辞",
    re.IGNORECASE,
)
_BACKS = re.compile(r"\b(backed by|supported by|support of|under the guidance of|government bodies|ministr\w+)\b", re.I)
_HEDGE = re.compile(
    r"\b(may|might|could|is expected to|are expected to|probably|likely|possibly|considering|plans? to|"
    r"rumou?red|könnte|vielleicht|pode|poderá|provavelmente|pourrai\w*|probablement)\b|可能|或将",
    re.IGNORECASE,
)
_DENIAL = re.compile(
    r"\b(not a member|is not part of|are not part of|denied|denies|did not join|has not joined|no longer)\b|"
    r"\bnicht\b|\bnão\b|并非|不是",
    re.IGNORECASE,
)
# Whom a sentence has its words from: the name after the cue ("according to X", "reported X") or before
# it ("X reports", "X, reports"); the two are looked for apart, so that one never hides the other.
_ORIGIN_AFTER = re.compile(
    r"(?:according to|citing|as reported by|reported by|reported|reports|wrote|laut|berichtete?|segundo|secondo|según|"
    r"provient du magazine en ligne|provient d[eu]|selon|d'après|"
    r"de acordo com|据)\s*(?P<name>[^,.;:]+)",
    re.IGNORECASE,
)
_ORIGIN_BEFORE = re.compile(
    r"(?P<name>[^,.;:]+?),?\s+"
    r"(?:reports?|reported|said|says|ha riferito|riporta|informó|reportó|berichtet\w*|zufolge)\b",
    re.IGNORECASE,
)
# A sentence that goes on with the list the one before began ("También a otras empresas como ...").
_ALSO = re.compile(r"\b(also|too|as well|además|también|tambem|também|auch|ebenso|anche|inoltre)\b", re.IGNORECASE)
# Sentences end at . ! ? and their Chinese forms; a list item (a line) is a sentence of its own.
_SENTENCE = re.compile(r"[^.!?。！？\n]+(?:[.!?。！？]+|$)", re.MULTILINE)


@dataclass
class Row:
    """One draft claim, in the columns `claim --from-csv` reads, with what the reviewer needs."""

    subject: str
    object: str
    predicate: str
    certainty: str
    confidence: str
    quote: str
    quote_lang: str
    primary: str = ""
    status: str = "new"
    evidence: str = ""
    start: int = 0  # where the quote is in the article's text
    mentions: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Skipped:
    sentence: str
    why: str


# Abbreviations whose full stop ends no sentence (u. a., z. B., e.g., i.e., etc.), kept by a stand-in.
_ABBREVIATION = re.compile(r"\b(u\. ?a|z\. ?B|d\. ?h|e\.g|i\.e|etc|Co|Ltd|Inc|Corp|No|vs|Mr|Dr|Prof)\.", re.IGNORECASE)


def sentences(text: str) -> list[tuple[int, str]]:
    """The sentences of a text with where each starts, stripped of the spaces around them."""
    out = []
    # The same length, so that offsets hold: each full stop of an abbreviation becomes a stand-in.
    masked = _ABBREVIATION.sub(lambda m: m.group().replace(".", "\u2024"), text)
    for m in _SENTENCE.finditer(masked):
        raw = text[m.start() : m.end()]
        stripped = raw.strip(" \t-•*")
        if stripped:
            out.append((m.start() + raw.index(stripped), stripped))
    return out


def origin(text: str, mentions: list[Mention]) -> Mention | None:
    """The publisher the article says it relays ("according to Nikkei Asia"), if it names one the store
    knows."""
    publishers = [m for m in mentions if m.name.kind == "publisher"]
    for pattern in (_ORIGIN_AFTER, _ORIGIN_BEFORE):
        for cue in pattern.finditer(text):
            span = cue.span("name")
            for m in publishers:
                if span[0] <= m.start and m.end <= span[1] + 1:
                    return m
    return None


def unknown_origin(text: str, mentions: list[Mention]) -> str:
    """The name of an origin the article says it relays that is none the store knows ("Laut
    deraktionaer.de"): a web address, or a short capitalised name, right after the cue."""
    for cue in _ORIGIN_AFTER.finditer(text):
        at = cue.start("name")
        if any(at <= m.start < cue.end("name") for m in mentions):
            continue
        address = re.match(r"[\w-]+(?:\.[\w-]+)+", text[at:])
        if address:
            return address.group()
        words = cue.group("name").split()
        if words and len(words) <= 4 and all(w[0].isupper() for w in words):
            return " ".join(words)
    return ""


def draft(
    text: str,
    mentions: list[Mention],
    *,
    grade: str,
    language: str,
    relayed: Name | None,
    alliance: Name | None = None,
) -> tuple[list[Row], list[Skipped]]:
    """The draft rows the sentences of `text` give, and the sentences that name an alliance with
    organizations but give no claim (with why). `alliance` is the one the article is about where a
    sentence names none (given, or found by draft.intake); else the one alliance the article names."""
    rows: list[Row] = []
    skipped: list[Skipped] = []
    drafted: set[tuple[str, str, str]] = set()
    after_alliance = False  # the sentence before named the alliance: "It summoned ...", "... will also join in"
    listed_before = False  # the sentence before drafted members: "También a otras empresas como ..."
    in_paragraph = _paragraphs_about_alliance(text, mentions)
    named = _only_alliance(mentions)
    scope = alliance or named
    for start, sentence in sentences(text):
        end = start + len(sentence)
        here = [m for m in mentions if start <= m.start and m.end <= end]
        alliances = [m for m in here if m.name.kind == "alliance"]
        parties = [m for m in here if m.name.kind in ("organization", "person")]
        several = len({m.name.entity for m in parties if m.name.kind == "organization"}) >= 2
        cue = bool(_MEMBER.search(sentence))
        about = bool(alliances) or refers_to_alliance(sentence)
        # A paragraph about the alliance goes on while its sentences say who is in it; a sentence with a
        # cue of membership in a paragraph that names or refers to the alliance anywhere is about it too,
        # and so is one that lists organizations with such a cue in an article about one alliance.
        goes_on = listed_before and several and bool(_ALSO.search(sentence))
        continues = (
            after_alliance or (in_paragraph(start) and cue) or (scope is not None and several and cue) or goes_on
        )
        after_alliance = about or (after_alliance and cue)
        listed_before = False
        if not parties or not (about or continues):
            continue
        chosen = alliances[0].name if alliances else scope
        if chosen is None:
            skipped.append(Skipped(sentence, "it speaks of an alliance the article does not name, or of several"))
            continue
        if _NOT_MEMBERSHIP.search(sentence) and not _MEMBER.search(_strip(sentence, _NOT_MEMBERSHIP)):
            skipped.append(Skipped(sentence, "attendance, a speech or a programme is not membership"))
            continue
        backs = bool(_BACKS.search(sentence))
        listing = (bool(alliances) and several) or goes_on
        if not backs and not cue and not listing:
            # A sentence that names the alliance with organizations lists who is in it, in any language;
            # one that only refers to it, or goes on about it, must say so in words known here.
            skipped.append(Skipped(sentence, "no cue of membership"))
            continue
        certainty = "refuted" if _DENIAL.search(sentence) else "speculative" if _HEDGE.search(sentence) else "reported"
        # A sentence that says whom it has from ("the company said") relays that, not the article's origin.
        cited = _ORIGIN_AFTER.search(sentence) or _ORIGIN_BEFORE.search(sentence)
        own = cited is not None and origin(sentence, _shifted(here, start)) is None
        relays = None if own else relayed
        cues = [c for c in (_DENIAL, _HEDGE, _BACKS, _MEMBER, _ALSO) if c.search(sentence)]
        said = "; ".join(f"cue {c.search(sentence).group()!r}" for c in cues[:2])  # type: ignore[union-attr]
        said = said or "listed with the alliance's name"
        if not alliances and named is None:
            said += f"; the article names no alliance: {chosen.text}"
        after_alliance = True  # a sentence that drafts goes on about the alliance
        listed_before = not backs
        for m in parties:
            predicate = "backs" if m.name.backer or (backs and _is_backer(m.name)) else "member"
            key = (m.name.entity, predicate, chosen.entity)
            if key in drafted or m.name.entity == chosen.entity or _owner_only(m, here, text):
                continue
            if m.name.kind == "person" and not _MEMBER.search(sentence):
                continue  # a person named beside the alliance is a speaker far more often than a member
            if backs and predicate == "member" and not _MEMBER.search(sentence):
                continue
            drafted.add(key)
            rows.append(
                Row(
                    subject=m.name.entity,
                    object=chosen.entity,
                    predicate=predicate,
                    certainty=certainty,
                    confidence=confidence_for(certainty, grade),
                    quote=sentence,
                    quote_lang=language or "en",
                    primary=relays.entity if relays is not None else "",
                    evidence=f"{said}; {m.explained}",
                    start=start,
                    mentions=[_mention(k) for k in here],
                )
            )
    return rows, skipped


def _paragraphs_about_alliance(text: str, mentions: list[Mention]) -> Any:
    """Whether the paragraph (a line of the article's text) holding a given offset names the alliance
    or refers to it, in any of its sentences."""
    spans = []
    at = 0
    for line in text.split("\n"):
        end = at + len(line)
        named = any(at <= m.start < end and m.name.kind == "alliance" for m in mentions)
        spans.append((at, end, named or refers_to_alliance(line)))
        at = end + 1
    return lambda offset: any(a <= offset <= b and about for a, b, about in spans)


def _shifted(mentions: list[Mention], by: int) -> list[Mention]:
    """Mentions placed in a sentence that starts at `by`."""
    return [Mention(m.name, m.start - by, m.end - by) for m in mentions]


def _mention(m: Mention) -> dict[str, Any]:
    return {"entity": m.name.entity, "matched": m.explained, "start": m.start, "end": m.end}


def _strip(sentence: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(" ", sentence)


def refers_to_alliance(sentence: str) -> bool:
    """A sentence that speaks of the alliance without its name ("The government-led alliance pools")."""
    return bool(
        re.search(
            r"(\bthe\b|\bthis\b|[’']s\b)[\w\s-]{0,30}?\b(alliance|consortium|platform|initiative|task force)\b"
            r"|\bit (also )?includes\b"
            r"|\b(alleanza|consorzio|iniziativa|piattaforma|alianza|consorcio|aliança|consórcio|Allianz|Konsortium\w*|"
            r"Plattform|Initiative|Kooperation|coalition|association|plate-forme|plateforme)\b|该平台|联盟",
            sentence,
            re.IGNORECASE,
        )
    )


def _owner_only(m: Mention, here: list[Mention], text: str) -> bool:
    """A name that only says whose another is: "BYD’s subsidiary FinDreams", "BYD’s FinDreams Battery",
    "FinDreams Battery (filiale de BYD)", "(a BYD subsidiary)"."""
    after = text[m.end : m.end + 30]
    if re.match(r"[’']s\b", after):
        return any(0 < k.start - m.end <= 30 and k.name.kind in ("organization", "person") for k in here)
    opened, closed = text.rfind("(", 0, m.start), text.rfind(")", 0, m.start)
    if opened <= closed or ")" not in after:
        return False  # not inside a parenthesis
    inside = after[: after.index(")")]
    return bool(_OWNER_BEFORE.search(text[opened + 1 : m.start]) or _OWNER_AFTER.match(inside))


# Who owns whom in a parenthesis: "(filiale de BYD)", "(subsidiary of BYD)"; "(a BYD subsidiary)",
# "(BYD-Batterietochter)". The owner is named after "of", or before the word for a subsidiary.
_OWNER_BEFORE = re.compile(
    r"\b(subsidiary|subsidiária|subsidiaria|filiale|filial|Tochter\w*)\s+(of|de|d’|d'|da|do|von|der)\s*$", re.I
)
_OWNER_AFTER = re.compile(r"\s*-?\s*(battery |batterie-?)?(subsidiary|tochter\w*|arm|unit)\b", re.I)


def _only_alliance(mentions: list[Mention]) -> Name | None:
    """The alliance an article is about: the one alliance it names."""
    found = {m.name.entity: m.name for m in mentions if m.name.kind == "alliance"}
    return next(iter(found.values())) if len(found) == 1 else None


def _is_backer(name: Name) -> bool:
    """Government bodies back an alliance; they are not its members."""
    return name.backer or bool(re.search(r"ministry|administration|commission|部|委员会", name.text, re.IGNORECASE))
