"""The docs stay true: docs/cli.md is the commands' --help, the version is said in one place, and every
link between the README and the docs leads to a file and a heading that exist."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import ssbkg
from ssbkg.cli import cli

ROOT = Path(__file__).resolve().parents[2]
DOCS = sorted([ROOT / "README.md", ROOT / "CHANGELOG.md", *(ROOT / "docs").glob("*.md")])


def test_cli_md_is_the_current_help() -> None:
    generated = runpy.run_path(str(ROOT / "docs" / "make_cli_md.py"))["cli_md"]()
    held = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert held == generated, "docs/cli.md is out of date: python docs/make_cli_md.py > docs/cli.md"
    for name in cli.list_commands(click.Context(cli)):  # the lazily loaded ones too
        assert f"## ssbkg {name}\n" in held


def test_the_version_is_said_once_and_the_changelog_names_it() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'(?m)^dynamic = \["version"\]$', pyproject)
    assert not re.search(r"(?m)^version = ", pyproject)
    assert re.search(r'(?m)^path = "src/ssbkg/__init__.py"$', pyproject)
    assert CliRunner().invoke(cli, ["--version"]).output == f"ssbkg, version {ssbkg.__version__}\n"
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    newest = re.search(r"(?m)^## (\S+)", changelog)
    assert newest is not None and newest.group(1) == ssbkg.__version__


def _anchors(text: str) -> set[str]:
    """GitHub's ids for a file's headings (lowercased, punctuation dropped, spaces to hyphens)."""
    text = re.sub(r"(?ms)^```.*?^```", "", text)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in re.findall(r"(?m)^#+ (.+)$", text)}


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_link_leads_somewhere(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"^[a-z]+:", target):
            continue  # a web address
        path, _, anchor = target.partition("#")
        file = (doc.parent / path).resolve() if path else doc
        missing = not file.exists()
        if missing or (anchor and file.suffix == ".md" and anchor not in _anchors(file.read_text(encoding="utf-8"))):
            broken.append(target)
    assert not broken, broken


def test_the_readme_is_short_and_points_to_every_doc() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 160
    for doc in (ROOT / "docs").glob("*.md"):
        assert f"](docs/{doc.name})" in readme, doc.name


def test_the_library_examples_print_what_they_say(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import contextlib
    import io

    text = (ROOT / "docs" / "library.md").read_text(encoding="utf-8")
    examples = re.findall(r"```python\n(.*?)```\n\n```\n(.*?)```", text, re.DOTALL)
    assert len(examples) >= 5
    monkeypatch.chdir(tmp_path)  # the examples make casip-store and sunwoda.ttl where they run
    namespace: dict[str, object] = {}
    for code, expected in examples:
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(code, namespace)  # the docs' own examples
        assert printed.getvalue() == expected, code


def test_the_library_face_resolves_and_import_ssbkg_stays_light() -> None:
    import subprocess
    import sys

    for name in ssbkg.__all__:
        assert getattr(ssbkg, name) is not None, name
    assert set(dir(ssbkg)) == set(ssbkg.__all__)
    with pytest.raises(AttributeError):
        _ = ssbkg.no_such_name
    # A fresh interpreter: `import ssbkg` loads none of the face's modules, nor what they pull in.
    probe = (
        "import sys, ssbkg; print(sorted(m for m in sys.modules if m.startswith(('ssbkg.', 'pyoxigraph', 'rdflib'))))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['ssbkg.errors']"


def test_the_architecture_page_names_every_module() -> None:
    # A module the page does not name is a room a newcomer cannot find.
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    package = ROOT / "src" / "ssbkg"
    modules = {p.name for p in package.rglob("*.py") if p.name not in ("__init__.py", "__main__.py")}
    modules -= {"_rdflib_cache.py"}  # a private helper of the gate's rdflib use
    assert not sorted(m for m in modules if f"`{m}`" not in text and f"`{m[:-3]}`" not in text)
