"""Pre-serialised JSON values: large JSON parts encoded once, spliced into every response.

A relationship map's bulky parts (hundreds of KiB) are encoded when the map is computed and
cached as :class:`RawJSON`; the HTTP layer (:func:`dumps_bytes`, orjson) writes them into the
response as they are (``orjson.Fragment``) instead of encoding the same structure again on every
request.

Examples
--------
>>> raw = RawJSON.of([1, {"a": "b"}])
>>> dumps({"data": {"x": raw, "y": "z"}})
'{"data":{"x":[1,{"a":"b"}],"y":"z"}}'
>>> raw.value
[1, {'a': 'b'}]
>>> dumps_bytes({"x": raw, "n": float("nan")})
b'{"x":[1,{"a":"b"}],"n":null}'
"""

from __future__ import annotations

from typing import Any

import orjson

__all__ = ["RawJSON", "dumps", "dumps_bytes"]


class RawJSON:
    """A JSON value with its encoding (compact, UTF-8 text)."""

    __slots__ = ("text", "value")

    def __init__(self, text: str, value: Any) -> None:
        self.text = text
        self.value = value

    @classmethod
    def of(cls, value: Any) -> RawJSON:
        """Encode ``value`` once."""
        return cls(orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode("utf-8"), value)

    def __repr__(self) -> str:
        return f"RawJSON({self.text[:40]!r}...)" if len(self.text) > 40 else f"RawJSON({self.text!r})"


def dumps_bytes(body: Any) -> bytes:
    """``body`` as compact UTF-8 JSON (orjson), writing :class:`RawJSON` values as they are;
    non-finite floats become ``null``."""
    return orjson.dumps(body, default=_fragment, option=orjson.OPT_NON_STR_KEYS)


def dumps(body: Any) -> str:
    """:func:`dumps_bytes` as text."""
    return dumps_bytes(body).decode("utf-8")


def _fragment(obj: Any) -> Any:
    if isinstance(obj, RawJSON):
        return orjson.Fragment(obj.text)
    raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")
