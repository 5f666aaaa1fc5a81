"""Reading Bot API parameters the way Telegram does.

Telegram takes parameters from the query string, a form-encoded body, a multipart
body or a JSON body. In form and multipart bodies every value is a string and nested
objects (reply_markup, entities, ...) arrive JSON-serialised; in JSON bodies they can
be real JSON values. ApiParams hides that difference.
"""

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import BodyPartReader, web

# Parameters whose value is a JSON object or array; decoded when a call is recorded.
JSON_PARAMETERS = frozenset(
    {
        "reply_markup",
        "reply_parameters",
        "link_preview_options",
        "entities",
        "caption_entities",
        "allowed_updates",
        "commands",
        "scope",
    }
)


class ApiError(Exception):
    """A refusal that the emulator answers with Telegram's error envelope."""

    def __init__(
        self, status: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


def bad_request(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: {reason}")


@dataclass(frozen=True)
class Upload:
    """A file sent in a multipart body."""

    filename: str
    content_type: str
    data: bytes


class ApiParams:
    """Typed access to the parameters of one Bot API call."""

    def __init__(self, values: dict[str, object]) -> None:
        self.values = values

    def has(self, name: str) -> bool:
        return self.values.get(name) not in (None, "")

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None or isinstance(value, Upload):
            return None
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, dict | list):
            return json.dumps(value)
        return str(value)

    def integer(self, name: str) -> int | None:
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        try:
            return int(str(value).strip())
        except ValueError:
            raise bad_request(f'field "{name}" must be of type Integer') from None

    def number(self, name: str) -> float | None:
        value = self.values.get(name)
        if value is None or value == "":
            return None
        try:
            return float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise bad_request(f'field "{name}" must be a number') from None

    def boolean(self, name: str) -> bool:
        value = self.values.get(name)
        if isinstance(value, bool):
            return value
        return str(value).strip().lower() in ("true", "1")

    def json_value(self, name: str, what: str) -> Any:
        """A nested JSON parameter; `what` names it in Telegram's "can't parse" error."""
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {what} JSON object") from None

    def upload(self, name: str) -> Upload | None:
        value = self.values.get(name)
        return value if isinstance(value, Upload) else None

    def recorded(self) -> dict[str, object]:
        """The parameters with nested JSON decoded, for the call log."""
        recorded: dict[str, object] = {}
        for name, value in self.values.items():
            if name in JSON_PARAMETERS and isinstance(value, str):
                try:
                    value = json.loads(value)
                except ValueError:
                    pass
            recorded[name] = value
        return recorded


async def read_api_params(request: web.Request) -> ApiParams:
    values: dict[str, object] = dict(request.query)
    if request.method != "POST" or not request.can_read_body:
        return ApiParams(values)
    content_type = request.content_type
    if content_type == "application/json":
        values.update(await _read_json_body(request))
    elif content_type == "multipart/form-data":
        values.update(await _read_multipart_body(request))
    else:
        values.update((await request.post()).items())
    return ApiParams(values)


async def _read_json_body(request: web.Request) -> dict[str, object]:
    try:
        body = await request.json()
    except ValueError:
        raise bad_request("can't parse JSON encoded request") from None
    if not isinstance(body, dict):
        raise bad_request("JSON object expected as the request body")
    return body


async def _read_multipart_body(request: web.Request) -> dict[str, object]:
    values: dict[str, object] = {}
    reader = await request.multipart()
    async for part in reader:
        if not isinstance(part, BodyPartReader) or part.name is None:
            continue
        data = await part.read()
        if part.filename is not None:
            content_type = part.headers.get("Content-Type", "application/octet-stream")
            values[part.name] = Upload(part.filename, content_type, bytes(data))
        else:
            values[part.name] = data.decode(part.get_charset("utf-8"))
    return values
