"""Items through Redis: generic JSON (bytes as base64), zlib-compressed, with a size cap.

Any field flows without special code, including the raw `capture` dict (str, int, None,
bytes, lists of pairs): a new item field needs no change here. An item whose encoding is
over the cap is replaced by a small failure record, so one huge page is recorded as an
error and never blocks the stream or fills Redis.
"""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Mapping
from typing import Any

from crawler.items import EditionItem, FetchFailureItem, NotModifiedItem

ITEM_TYPES: dict[str, type] = {
    cls.__name__: cls for cls in (EditionItem, FetchFailureItem, NotModifiedItem)
}
DEFAULT_MAX_BYTES = 4 * 1024 * 1024  # compressed; a news page's text and capture are far less
_BYTES = "__b64__"


class CodecError(ValueError):
    """An entry that cannot be turned back into an item."""


def _plain(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return {_BYTES: base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _restore(value: Any) -> Any:
    if isinstance(value, dict):
        if len(value) == 1 and _BYTES in value:
            return base64.b64decode(value[_BYTES])
        return {k: _restore(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_restore(v) for v in value]
    return value


def encode_item(item: Any) -> bytes:
    """The item as compressed JSON: {"type": class name, "fields": {...}}."""
    payload = {"type": type(item).__name__, "fields": _plain(dict(item))}
    return zlib.compress(json.dumps(payload, ensure_ascii=False).encode("utf-8"), 6)


def decode_item(data: bytes) -> Any:
    """The item back, as its own class; CodecError when the entry is not one of ours."""
    try:
        payload = json.loads(zlib.decompress(data))
        cls = ITEM_TYPES[payload["type"]]
        fields = _restore(payload["fields"])
        return cls(**fields)
    except (zlib.error, ValueError, KeyError, TypeError) as error:
        raise CodecError(f"undecodable item entry: {error!r}"[:500]) from error


def oversize_failure(item: Any, size: int, limit: int) -> FetchFailureItem:
    """What travels instead of an item over the cap: the edition's error, recorded."""
    return FetchFailureItem(
        site=item.get("site"),
        url=item.get("url"),
        article_key=item.get("article_key"),
        status=item.get("status"),
        error=f"item too large for the fleet: {size} bytes compressed, over {limit}",
        fetched_at=item.get("fetched_at"),
        lang_hint=item.get("lang"),
    )


def encode_capped(item: Any, limit: int = DEFAULT_MAX_BYTES) -> tuple[bytes, bool]:
    """(encoded entry, True when the item fitted); over the cap, its failure record."""
    data = encode_item(item)
    if len(data) <= limit:
        return data, True
    return encode_item(oversize_failure(item, len(data), limit)), False
