"""Building what a test starts from through the services themselves: people in chats, sent inquiries."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.db.session import Database
from bot.domain import checklist
from bot.services import inquiries, workspaces
from bot.services.accounts import Actor, resolve_actor, set_role_from_chat
from bot.services.results import InquiryView


async def actor_of(
    database: Database,
    user_id: int,
    chat_id: int | None = None,
    *,
    first_name: str = "Ana",
    language: str = "en",
    group: bool = False,
    telegram_status: str | None = None,
) -> Actor:
    """A person in their private chat (the chat id is theirs) or in a group; `telegram_status` as Telegram
    reports it in the group (creator, administrator, member)."""
    resolved = await resolve_actor(
        database,
        user_id=user_id,
        first_name=first_name,
        username=None,
        telegram_language=language,
        chat_id=chat_id if chat_id is not None else user_id,
        chat_type="supergroup" if group else "private",
        chat_title="Team" if group else None,
        default_language="en",
    )
    if telegram_status is not None:
        return await set_role_from_chat(database, resolved.actor, telegram_status, first_member=False)
    return resolved.actor


async def sent_inquiry(
    database: Database,
    actor: Actor,
    *,
    questions: list[str] | None = None,
    product: str = "LED desk lamp",
    quantity: int = 500,
    message_zh: str = "",
    auto_confirm: bool = False,
    now: datetime | None = None,
    supplier: str | None = None,
) -> InquiryView:
    """An inquiry written and sent to the supplier, waiting for the reply, made as the buyer would."""
    if auto_confirm:
        await workspaces.set_auto_confirm(database, actor, True)
    draft = await inquiries.start_draft(database, actor)
    assert draft is not None
    if supplier is not None:
        assert await inquiries.supplier_from_text(database, actor, supplier, None) is not None
    await inquiries.set_product(database, actor, product)
    await inquiries.set_quantity(database, actor, quantity, "pcs")
    await inquiries.set_destination(database, actor, "SG")
    draft = await inquiries.set_currency(database, actor, "SGD")
    assert draft is not None
    wanted = questions or checklist.default_checklist()
    for key in {*draft.inquiry.questions, *wanted}:
        await inquiries.set_question(database, actor, key, key in wanted)
    await inquiries.write_message(database, actor, draft.inquiry.id, message_zh)
    sent = await inquiries.mark_sent(database, actor, draft.inquiry.id, now=now or datetime.now(UTC), default_hours=24)
    assert sent is not None
    return sent.inquiry
