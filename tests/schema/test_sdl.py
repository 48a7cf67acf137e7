"""The exported SDL in ``schema.graphql`` matches the code (run ``python -m schema.export``)."""

from __future__ import annotations

from pathlib import Path

from schema.export import sdl

ROOT = Path(__file__).resolve().parents[2]


def test_schema_graphql_is_up_to_date() -> None:
    stored = (ROOT / "schema.graphql").read_text(encoding="utf-8")
    assert stored == sdl(), "schema.graphql drifted from the code: run `python -m schema.export`"
