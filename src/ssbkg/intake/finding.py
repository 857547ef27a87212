"""Finding the store's organizations, people, alliances and publishers in an article's text, by any
of their names in any language: case, full and half width, and punctuation folded; the longest name
first, so that a name inside another name ("BYD" in "FinDreams Battery, a BYD unit") is not matched
twice where the longer one matched; Latin names only at word boundaries (Chinese has no spaces).

Names that look like a company's but are in no label of the store are listed as new entities for the
analyst to add: nothing is created."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from ssbkg.io.terms import text_of
from ssbkg.namespaces import ORG, RDFS, SKOS, SSB, sparql_prologue
from ssbkg.querying.resolve import subclasses
from ssbkg.stores import Store

# Least particular first: names() reads them the other way round, and keeps the first kind it finds.
KINDS = {"organization": ORG + "Organization", "person": SSB + "Person", "publisher": SSB + "Publisher",
         "alliance": SSB + "Alliance"}  # fmt: skip
_HOW = {RDFS + "label": "name", SKOS + "altLabel": "alias", SKOS + "prefLabel": "name", SSB + "legalName": "legal name"}


@dataclass(frozen=True)
class Name:
    entity: str
    kind: str  # organization, person, alliance or publisher
    text: str  # the name as the store holds it
    how: str  # name, alias, legal name
    language: str
    backer: bool = False  # a government body: it backs an alliance, it is never drafted as a member


@dataclass(frozen=True)
class Mention:
    name: Name
    start: int  # where in the article's text
    end: int

    @property
    def explained(self) -> str:
        """How it matched, as the draft says it: "alias 'BYD Co Ltd'"."""
        language = f", {self.name.language}" if self.name.language not in ("", "en") else ""
        return f"{self.name.how} {self.name.text!r}{language}"


def fold(text: str) -> str:
    """Text as names are compared: NFKC (full width to half), case folded, punctuation to spaces, and
    traditional Chinese as simplified (寧德時代 is 宁德时代), one character for one."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(" " if unicodedata.category(c)[0] in "PZS" else _simplified(c) for c in folded)


@lru_cache(maxsize=8192)
def _simplified(c: str) -> str:
    """A Chinese character in its simplified form (OpenCC's table); any other character as it is."""
    if not "\u3400" <= c <= "\u9fff":
        return c
    converted = _converter().convert(c)
    return converted if len(converted) == 1 else c


@lru_cache(maxsize=1)
def _converter() -> Any:
    import opencc  # only when an article or a name holds Chinese

    return opencc.OpenCC("t2s")


def names(store: Store) -> list[Name]:
    """Every name of every organization, person, alliance and publisher the store knows, each entity
    of its most particular kind (an alliance and a publisher are organizations too)."""
    found: dict[tuple[str, str, str], Name] = {}
    for kind, cls in reversed(KINDS.items()):  # alliance, publisher, person, organization: first kept
        types = " ".join(f"<{t}>" for t in subclasses((cls,)))
        rows = store.select(
            sparql_prologue("rdfs", "skos", "ssb")
            + f"SELECT DISTINCT ?x ?p ?name WHERE {{ VALUES ?type {{ {types} }} ?x a ?type . "
            "VALUES ?p { rdfs:label skos:altLabel skos:prefLabel ssb:legalName } ?x ?p ?name }"
        ).rows
        for x, p, name in rows:
            if x is None or p is None or name is None:
                continue
            language = getattr(name, "language", None) or ""
            key = (text_of(x), text_of(p), text_of(name))
            found.setdefault(key, Name(text_of(x), kind, text_of(name), _HOW.get(text_of(p), "name"), language))
    types = " ".join(f"<{t}>" for t in subclasses((SSB + "GovernmentBody",)))
    rows = store.select(f"SELECT DISTINCT ?x WHERE {{ VALUES ?type {{ {types} }} ?x a ?type }}").rows
    government = {text_of(r[0]) for r in rows}
    return [replace(n, backer=True) if n.entity in government else n for n in found.values()]


