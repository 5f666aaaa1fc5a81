"""Supplier messages for an inquiry: the template context from what is stored, with the workspace's own
template text when it has one."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.db.models import Inquiry
from bot.db.session import Database
from bot.services.inquiries import answered_keys, custom_questions, get_workspace, template_override
from bot.supplier_messages import RenderedMessage, render
from bot.translation.languages import is_chinese
from bot.translation.service import TranslationService


async def inquiry_context(database: Database, inquiry: Inquiry, **extra: Any) -> dict[str, Any]:
    customs = {f"custom:{q.id}": q for q in await custom_questions(database, inquiry.workspace_id)}
    asked = [key for key in inquiry.questions if not key.startswith("custom:") or key in customs]
    answered = (await answered_keys(database, [inquiry.id])).get(inquiry.id, set())
    workspace = await get_workspace(database, inquiry.workspace_id)
    return {
        "product": inquiry.product or "",
        "quantity": inquiry.quantity or 1,
        "unit": inquiry.unit or "pcs",
        "destination": inquiry.destination_country,
        "questions": asked,
        "answered": sorted(answered),
        # Without a Chinese wording (translation was down) the buyer's own words go out as they are.
        "custom_questions": {key: {"zh": q.text_zh or q.text, "text": q.text} for key, q in customs.items() if key in asked},
        "forwarder_address": workspace.forwarder_address,
        "certifications_needed": list(inquiry.certifications_needed),
    } | extra


async def product_for_supplier(translator: TranslationService, inquiry: Inquiry) -> str:
    """The product as the supplier should read it: in Chinese, with the buyer's own words (model numbers,
    sizes) kept in brackets; the buyer's words alone when translation is down."""
    product = inquiry.product or ""
    if not product or is_chinese(product):
        return product
    chinese = await translator.to_chinese(product, "auto", workspace_id=inquiry.workspace_id)
    return f"{chinese.text}（{product}）" if chinese.ok and chinese.text.strip() != product else product


async def render_for_inquiry(
    database: Database, translator: TranslationService, inquiry: Inquiry, kind: str, language: str, **extra: Any
) -> RenderedMessage:
    context = await inquiry_context(database, inquiry, product=await product_for_supplier(translator, inquiry), **extra)
    override = await template_override(database, inquiry.workspace_id, kind)
    return render(kind, context, language, override=override)


async def custom_question_texts(database: Database, workspace_id: int, keys: Iterable[str]) -> dict[str, str]:
    wanted = set(keys)
    return {f"custom:{q.id}": q.text for q in await custom_questions(database, workspace_id) if f"custom:{q.id}" in wanted}
