"""Supplier messages for an inquiry: the template context from what is stored, the product put into Chinese,
and the workspace's own template text when it has one. Reading is one short unit of work; the translation
happens outside it, so a slow provider holds no database connection."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from bot.db.models import Answer, Inquiry
from bot.db.session import Database
from bot.domain.answers import AnswerStatus
from bot.services.accounts import Actor
from bot.services.orders import OrderView
from bot.services.results import InquiryView, progress_of
from bot.services.workspaces import load_override, load_questions, load_workspace
from bot.supplier_messages import RenderedMessage, render
from bot.translation.languages import is_chinese
from bot.translation.service import TranslationService


async def _context(database: Database, actor: Actor, inquiry: InquiryView, kind: str) -> tuple[dict[str, Any], str | None]:
    """The template context from what is stored, and the workspace's own text for this kind."""
    async with database.session() as session:
        customs = {f"custom:{q.id}": q for q in await load_questions(session, actor.workspace_id)}
        row = await session.get(Inquiry, inquiry.id)
        assert row is not None
        progress = await progress_of(session, row)
        override = await load_override(session, actor.workspace_id, kind)
        # An answer found and waiting for the buyer's ✓ was given: the supplier is not asked it again.
        waiting = set(
            await session.scalars(
                select(Answer.question_key).where(Answer.inquiry_id == inquiry.id, Answer.status == AnswerStatus.PENDING)
            )
        )
    asked = [key for key in inquiry.questions if not key.startswith("custom:") or key in customs]
    context = {
        "product": inquiry.product or "",
        "quantity": inquiry.quantity or 1,
        "unit": inquiry.unit or "pcs",
        "destination": inquiry.destination_country,
        "questions": asked,
        "answered": sorted((set(inquiry.questions) - set(progress.open_keys)) | waiting),
        "waiting": sorted(waiting & set(progress.open_keys)),
        # Without a Chinese wording (translation was down) the buyer's own words go out as they are.
        "custom_questions": {key: {"zh": q.text_zh or q.text, "text": q.text} for key, q in customs.items() if key in asked},
        "forwarder_address": inquiry.forwarder_address,
        "certifications_needed": list(inquiry.certifications_needed),
    }
    return context, override.body if override else None


async def product_for_supplier(translator: TranslationService, product: str | None, workspace_id: int) -> str:
    """The product as the supplier should read it: in Chinese, with the buyer's own words (model numbers,
    sizes) kept in brackets; the buyer's words alone when translation is down."""
    product = product or ""
    if not product or is_chinese(product):
        return product
    chinese = await translator.to_chinese(product, "auto", workspace_id=workspace_id)
    return f"{chinese.text}（{product}）" if chinese.ok and chinese.text.strip() != product else product


async def compose(
    database: Database, translator: TranslationService, actor: Actor, inquiry: InquiryView, kind: str, **extra: Any
) -> RenderedMessage:
    """The message of `kind` for this inquiry, with its lines' meaning in the actor's language."""
    context, override = await _context(database, actor, inquiry, kind)
    context["product"] = await product_for_supplier(translator, inquiry.product, actor.workspace_id)
    return render(kind, context | extra, actor.language, override=override)


@dataclass(frozen=True)
class FollowUp:
    message: RenderedMessage | None  # None: the supplier has answered everything asked
    waiting: list[str]  # questions answered in a reply, not asked again, whose answers wait for the buyer's ✓


async def compose_follow_up(
    database: Database, translator: TranslationService, actor: Actor, inquiry: InquiryView, *, now: datetime
) -> FollowUp:
    """The follow-up asking only what is still open (answers waiting for a ✓ were given, and are not asked
    again), its greeting fitting how long ago the supplier was last asked."""
    context, override = await _context(database, actor, inquiry, "follow_up")
    waiting = context.pop("waiting")
    if set(context["answered"]) >= set(context["questions"]):
        return FollowUp(None, waiting)
    context["product"] = await product_for_supplier(translator, inquiry.product, actor.workspace_id)
    context["asked_when"] = asked_when(inquiry.last_asked_at, now)
    return FollowUp(render("follow_up", context, actor.language, override=override), waiting)


def asked_when(last_asked: datetime | None, now: datetime) -> str:
    """How long ago the supplier was last asked, as the follow-up's greeting says it. Counted in hours, not by
    the calendar: the buyer's and the supplier's dates differ, and a day later is "yesterday" in both."""
    if last_asked is None:
        return "days"
    hours = (now - last_asked).total_seconds() / 3600
    if hours < 12:
        return "today"
    if hours < 36:
        return "yesterday"
    return "days" if hours < 14 * 24 else "weeks"


async def compose_for_order(
    database: Database, translator: TranslationService, actor: Actor, order: OrderView, kind: str
) -> RenderedMessage | None:
    """The supplier message for an order's step; None when it needs what the order does not hold yet (a price,
    a payment, the forwarder's address, the buyer's words for a problem)."""
    async with database.session() as session:
        workspace = await load_workspace(session, actor.workspace_id)
        override = await load_override(session, actor.workspace_id, kind)
    context: dict[str, Any] = {
        "product": await product_for_supplier(translator, order.product, actor.workspace_id),
        "quantity": order.quantity,
        "unit": order.unit or "pcs",
        "currency": order.currency,
        "order_ref": None,
    }
    if kind == "order_confirm":
        if order.unit_price is None:
            return None
        context["unit_price"] = order.unit_price
    elif kind == "sample_request":
        context["sample_quantity"] = order.quantity
        context["destination"] = None if order.via_forwarder else order.destination_country
    elif kind == "payment_sent":
        if not order.payments:
            return None
        paid = order.payments[-1]
        context |= {"amount": paid.amount, "currency": paid.currency, "method": paid.method, "payment": paid.kind.value}
    elif kind == "shipping_to_forwarder":
        if not workspace.forwarder_address:
            return None
        context["forwarder_address"] = workspace.forwarder_address
        context["shipping_mark"] = f"ORDER-{order.id} ({order.quantity:,} {order.unit or 'pcs'})"
        context["cartons"] = order.cartons
    elif kind == "after_sales":
        if not order.problem:
            return None
        chinese = await translator.to_chinese(order.problem, "auto", workspace_id=actor.workspace_id)
        # Without a translation the buyer's words go out as they are: the supplier's own translator reads them.
        context |= {
            "issue": order.problem,
            "issue_zh": chinese.text if chinese.ok else order.problem,
            "defect_quantity": order.defect_quantity,
            "received": order.received,
        }
    elif kind != "request_tracking":
        return None
    return render(kind, context, actor.language, override=override.body if override else None)
