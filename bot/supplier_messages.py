"""Messages to suppliers: a Chinese body the buyer copies to WeChat or Aliwangwang, with each line's meaning.

Built-in templates live in `templates/<kind>.j2`. Every line of a built-in template is one call block whose
argument is the line's meaning for the buyer (a msgid, translated with `_`) and whose body is the Chinese line:

    {% call line(_("Thank you!")) %}谢谢！{% endcall %}

Whitespace between the blocks is ignored, so a template can use `{% if %}` and `{% for %}` freely. The checklist
questions come from `templates/questions.j2` (`{{ ask_all(questions) }}`), Chinese names of countries, currencies
and units from `templates/zh_names.j2`. A new kind is a template, an entry in `KINDS`, realistic data in
`SAMPLE_CONTEXT` (the tests render every kind with it in every UI language) and the Chinese of its msgids.

A workspace may override a kind with its own Chinese body: plain jinja text with the same placeholders, rendered
in a sandbox, with no meanings (the bot translates those lines by machine).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from types import TracebackType
from typing import Any

from babel import Locale, UnknownLocaleError
from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateSyntaxError, UndefinedError, meta
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from bot.domain.checklist import builtin_question, custom_id
from bot.i18n import N_, gettext

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
MAX_OVERRIDE_CHARS = 4000


@dataclass(frozen=True)
class MessageKind:
    key: str
    label_msgid: str


KINDS: tuple[MessageKind, ...] = (
    MessageKind("inquiry", N_("First inquiry")),
    MessageKind("follow_up", N_("Follow-up on open questions")),
    MessageKind("sample_request", N_("Sample request")),
    MessageKind("negotiate_price", N_("Price negotiation")),
    MessageKind("order_confirm", N_("Order confirmation")),
    MessageKind("payment_sent", N_("Payment sent")),
    MessageKind("shipping_to_forwarder", N_("Shipping to my forwarder")),
    MessageKind("request_tracking", N_("Tracking number request")),
    MessageKind("after_sales", N_("Defect claim")),
)
KIND_KEYS = tuple(kind.key for kind in KINDS)

# An override of these kinds must include the placeholder, or the buyer's questions would silently go missing.
REQUIRED_IN_OVERRIDE = {"inquiry": "question_lines", "follow_up": "open_question_lines"}

# Context keys a caller may leave out, and their values then.
OPTIONAL_CONTEXT: dict[str, Any] = {
    "unit": "pcs",
    "currency": "CNY",
    "destination": None,
    "certifications_needed": [],
    "custom_questions": {},
    "answered": [],
    "order_ref": None,
    "specs": None,
    "method": None,  # how a payment was made: a PaymentMethod value
    "payment": "full",  # which payment: deposit, balance or full
    "cartons": None,
    "defect_quantity": None,
    "received": True,  # a defect claim: the goods arrived
    "asked_when": "days",  # how long ago the supplier was last asked: "today", "yesterday", "days" or "weeks"
}

_PRODUCT = "304不锈钢保温杯 500ml"
_ASKED = ["ships_abroad", "returns", "delivery_time", "production_time", "certifications", "moq", "price_tiers", "custom:7"]
_CUSTOM = {"custom:7": {"zh": "可以用我们自己的彩盒包装吗？", "text": "Can you pack them in our own printed boxes?"}}

SAMPLE_CONTEXT: dict[str, dict[str, Any]] = {
    "inquiry": {
        "product": _PRODUCT,
        "quantity": 300,
        "unit": "pcs",
        "destination": "SG",
        "questions": _ASKED,
        "certifications_needed": ["LFGB", "FDA"],
        "custom_questions": _CUSTOM,
    },
    "follow_up": {
        "product": _PRODUCT,
        "quantity": 300,
        "unit": "pcs",
        "destination": "SG",
        "questions": _ASKED,
        "answered": ["returns", "moq", "price_tiers"],
        "certifications_needed": ["LFGB", "FDA"],
        "custom_questions": _CUSTOM,
    },
    "sample_request": {"product": _PRODUCT, "sample_quantity": 2, "unit": "pcs", "destination": "SG"},
    "negotiate_price": {"product": _PRODUCT, "quantity": 500, "unit": "pcs", "target_price": Decimal("18.50"), "currency": "CNY"},
    "order_confirm": {
        "product": _PRODUCT,
        "specs": "黑色 500ml",
        "quantity": 300,
        "unit": "pcs",
        "unit_price": Decimal("19.80"),
        "currency": "CNY",
    },
    "payment_sent": {
        "order_ref": "3812345678901234567",
        "amount": Decimal("1782.00"),
        "currency": "CNH",
        "method": "cross_border_pay",
        "payment": "deposit",
    },
    "shipping_to_forwarder": {
        "order_ref": "3812345678901234567",
        "forwarder_address": "广东省广州市白云区石井街道环滘路28号A仓 收货人：李先生 电话：13800138000",
        "shipping_mark": "SGTAN-0425 1/12",
        "cartons": 12,
    },
    "request_tracking": {"order_ref": "3812345678901234567"},
    "after_sales": {
        "order_ref": "3812345678901234567",
        "product": _PRODUCT,
        "defect_quantity": 12,
        "unit": "pcs",
        "issue": "The lids leak when the cup is turned upside down.",
        "issue_zh": "杯子倒过来的时候盖子漏水。",
    },
}


@dataclass(frozen=True)
class RenderedMessage:
    zh: str
    lines: list[tuple[str, str]]


class TemplateCheckError(ValueError):
    """Why a workspace's template cannot be used, as a msgid and its values."""

    def __init__(self, msgid: str, params: dict[str, Any] | None = None) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.params = params or {}


