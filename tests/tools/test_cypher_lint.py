"""The Cypher lint: it finds every statement, and it can fail.

The lint itself needs Node.js and ``tools/cypher-lint/node_modules`` (``npm ci`` there, which
``scripts/setup.sh --lint`` and CI run); tests that call it are skipped, with that reason, only
when the package is not installed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tools.cypher_lint import (
    LINT_DIR,
    PACKAGE,
    LintSetupError,
    collect_schema,
    collect_statements,
    lint_statements,
    main,
)

installed = pytest.mark.skipif(
    shutil.which("node") is None or not (LINT_DIR / "node_modules" / PACKAGE / "package.json").is_file(),
    reason="the Cypher linter is not installed: run (cd tools/cypher-lint && npm ci)",
)

GOOD = "UNWIND $rows AS row MERGE (a:Account {id: row.id}) SET a += row.props"
BROKEN = "MATCH (a:Account WHERE a.id = $id RETURN a"


def test_every_cypher_constant_of_the_neo4j_backend_is_collected() -> None:
    found = collect_statements()
    assert "graph.backends.neo4j.queries.UPSERT_ACCOUNTS" in found
    assert "graph.backends.neo4j.queries.CREATE_ACCOUNT_ID" in found
    assert all(isinstance(text, str) and text.strip() for text in found.values())
    assert not any(name.endswith((".LABELS", ".RELATIONSHIP_TYPES", ".__all__")) for name in found)
    labels, types = collect_schema()
    assert "Account" in labels and "WORKS_AT" in types


def test_a_missing_package_fails_loudly(tmp_path: Path) -> None:
    if shutil.which("node") is None:
        with pytest.raises(LintSetupError, match="node is not installed"):
            lint_statements({"GOOD": GOOD}, lint_dir=tmp_path)
    else:
        with pytest.raises(LintSetupError, match="is not installed: run"):
            lint_statements({"GOOD": GOOD}, lint_dir=tmp_path)


@installed
def test_a_broken_statement_is_an_error_and_a_good_one_passes() -> None:
    diagnostics = lint_statements({"GOOD": GOOD, "BROKEN": BROKEN})
    assert diagnostics, "the broken statement was not reported"
    assert {d.name for d in diagnostics} == {"BROKEN"}
    assert any(d.severity == "error" for d in diagnostics)
    assert "BROKEN:1:" in str(diagnostics[0])


@installed
def test_only_undefined_parameters_are_ignored() -> None:
    diagnostics = lint_statements({"UNDEFINED_VARIABLE": "MATCH (a:Account {id: $id}) RETURN b"})
    assert [d.severity for d in diagnostics] == ["error"]
    assert "`b`" in diagnostics[0].message
    assert not any("Parameter" in d.message for d in diagnostics)


@installed
def test_a_label_outside_the_whitelist_is_reported() -> None:
    diagnostics = lint_statements(
        {"TYPO": "MATCH (a:Acount {id: $id}) RETURN a.id AS id"},
        labels=["Account"],
        relationship_types=["ABOUT"],
    )
    assert len(diagnostics) == 1 and "Acount" in diagnostics[0].message


@installed
def test_every_statement_of_the_neo4j_backend_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    assert "statements clean" in capsys.readouterr().out


@installed
def test_the_command_fails_on_a_package_with_a_broken_statement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    package = tmp_path / "broken_cypher"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "queries.py").write_text(f"GOOD = {GOOD!r}\nBROKEN = {BROKEN!r}\n_PRIVATE = 'not cypher'\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert main(["broken_cypher"]) == 1
    out = capsys.readouterr().out
    assert "broken_cypher.queries.BROKEN:1:" in out and ": error: " in out
    assert "broken_cypher.queries.GOOD" not in out
    assert "problem(s) in 1 of 2 statements" in out


def test_the_command_fails_when_it_finds_no_statement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    package = tmp_path / "no_cypher"
    package.mkdir()
    (package / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert main(["no_cypher"]) == 2
    assert "no Cypher statement found" in capsys.readouterr().out
