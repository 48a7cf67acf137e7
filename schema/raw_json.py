"""Pre-serialised JSON values: large JSON parts encoded once, spliced into every response.

A relationship map's bulky parts (hundreds of KiB) are encoded when the map is computed and
cached as :class:`RawJSON`; the HTTP layer (:func:`dumps`) writes them into the response as they
are instead of encoding the same structure again on every request.

Examples
--------
>>> raw = RawJSON.of([1, {"a": "b"}])
>>> dumps({"data": {"x": raw, "y": "z"}})
'{"data":{"x":[1,{"a":"b"}],"y":"z"}}'
>>> raw.value
[1, {'a': 'b'}]
"""

from __future__ import annotations

import json
import secrets
from typing import Any

__all__ = ["RawJSON", "dumps"]


class RawJSON:
    """A JSON value with its encoding (compact, UTF-8 text)."""

    __slots__ = ("text", "value")

    def __init__(self, text: str, value: Any) -> None:
        self.text = text
        self.value = value

    @classmethod
    def of(cls, value: Any) -> RawJSON:
        """Encode ``value`` once."""
        return cls(json.dumps(value, separators=(",", ":"), ensure_ascii=False), value)

    def __repr__(self) -> str:
        return f"RawJSON({self.text[:40]!r}...)" if len(self.text) > 40 else f"RawJSON({self.text!r})"


def dumps(body: Any) -> str:
    """``json.dumps`` (compact, UTF-8) that writes :class:`RawJSON` values as they are."""
    raws: list[str] = []
    nonce = secrets.token_hex(8)

    def default(obj: Any) -> Any:
        if isinstance(obj, RawJSON):
            raws.append(obj.text)
            return f"@@raw-{nonce}-{len(raws) - 1}@@"
        raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")

    text = json.dumps(body, separators=(",", ":"), ensure_ascii=False, default=default)
    for index, raw in enumerate(raws):
        text = text.replace(f'"@@raw-{nonce}-{index}@@"', raw, 1)
    return text
