"""Export the schema's SDL: ``python -m schema.export [PATH]`` (default ``schema.graphql``).

Examples
--------
>>> sdl().startswith("interface Person") or "type Query" in sdl()
True
"""

from __future__ import annotations

import sys
from pathlib import Path

from schema import build_schema

__all__ = ["main", "sdl"]


def sdl() -> str:
    """The schema's SDL, ending with one newline."""
    return build_schema().as_str().rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the SDL to the path given (default ``schema.graphql``)."""
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0] if args else "schema.graphql")
    path.write_text(sdl(), encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
