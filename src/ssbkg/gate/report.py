"""Validation reports for people (text grouped by focus node), for programs (JSON) and as SHACL Turtle."""

from __future__ import annotations

import json
from itertools import groupby
from typing import Any

from ssbkg.gate.results import Report, compact


def format_report(report: Report, fmt: str) -> str:
    if fmt == "json":
        return (
            json.dumps(
                {"conforms": report.conforms, "results": [v.as_dict() for v in report.violations]},
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
    if fmt == "turtle":
        assert report.graph is not None
        return str(report.graph.serialize(format="turtle"))
    return _text(report)


def _text(report: Report) -> str:
    if not report.violations:
        return "Conforms: the data satisfies every shape.\n"
    errors = len(report.errors)
    warnings = len(report.violations) - errors
    nodes = len({v.focus for v in report.violations})
    on = _count(nodes, "node")
    if errors:
        head = f"Does not conform: {_count(errors, 'violation')}, {_count(warnings, 'warning')} on {on}."
    else:
        head = f"Conforms, with {_count(warnings, 'warning')} on {on}."
    return "\n".join([head, "", *_grouped(report)])


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _grouped(report: Report) -> list[str]:
    lines: list[str] = []
    for focus, group in groupby(report.violations, key=lambda v: (v.file, v.line, v.focus)):
        file, line, node = focus
        where = f"{file}, line {line}" if file and line else (file or "")
        if node == file:  # a finding about the whole file
            lines.append(node)
        else:
            label = compact(node) if node.startswith("http") else "_:" + node
            lines.append(label + (f"  ({where})" if where else ""))
        lines.extend("  " + _one(v) for v in group)
        lines.append("")
    return lines


def _one(v: Any) -> str:
    tag = "" if v.severity == "Violation" else f"[{v.severity.lower()}] "
    note = f" ({v.note})" if getattr(v, "note", None) else ""
    if v.path:
        what = v.path + (f" = {v.value}" if v.value is not None else "")
        return f"- {tag}{what}: {v.message}{note}  [rule {v.rule}]"
    # A rule about the node as a whole: its message says what is wrong, with the value in it.
    value = f" (value {v.value})" if v.value is not None and str(v.value) not in v.message else ""
    return f"- {tag}{v.message}{value}{note}  [rule {v.rule}]"
