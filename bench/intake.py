"""How well `ssbkg intake` drafts: `python bench/intake.py [ARTICLES_DIR...]`.

Drafts every article of tests/articles and of each held-out folder in it (short excerpts of real
coverage, labelled by hand in labels.json against the fact sheet; SOURCES.md says where each came from
and what each set measured the first time intake read it) on a store of the bundled data, and prints,
for each folder:
the precision and recall of drafted memberships, the share of those drafted at the labelled
certainty, the share of relays whose origin is named as the primary source, the share of quotes
that are the article's words exactly, and any membership drafted from an article that states none
(a speech, the May 2024 programme). Goals (issue 37): precision and recall at least 0.9; every quote
verbatim; every relay named; nothing drafted where nothing is stated."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import ssbkg
from ssbkg.intake import reading
from ssbkg.intake.draft import intake


def main() -> None:
    articles = Path(__file__).parent.parent / "tests" / "articles"
    labelled = [articles, *sorted(articles.glob("held-out*")), *sorted(articles.glob("unseen*"))]
    folders = [Path(a) for a in sys.argv[1:]] or labelled
    for folder in folders:
        print(f"== {folder.name}")
        measure(folder)


def measure(folder: Path) -> None:
    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    hit = drafted = expected = right_level = relays = relays_named = quotes = verbatim = 0
    wrongly: list[str] = []
    started = time.perf_counter()
    with ssbkg.open_store("memory:", write=True) as store:
        for name, label in sorted(labels.items()):
            found = intake(store, str(folder / name))
            text = reading.read(str(folder / name)).text
            members = {r.subject.rsplit("/", 1)[-1]: r for r in found.rows if r.predicate == "member"}
            drafted += len(members)
            expected += len(label["members"])
            for slug, level in label["members"].items():
                if slug in members:
                    hit += 1
                    right_level += members[slug].certainty == level
            if not label["members"] and members:
                wrongly.append(f"{name}: {', '.join(sorted(members))}")
            if label["relays"]:
                relays += 1
                relays_named += all(r.primary.endswith("/" + label["relays"]) for r in members.values()) and bool(
                    members
                )
            quotes += len(found.rows)
            verbatim += sum(r.quote in text for r in found.rows)
    seconds = time.perf_counter() - started
    print(f"{len(labels)} articles, {seconds:.2f} s")
    print(f"memberships: precision {hit / drafted if drafted else 1:.2f} ({hit}/{drafted}), "
          f"recall {hit / expected if expected else 1:.2f} ({hit}/{expected})  goal >= 0.90")  # fmt: skip
    print(f"certainty as labelled: {right_level / hit if hit else 1:.2f} ({right_level}/{hit})")
    print(f"relays naming their origin as primary: {relays_named}/{relays}")
    print(f"quotes verbatim: {verbatim}/{quotes}")
    print("memberships drafted where none is stated: " + ("; ".join(wrongly) if wrongly else "none"))


if __name__ == "__main__":
    main()
