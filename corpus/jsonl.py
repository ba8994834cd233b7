"""JSON Lines input: one `{"id", "text", "published"?, "source"?}` object per line.

Each line is its own record or its own `ReadError`: a bad line never takes the file with it, except
when the data turn out to be binary or cannot be read further (a truncated archive).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import ValidationError

from corpus import sniffing
from corpus.errors import READ_ERRORS, ReadError, os_message
from corpus.sniffing import LineTooLong, Undecodable, binary_reason, decode, unpack_problem
from models.inputs import CONTROL_CHARS, InputRecord, clean_text, stable_id

# strict=False: a raw tab inside a string is no reason to lose the record
_DECODER = json.JSONDecoder(strict=False)
_JSON_TYPES: dict[type, str] = {
    type(None): "null",
    bool: "boolean",
    int: "number",
    float: "number",
    str: "string",
    list: "array",
    dict: "object",
}


def read_jsonl_lines(
    label: str, lines: Iterable[bytes | str | LineTooLong], default_published: str | None,
    compression: str | None = None,
) -> Iterator[InputRecord | ReadError]:
    """Parse JSONL lines into records, and errors for the lines that hold none.

    label (str): The file as named, for messages.
    lines (Iterable): Raw lines (see `sniffing.bounded_lines`); an error raised while reading
        them (truncated gzip, I/O) ends the file with a ReadError.
    default_published (str | None): Date for records that bring none.
    compression (str | None): What the file was unpacked from, for messages.
    """
    iterator: Iterator[bytes | str | LineTooLong] = iter(lines)
    line_no = 0
    while True:
        try:
            raw = next(iterator)
        except StopIteration:
            return
        except READ_ERRORS as exc:
            problem = unpack_problem(exc, compression)
            if problem is None:
                reason = os_message(exc) if isinstance(exc, OSError) else str(exc)
                problem = f"cannot read further: {reason}"
            else:
                problem += "; this and later lines are lost"
            yield ReadError(label, line_no + 1, None, problem)
            return
        line_no += 1
        if isinstance(raw, LineTooLong):
            sample = raw.sample if isinstance(raw.sample, str) else raw.sample.decode("latin-1")
            reason = binary_reason(sample)
            if reason is not None:
                yield ReadError(label, line_no, None, f"binary line, not text ({reason}); stopped reading this file")
                return
            yield ReadError(label, line_no, None, f"line too long ({raw.size:,} bytes; a record may have at most {sniffing.MAX_DOCUMENT_BYTES:,})")
            continue
        try:
            result = _parse_jsonl_line(label, line_no, raw, default_published)
        except Undecodable as exc:
            # A binary line means the whole file is binary; one message is enough.
            yield ReadError(label, line_no, None, f"{exc}; stopped reading this file")
            return
        if result is not None:
            yield result


def _parse_jsonl_line(
    label: str, line_no: int, raw: bytes | str, default_published: str | None
) -> InputRecord | ReadError | None:
    if isinstance(raw, bytes):
        line, warnings = decode(raw, "line")
    else:
        line, warnings = raw.removeprefix("\ufeff"), []
        reason = binary_reason(line)
        if reason is not None:
            raise Undecodable(f"binary line, not text ({reason})")
    if not line.strip():
        return None
    # The input rule for control characters holds for the raw line as for "\u0000" in a string:
    # each becomes a space (JSON whitespace outside strings), one for one, and the record says so.
    line, controls, _ = clean_text(line) if CONTROL_CHARS.search(line) else (line, 0, 0)
    if controls:
        warnings = [*warnings, f"{controls} control character(s) in the line replaced by spaces"]
    try:
        value = _DECODER.decode(line)
    except json.JSONDecodeError as exc:
        return ReadError(label, line_no, None, f"not valid JSON ({exc.msg} at column {exc.colno})")
    except (ValueError, RecursionError) as exc:
        # an integer of thousands of digits, brackets nested deeper than Python recurses: this line's error
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc).split(";")[0]
        return ReadError(label, line_no, None, f"not readable JSON ({reason})")
    if not isinstance(value, dict):
        return ReadError(label, line_no, None, f"not a JSON object (found {_json_type(value)})")
    return _record_from_object(label, line_no, value, default_published, warnings)


def _record_from_object(
    label: str, line_no: int, value: dict[str, Any], default_published: str | None, warnings: list[str]
) -> InputRecord | ReadError:
    raw_id = value.get("id")
    if isinstance(raw_id, bool) or not isinstance(raw_id, (str, int, type(None))):
        return ReadError(
            label, line_no, None, f"field 'id' must be a string or an integer (found {_describe(raw_id)})"
        )
    doc_id = str(raw_id) if isinstance(raw_id, int) else raw_id
    if doc_id is not None and not doc_id.strip():
        doc_id = None

    def error(message: str) -> ReadError:
        return ReadError(label, line_no, doc_id, message)

    if "text" not in value:
        found = ", ".join(value) if value else "an empty object"
        return error(f"no field 'text' (found: {found})")
    text = value["text"]
    if not isinstance(text, str):
        return error(f"field 'text' must be a string (found {_describe(text)})")
    reason = binary_reason(text)
    if reason is not None:  # the rule for files holds for "\u0000" in JSON too
        return error(f"field 'text' holds binary data, not text ({reason})")
    if doc_id is None:
        doc_id = stable_id(text)
    published = value.get("published")
    if published is None or published == "":
        published = default_published
    elif not isinstance(published, str):
        return error(f"field 'published' must be an ISO date string YYYY-MM-DD (found {_describe(published)})")
    source = value.get("source")
    if source is None:
        source = label
    elif not isinstance(source, str):
        return error(f"field 'source' must be a string (found {_describe(source)})")
    try:
        return InputRecord(id=doc_id, text=text, published=published, source=source, warnings=warnings)
    except ValidationError as exc:
        return error("; ".join(_validation_messages(exc)))


def _validation_messages(exc: ValidationError) -> list[str]:
    messages = []
    for problem in exc.errors():
        field = ".".join(str(part) for part in problem["loc"])
        messages.append(f"bad field '{field}': {problem['msg'].removeprefix('Value error, ')}")
    return messages


def _json_type(value: object) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def _describe(value: object) -> str:
    if value is None:
        return "null"
    shown = json.dumps(value, ensure_ascii=False)
    if len(shown) > 40:
        shown = shown[:37] + "..."
    return f"{_json_type(value)} {shown}"