def find(text: str, known: list[Name]) -> list[Mention]:
    """The mentions of the known names in `text`, longest names first, none overlapping another; a
    name's distinctive first word counts too ("FinDreams" for "FinDreams Battery")."""
    known = known + _first_words(known)
    folded, at = _folded_with_offsets(text)
    taken = [False] * len(folded)
    found: list[Mention] = []
    for name in sorted(known, key=lambda n: -len(fold(n.text).strip())):
        key = " ".join(fold(name.text).split())
        if len(key) < 2:
            continue
        latin = key[0].isascii() and key[-1].isascii()
        pattern = (r"(?<![\w])" + re.escape(key) + r"(?![\w])") if latin else re.escape(key)
        for m in re.finditer(pattern, folded):
            if any(taken[m.start() : m.end()]):
                continue
            taken[m.start() : m.end()] = [True] * (m.end() - m.start())
            found.append(Mention(name, at[m.start()], at[m.end() - 1] + 1))
    return sorted(found, key=lambda m: m.start)


_GENERIC = frozenset(
    ["solid state", "all solid state", "solid", "state", "ev", "evs", "battery", "batteries", "technology",
     "technologies", "energy", "new", "power", "materials", "the", "a", "chinese", "china", "auto", "group"]
)  # fmt: skip

# Words that begin many names: never a name's distinctive first word.
_COMMON = frozenset(
    ["china", "chinese", "national", "state", "ministry", "unnamed", "beijing", "shanghai", "the", "new",
     "general", "great", "first", "global", "energy", "battery", "batteries", "technology", "research",
     "institute", "university", "academy", "group", "international"]
)  # fmt: skip


def _first_words(known: list[Name]) -> list[Name]:
    """The first word of each Latin name of two words or more, when it is long, not a common word, and
    begins no other entity's name."""
    firsts: dict[str, set[str]] = {}
    for n in known:
        words = fold(n.text).split()
        if len(words) >= 2 and words[0].isascii() and words[0].isalpha():
            firsts.setdefault(words[0], set()).add(n.entity)
    out = []
    for n in known:
        words = fold(n.text).split()
        if len(words) < 2 or len(words[0]) < 5 or words[0] in _COMMON or len(firsts.get(words[0], ())) != 1:
            continue
        first = n.text.split()[0]
        out.append(Name(n.entity, n.kind, first, f"first word of {n.how} {n.text!r},", n.language))
    return list({(o.entity, o.text.casefold()): o for o in out}.values())


def _folded_with_offsets(text: str) -> tuple[str, list[int]]:
    """The text folded, with runs of spaces made one, and for each character where it came from."""
    out: list[str] = []
    at: list[int] = []
    for i, c in enumerate(text):
        for f in fold(c):
            if f == " " and out and out[-1] == " ":
                continue
            out.append(f)
            at.append(i)
    return "".join(out), at


# A run of capitalised words ending in what companies are called: a name the store may not know yet.
_COMPANY = re.compile(
    r"\b((?:[A-Z][\w&.-]*\s){0,4}(?:Co\.|Ltd\.?|Group|Energy|Battery|Batteries|Technology|Technologies|"
    r"Motors?|Automobile|Auto|Power|New Energy|Materials|Holdings|GmbH|AG|S\.A\.|Inc\.|Corp\.?))"
)


def new_names(text: str, mentions: list[Mention]) -> list[str]:
    """Names that look like a company's and that no known name covers."""
    out: list[str] = []
    for m in _COMPANY.finditer(text):
        if any(k.start < m.end() and m.start() < k.end for k in mentions):
            continue
        name = m.group(1).strip()
        if all(fold(w).strip() in _GENERIC for w in name.split()):
            continue  # "Solid-State Batteries", "EV Technology": words, not a name
        if len(name.split()) >= 2 and name not in out:
            out.append(name)
    return out
