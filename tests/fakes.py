"""Translation providers faked at the HTTP level, with their real wire formats (deep-translator uses requests)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from html import escape
from urllib.parse import parse_qs, urlsplit

import requests
import responses

GOOGLE_URL = "https://translate.google.com/m"

# A tiny phrase book standing in for a machine translator: enough to read supplier replies.
PHRASES = {
    "您好": "Hello",
    "亲": "Dear",
    "起订量": "MOQ",
    "起批": "minimum batch",
    "现货": "in stock",
    "天发货": " days to ship",
    "天内发货": " days to ship",
    "个以上": " pieces or more",
    "个": " pieces",
    "元": " yuan",
    "可以": "can",
    "发货": "ship",
    "价格": "price",
    "样品": "sample",
    "不": "not ",
    "，": ", ",
    "。": ". ",
}
_PHRASE_RE = re.compile("|".join(sorted(map(re.escape, PHRASES), key=len, reverse=True)))


def phrase_translate(text: str) -> str:
    """Chinese into plain English word by word; anything else into 'Chinese' marked with 【中】."""
    if re.search(r"[\u4e00-\u9fff]", text):
        translated = _PHRASE_RE.sub(lambda m: PHRASES[m.group(0)], text)
        return re.sub(r"[\u4e00-\u9fff]+", "~", translated)
    return "【中】" + text


class FakeGoogle:
    """Google's mobile web page, as deep-translator scrapes it; `status` makes it fail."""

    def __init__(self) -> None:
        self.status = 200
        self.sent: list[str] = []

    def __call__(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        text = parse_qs(urlsplit(request.url or "").query)["q"][0]
        self.sent.append(text)
        if self.status != 200:
            return self.status, {"Content-Type": "text/html"}, "<html><body>Server Error</body></html>"
        page = f'<html><body><div class="result-container">{escape(phrase_translate(text))}</div></body></html>'
        return 200, {"Content-Type": "text/html; charset=UTF-8"}, page


@contextmanager
def fake_google() -> Iterator[FakeGoogle]:
    google = FakeGoogle()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_callback(responses.GET, GOOGLE_URL, callback=google)
        yield google