LINE_ERROR = N_("Line {line}: {error}")
LINE_UNDEFINED = N_("Line {line}: {error}. You can use: {names}")
LINE_UNSAFE = N_("Line {line}: this is not allowed in a message template ({error}).")
TEMPLATE_ERROR = N_("This template cannot be used: {error}")
TEMPLATE_TOO_LONG = N_("The template is too long: at most {limit} characters.")
TEMPLATE_EMPTY = N_("The message is empty.")
TEMPLATE_MISSING_QUESTIONS = N_("The template must include {placeholder}: it holds the questions you chose.")

# Control characters that delimit a line and its meaning in a built-in template's output; stripped from context.
_START, _SEPARATOR, _END = "\x02", "\x1f", "\x03"
_RECORD = re.compile(f"{_START}(.*?){_SEPARATOR}(.*?){_END}", re.DOTALL)
_MARKERS = str.maketrans("", "", _START + _SEPARATOR + _END)


def line(gloss: str = "", *, caller: Callable[[], str]) -> str:
    """`{% call line(meaning) %}中文{% endcall %}`: one Chinese line and its meaning for the buyer."""
    return f"{_START}{caller().strip()}{_SEPARATOR}{gloss.strip()}{_END}"


def amount(value: object) -> str:
    """A price as suppliers write it: 19.80, 5940."""
    return f"{Decimal(str(value)):.2f}".removesuffix(".00")


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals["line"] = line
    environment.filters["amount"] = amount
    return environment


@cache
def _sandbox() -> SandboxedEnvironment:
    # No loader: an override cannot include or import other files.
    sandbox = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, trim_blocks=True, lstrip_blocks=True)
    sandbox.filters["amount"] = amount
    return sandbox


@dataclass(frozen=True)
class _ChineseNames:
    countries: dict[str, str]
    currencies: dict[str, str]
    units: dict[str, str]


@cache
def _chinese_names() -> _ChineseNames:
    module = _environment().get_template("zh_names.j2").module
    return _ChineseNames(module.COUNTRY_ZH, module.CURRENCY_ZH, module.UNIT_ZH)  # type: ignore[attr-defined]


