"""Supplier messages for an inquiry: the template context from what is stored, with the workspace's own
template text when it has one."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.db.models import Inquiry
from bot.db.session import Database
from bot.services.inquiries import answered_keys, custom_questions, template_override
from bot.supplier_messages import RenderedMessage, render


async def inquiry_context(database: Database, inquiry: Inquiry, **extra: Any) -> dict[str, Any]:
    customs = {f"custom:{q.id}": q for q in await custom_questions(database, inquiry.workspace_id)}
    asked = [key for key in inquiry.questions if not key.startswith("custom:") or key in customs]
    answered = (await answered_keys(database, [inquiry.id])).get(inquiry.id, set())
    return {
        "product": inquiry.product or "",
        "quantity": inquiry.quantity or 1,
        "unit": inquiry.unit or "pcs",
        "destination": inquiry.destination_country,
        "questions": asked,
        "answered": sorted(answered),
        # Without a Chinese wording (translation was down) the buyer's own words go out as they are.
        "custom_questions": {key: {"zh": q.text_zh or q.text, "text": q.text} for key, q in customs.items() if key in asked},
        **extra,
    }


async def render_for_inquiry(database: Database, inquiry: Inquiry, kind: str, language: str, **extra: Any) -> RenderedMessage:
    context = await inquiry_context(database, inquiry, **extra)
    override = await template_override(database, inquiry.workspace_id, kind)
    return render(kind, context, language, override=override)


async def custom_question_texts(database: Database, workspace_id: int, keys: Iterable[str]) -> dict[str, str]:
    wanted = set(keys)
    return {f"custom:{q.id}": q.text for q in await custom_questions(database, workspace_id) if f"custom:{q.id}" in wanted}
