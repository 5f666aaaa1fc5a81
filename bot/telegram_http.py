"""The bot's HTTP transport to the Bot API: python-telegram-bot's `BaseRequest` on aiohttp.

python-telegram-bot's default transport (httpx on httpcore and anyio) spends about 0.7 ms of CPU on each request
in this bot's benchmark, aiohttp about a third of that; a busy bot makes several requests per update. Errors
map to python-telegram-bot's own (`TimedOut`, `NetworkError`), so everything above this module is unchanged.
"""

from __future__ import annotations

import json

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

DEFAULT_TIMEOUT = 5.0  # seconds, as python-telegram-bot's default transport
UPLOAD_TIMEOUT = 20.0  # sending a file may take longer
_JSON = {"Content-Type": "application/json"}


class AiohttpRequest(BaseRequest):
    """Requests through one aiohttp session with a bounded pool of connections."""

    def __init__(self, connections: int, timeout: float = DEFAULT_TIMEOUT) -> None:
        self._connections = connections
        self._timeout = timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float:
        return self._timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connections),
                timeout=aiohttp.ClientTimeout(total=None),
                headers={"User-Agent": self.USER_AGENT},
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    def _seconds(self, value: object) -> float | None:
        return self._timeout if value is BaseRequest.DEFAULT_NONE else value  # type: ignore[return-value]

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: float | None = BaseRequest.DEFAULT_NONE,  # type: ignore[assignment]
        write_timeout: float | None = BaseRequest.DEFAULT_NONE,  # type: ignore[assignment]
        connect_timeout: float | None = BaseRequest.DEFAULT_NONE,  # type: ignore[assignment]
        pool_timeout: float | None = BaseRequest.DEFAULT_NONE,  # type: ignore[assignment]
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("the Bot API transport is not initialised")
        uploads = request_data.multipart_data if request_data is not None and request_data.contains_files else None
        body: aiohttp.FormData | bytes | None = None
        headers = None
        if uploads:
            body = aiohttp.FormData(request_data.json_parameters)  # type: ignore[union-attr]
            for name, (filename, content, mime_type) in uploads.items():
                body.add_field(name, content, filename=filename, content_type=mime_type)
        elif request_data is not None:
            # A JSON body (the Bot API takes one for everything but uploads): encoding is one C call, where a form
            # body percent-encodes every byte of every message.
            body = json.dumps(request_data.parameters, ensure_ascii=False).encode()
            headers = _JSON
        read = self._seconds(read_timeout)
        timeout = aiohttp.ClientTimeout(
            connect=self._seconds(pool_timeout),  # waiting for a free connection, and making one
            sock_connect=self._seconds(connect_timeout),
            sock_read=max(read, UPLOAD_TIMEOUT) if uploads and read is not None else read,  # aiohttp has no write timeout
        )
        try:
            async with self._session.request(method, url, data=body, headers=headers, timeout=timeout) as response:
                return response.status, await response.read()
        except TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error