def _locale(lang: str) -> Locale:
    try:
        return Locale.parse(lang)
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en")


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return value.translate(_MARKERS)
    if isinstance(value, Mapping):
        return {key: _clean(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(item) for item in value]
    return value


def _glossary(lang: str) -> Callable[..., str]:
    def translate(message: str, **params: Any) -> str:
        return gettext(lang, message).format(**params)

    return translate


def _prepare(context: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """The caller's context with defaults and the derived values templates use (Chinese names, question lines)."""
    prepared: dict[str, Any] = dict(OPTIONAL_CONTEXT)
    prepared.update({key: value for key, value in _clean(context).items() if value is not None})
    names = _chinese_names()
    unit, currency = str(prepared["unit"]), str(prepared["currency"]).upper()
    prepared["unit_zh"] = names.units.get(unit.lower(), unit)
    prepared["currency_zh"] = names.currencies.get(currency, f" {currency}")
    destination = prepared["destination"]
    if destination:
        code = str(destination).upper()
        prepared["country_zh"] = names.countries.get(code) or Locale.parse("zh_Hans_CN").territories.get(code, code)
        prepared["country_name"] = _locale(lang).territories.get(code, code)
    else:
        prepared["country_zh"] = prepared["country_name"] = None
    if "questions" in prepared:
        questions = list(prepared["questions"])
        for key in questions:
            if builtin_question(key) is None and custom_id(key) is None:
                raise ValueError(f"not a checklist question: {key!r}")
        answered = set(prepared["answered"])
        prepared["open_questions"] = [key for key in questions if key not in answered]
        asker = _environment().get_template("questions.j2").make_module(vars={**prepared, "_": _glossary(lang)})
        prepared["question_lines"] = [zh for zh, _ in _lines(str(asker.ask_all(questions)))]  # type: ignore[attr-defined]
        prepared["open_question_lines"] = [
            zh for zh, _ in _lines(str(asker.ask_all(prepared["open_questions"])))  # type: ignore[attr-defined]
        ]
    return prepared


def _lines(output: str) -> list[tuple[str, str]]:
    leftover = _RECORD.sub("", output).strip()
    if leftover:
        raise ValueError(f"template text outside a line() block: {leftover[:80]!r}")
    return [(zh, gloss) for zh, gloss in _RECORD.findall(output)]


def render(kind: str, context: Mapping[str, Any], lang: str, override: str | None = None) -> RenderedMessage:
    """The message of `kind` for `context`, with each line's meaning in `lang`.

    A missing context value fails loudly (jinja2 UndefinedError). With `override`, the workspace's own body is
    rendered in the sandbox instead, its meanings left empty; a broken override raises TemplateCheckError.
    """
    if kind not in KIND_KEYS:
        raise ValueError(f"unknown message kind: {kind!r}")
    prepared = _prepare(context, lang)
    if override is None:
        output = _environment().get_template(f"{kind}.j2").render({**prepared, "_": _glossary(lang)})
        lines = _lines(output)
    else:
        output = _render_sandboxed(override, prepared)
        lines = [(text.rstrip(), "") for text in output.strip("\n").split("\n")]
    return RenderedMessage(zh="\n".join(zh for zh, _ in lines), lines=lines)


def placeholders(kind: str) -> list[str]:
    """The names an override of `kind` can use, for the bot's help text."""
    return sorted(_prepare(SAMPLE_CONTEXT[kind], "en"))


def check_override(kind: str, text: str) -> None:
    """Refuse a workspace's body for `kind` that would not render, naming the line at fault."""
    if kind not in KIND_KEYS:
        raise ValueError(f"unknown message kind: {kind!r}")
    if len(text) > MAX_OVERRIDE_CHARS:
        raise TemplateCheckError(TEMPLATE_TOO_LONG, {"limit": MAX_OVERRIDE_CHARS})
    required = REQUIRED_IN_OVERRIDE.get(kind)
    if required is not None:
        try:
            used = meta.find_undeclared_variables(_sandbox().parse(text))
        except TemplateSyntaxError as error:
            raise TemplateCheckError(LINE_ERROR, {"line": error.lineno, "error": error.message}) from error
        if required not in used:
            raise TemplateCheckError(TEMPLATE_MISSING_QUESTIONS, {"placeholder": f"{{{{ {required} }}}}"})
    if not _render_sandboxed(text, _prepare(SAMPLE_CONTEXT[kind], "en")).strip():
        raise TemplateCheckError(TEMPLATE_EMPTY)


def _render_sandboxed(text: str, context: dict[str, Any]) -> str:
    sandbox = _sandbox()
    try:
        return sandbox.from_string(text).render(context)
    except TemplateSyntaxError as error:
        raise TemplateCheckError(LINE_ERROR, {"line": error.lineno, "error": error.message}) from error
    except Exception as error:
        line_number = _template_line(error.__traceback__)
        if line_number is None:
            raise TemplateCheckError(TEMPLATE_ERROR, {"error": str(error)}) from error
        if isinstance(error, UndefinedError):
            names = ", ".join(sorted(context))
            raise TemplateCheckError(LINE_UNDEFINED, {"line": line_number, "error": str(error), "names": names}) from error
        if isinstance(error, SecurityError):
            raise TemplateCheckError(LINE_UNSAFE, {"line": line_number, "error": str(error)}) from error
        raise TemplateCheckError(LINE_ERROR, {"line": line_number, "error": str(error)}) from error


def _template_line(traceback: TracebackType | None) -> int | None:
    """The line of the override where rendering failed: jinja2 maps its frames back to template lines."""
    found = None
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == "<template>":
            found = traceback.tb_lineno
        traceback = traceback.tb_next
    return found
