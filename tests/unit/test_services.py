"""The services as a buyer's intents, on the test database and without Telegram: one unit of work each, scoped to
the acting workspace, status changes the domain allows, and permissions from one policy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.db.models import Reminder, SupplierReply
from bot.db.session import Database
from bot.domain import checklist
from bot.domain.answers import AnswerStatus
from bot.domain.inquiries import InputError, InquiryStatus, InvalidTransition, advance
from bot.domain.suppliers import Badge, parse_1688_link
from bot.domain.workspaces import NotAllowed, Role
from bot.services import inquiries, replies, suppliers, workspaces
from bot.services.accounts import set_language
from tests.builders import actor_of, sent_inquiry

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
REPLY = "亲，起订量100个。100-499个 12元，500个以上10元。现货，3天发货"


async def _reminders(database: Database, inquiry_id: int) -> list[Reminder]:
    async with database.session() as session:
        rows = await session.execute(
            select(Reminder).where(Reminder.inquiry_id == inquiry_id, Reminder.cancelled.is_(False), Reminder.sent_at.is_(None))
        )
        return list(rows.scalars())


async def _read(database: Database, actor, inquiry_id: int, text: str = REPLY, message_id: int = 10) -> replies.BatchRead:
    batch = replies.PendingBatch(actor, (replies.Pasted(message_id, text, inquiry_id),))
    return await replies.read_batch(database, batch, "translated", now=NOW)


# Inquiries


async def test_a_draft_becomes_a_sent_inquiry_with_one_reminder_however_often_sent_is_pressed(database: Database):
    ana = await actor_of(database, 1)
    draft = await inquiries.start_draft(database, ana)
    assert draft is not None and draft.inquiry.status is InquiryStatus.DRAFT
    await inquiries.set_product(database, ana, "LED desk lamp")
    draft = await inquiries.set_quantity(database, ana, 500, "pcs")
    assert draft is not None and (draft.inquiry.product, draft.inquiry.quantity) == ("LED desk lamp", 500)
    ready = await inquiries.write_message(database, ana, draft.inquiry.id, "您好！\n1. 可以发国外吗？")
    assert ready is not None and ready.status is InquiryStatus.READY
    assert await inquiries.current_draft(database, ana) is None
    first = await inquiries.mark_sent(database, ana, ready.id, now=NOW, default_hours=24)
    again = await inquiries.mark_sent(database, ana, ready.id, now=NOW + timedelta(minutes=5), default_hours=24)
    assert first is not None and again is not None
    assert first.inquiry.status is again.inquiry.status is InquiryStatus.AWAITING_REPLY
    assert again.inquiry.asked_zh == ("1. 可以发国外吗？",)
    reminders = await _reminders(database, ready.id)
    assert [reminder.due_at for reminder in reminders] == [NOW + timedelta(hours=24)]


async def test_a_written_message_cannot_be_written_again_and_impossible_moves_are_refused(database: Database):
    ana = await actor_of(database, 1)
    draft = await inquiries.start_draft(database, ana)
    assert draft is not None
    assert await inquiries.write_message(database, ana, draft.inquiry.id, "一") is not None
    assert await inquiries.write_message(database, ana, draft.inquiry.id, "二") is None
    with pytest.raises(InvalidTransition):
        advance(InquiryStatus.CLOSED, InquiryStatus.DRAFT)  # reopened, an inquiry goes back to where it had come
    with pytest.raises(InvalidTransition):
        advance(InquiryStatus.DRAFT, InquiryStatus.ANSWERED)


async def test_closing_drops_the_reminder_and_a_closed_inquiry_cannot_be_closed_or_followed_up(database: Database):
    ana = await actor_of(database, 1)
    inquiry = await sent_inquiry(database, ana, now=NOW)
    assert await inquiries.close_inquiry(database, ana, inquiry.id) is not None
    assert await _reminders(database, inquiry.id) == []
    assert await inquiries.close_inquiry(database, ana, inquiry.id) is None
    assert await inquiries.follow_up_sent(database, ana, inquiry.id, message_zh="", now=NOW, default_hours=24) is None


async def test_another_workspace_and_a_teammates_draft_are_out_of_reach(database: Database):
    ana, ben = await actor_of(database, 1), await actor_of(database, 2, first_name="Ben")
    inquiry = await sent_inquiry(database, ana)
    assert await inquiries.sent_inquiry(database, ben, inquiry.id) is None
    assert await inquiries.inquiry_card(database, ben, inquiry.id) is None
    assert await inquiries.mark_sent(database, ben, inquiry.id, now=NOW, default_hours=24) is None
    assert await inquiries.close_inquiry(database, ben, inquiry.id) is None
    team_ana = await actor_of(database, 1, -100, group=True, telegram_status="creator")
    team_ben = await actor_of(database, 2, -100, group=True, first_name="Ben")
    draft = await inquiries.start_draft(database, team_ana)
    assert draft is not None
    assert await inquiries.sent_inquiry(database, team_ben, draft.inquiry.id) is None
    assert await inquiries.current_draft(database, team_ben) is None


async def test_a_members_answers_fill_their_draft_without_changing_the_teams_setup(database: Database):
    owner = await actor_of(database, 1, -100, group=True, telegram_status="creator")
    member = await actor_of(database, 2, -100, group=True, first_name="Ben", telegram_status="member")
    assert (owner.role, member.role) == (Role.OWNER, Role.MEMBER)
    await inquiries.start_draft(database, member)
    await inquiries.set_destination(database, member, "AU")
    await inquiries.set_currency(database, member, "AUD")
    await inquiries.add_own_question(database, member, "Can you print our logo?", "可以印我们的logo吗？")
    draft = await inquiries.set_forwarder_address(database, member, "广州市白云区 某某仓库")
    assert draft is not None
    assert (draft.inquiry.destination_country, draft.inquiry.currency) == ("AU", "AUD")
    assert draft.inquiry.forwarder_address == "广州市白云区 某某仓库"
    own = [key for key in draft.inquiry.questions if checklist.custom_id(key) is not None]
    assert len(own) == 1  # asked in this inquiry
    team = await workspaces.workspace_settings(database, owner)
    assert (team.destination_country, team.currency, team.forwarder_address) == (None, None, None)
    assert team.shared_questions == ()  # not on the team's list
    await inquiries.start_draft(database, owner)
    await inquiries.set_destination(database, owner, "SG")
    await inquiries.add_own_question(database, owner, "Do you have a catalogue?", "有产品目录吗？")
    team = await workspaces.workspace_settings(database, owner)
    assert team.destination_country == "SG" and [q.text for q in team.shared_questions] == ["Do you have a catalogue?"]


async def test_the_same_own_question_twice_is_one_question(database: Database):
    ana = await actor_of(database, 1)
    await inquiries.start_draft(database, ana)
    await inquiries.add_own_question(database, ana, "Can you print our logo?", None)
    draft = await inquiries.add_own_question(database, ana, "can you print our logo?", "可以印logo吗？")
    assert draft is not None
    assert len(draft.settings.questions) == 1 and draft.settings.questions[0].text_zh == "可以印logo吗？"
    assert draft.settings.questions[0].key in draft.inquiry.questions


async def test_ticking_says_on_or_off_so_a_repeated_press_changes_nothing_more(database: Database):
    ana = await actor_of(database, 1)
    await inquiries.start_draft(database, ana)
    for _ in range(2):
        draft = await inquiries.set_question(database, ana, "samples", True)
    assert draft is not None and "samples" in draft.inquiry.questions
    assert await inquiries.set_question(database, ana, "custom:999", True) is None  # not this workspace's
    for _ in range(2):
        draft = await inquiries.set_certificate(database, ana, "CE", True)
    assert draft is not None and draft.inquiry.certifications_needed == ("CE",)
    with pytest.raises(InputError):
        await inquiries.add_certificates(database, ana, [f"X{n}" for n in range(11)])


# Workspace settings and permissions


async def test_only_the_owner_and_admins_change_a_teams_settings(database: Database):
    owner = await actor_of(database, 1, -100, group=True, telegram_status="creator")
    admin = await actor_of(database, 2, -100, group=True, telegram_status="administrator")
    member = await actor_of(database, 3, -100, group=True, telegram_status="member")
    assert admin.role is Role.ADMIN
    for change in (
        lambda actor: workspaces.set_default_currency(database, actor, "SGD"),
        lambda actor: workspaces.set_forwarder_address(database, actor, "义乌某仓库"),
        lambda actor: workspaces.set_auto_confirm(database, actor, True),
        lambda actor: workspaces.add_question(database, actor, "Logo?", None),
        lambda actor: workspaces.save_template_override(database, actor, "inquiry", "您好 {{ question_lines }}"),
    ):
        with pytest.raises(NotAllowed):
            await change(member)
        await change(admin)
    settings = await workspaces.workspace_settings(database, member)
    assert settings.currency == "SGD" and settings.auto_confirm and not settings.can_manage
    assert (await workspaces.workspace_settings(database, owner)).can_manage


async def test_settings_refuse_values_that_are_not_offered(database: Database):
    ana = await actor_of(database, 1)
    assert await workspaces.set_default_destination(database, ana, "XX") is None
    assert await workspaces.set_follow_up_hours(database, ana, 7) is None
    saved = await workspaces.set_follow_up_hours(database, ana, 48)
    assert saved is not None and saved.follow_up_hours == 48


# Replies and answers


async def test_a_read_reply_proposes_answers_once_even_when_read_again_after_a_restart(database: Database):
    ana = await actor_of(database, 1)
    inquiry = await sent_inquiry(database, ana, now=NOW)
    first = await _read(database, ana, inquiry.id)
    again = await _read(database, ana, inquiry.id)  # the bot stopped before the answer went out
    assert first.attached is not None and again.attached is not None
    assert [a.id for a in first.attached.answers] == [a.id for a in again.attached.answers]
    assert {a.fact.field for a in first.attached.answers} == {"moq", "price_tiers", "lead_time_days", "in_stock"}
    assert all(a.status is AnswerStatus.PENDING for a in first.attached.answers)
    assert first.attached.progress.answered == 0
    async with database.session() as session:
        assert await session.scalar(select(func.count()).select_from(SupplierReply)) == 1


async def test_a_reply_goes_to_the_only_inquiry_waiting_and_with_several_the_buyer_picks(database: Database):
    ana = await actor_of(database, 1)
    only = await sent_inquiry(database, ana)
    read = await _read(database, ana, None)
    assert read.attached is not None and read.attached.inquiry.id == only.id
    inquiry = await sent_inquiry(database, ana, product="Desk fan")
    read = await _read(database, ana, None, message_id=2)
    assert read.attached is None and {i.id for i in read.open_inquiries} == {only.id, inquiry.id}
    attached = await replies.attach(database, ana, read.reply_id, inquiry.id)
    assert attached is not None and attached.answers
    ben = await actor_of(database, 2, first_name="Ben")
    assert await replies.attach(database, ben, read.reply_id, inquiry.id) is None
    new = await replies.attach_to_new_inquiry(database, ana, read.reply_id, now=NOW)
    assert new is not None and new.inquiry.id == inquiry.id  # it is attached already: the same inquiry


async def test_confirming_records_answers_and_a_contradiction_changes_nothing_until_chosen(database: Database):
    ana = await actor_of(database, 1)
    inquiry = await sent_inquiry(database, ana, questions=["moq"])
    read = await _read(database, ana, inquiry.id, "起订量100个", message_id=1)
    assert read.attached is not None
    first = read.attached.answers[0]
    decided = await replies.decide(database, ana, first.id, confirm=True)
    assert decided is not None and decided.conflict_with is None and decided.of_same_reply.progress.answered == 1
    card = await inquiries.inquiry_card(database, ana, inquiry.id)
    assert card is not None and card.inquiry.status is InquiryStatus.ANSWERED
    later = await _read(database, ana, inquiry.id, "起订量500个", message_id=2)
    assert later.attached is not None
    new = later.attached.answers[0]
    conflict = await replies.decide(database, ana, new.id, confirm=True)
    assert conflict is not None and conflict.conflict_with is not None and conflict.conflict_with.id == first.id
    card = await inquiries.inquiry_card(database, ana, inquiry.id)
    assert card is not None and [a.id for a in card.recorded["moq"]] == [first.id]
    chosen = await replies.decide(database, ana, new.id, confirm=True, replace_recorded=True)
    assert chosen is not None and chosen.answer.status is AnswerStatus.CONFIRMED
    card = await inquiries.inquiry_card(database, ana, inquiry.id)
    assert card is not None and [a.id for a in card.recorded["moq"]] == [new.id]


async def test_a_typed_answer_replaces_the_recorded_one_and_the_corrected_finding(database: Database):
    ana = await actor_of(database, 1)
    inquiry = await sent_inquiry(database, ana, questions=["moq", "returns"])
    read = await _read(database, ana, inquiry.id, "起订量100个", message_id=1)
    assert read.attached is not None
    found = read.attached.answers[0]
    typed = await replies.record_typed_answer(database, ana, inquiry.id, "moq", "200 per colour", found.id)
    assert typed is not None and typed.progress.answered == 1
    card = await inquiries.inquiry_card(database, ana, inquiry.id)
    assert card is not None and [a.fact.value for a in card.recorded["moq"]] == ["200 per colour"]
    assert await replies.record_typed_answer(database, ana, inquiry.id, "samples", "yes", None) is None  # not asked
    ben = await actor_of(database, 2, first_name="Ben")
    assert await replies.decide(database, ben, found.id, confirm=True) is None
    assert await replies.question_of_answer(database, ben, found.id) is None


async def test_a_workspace_that_confirms_automatically_records_at_once(database: Database):
    ana = await actor_of(database, 1)
    inquiry = await sent_inquiry(database, ana, questions=["moq", "price_tiers"], auto_confirm=True)
    read = await _read(database, ana, inquiry.id)
    assert read.attached is not None
    assert all(a.status is AnswerStatus.CONFIRMED for a in read.attached.answers)
    assert read.attached.progress.complete and read.attached.inquiry.status is InquiryStatus.ANSWERED


# Suppliers and accounts


async def test_the_same_offer_is_one_supplier_and_other_workspaces_cannot_see_it(database: Database):
    ana, ben = await actor_of(database, 1), await actor_of(database, 2, first_name="Ben")
    link = parse_1688_link("https://detail.1688.com/offer/623456789012.html")
    first = await suppliers.add_supplier(database, ana, "Shop", link)
    again = await suppliers.add_supplier(database, ana, "Other name", link)
    assert first.created and not again.created and first.supplier.id == again.supplier.id
    assert await suppliers.get_supplier(database, ben, first.supplier.id) is None
    assert await suppliers.set_archived(database, ben, first.supplier.id, True) is None
    for _ in range(2):
        ticked = await suppliers.set_badge(database, ana, first.supplier.id, Badge.POWER_MERCHANT, True)
    assert ticked is not None and ticked.trust.badges == frozenset({Badge.POWER_MERCHANT})


async def test_a_chosen_language_holds_from_the_next_update_on(database: Database):
    ana = await actor_of(database, 1)
    assert ana.language == "en"
    await set_language(database, 1, "zh_CN")
    again = await actor_of(database, 1)
    assert again.language == "zh_CN"


async def test_a_reply_moves_the_follow_up_reminder_to_a_whole_wait_after_it(database: Database):
    ana = await actor_of(database, 1)
    inquiry = await sent_inquiry(database, ana, now=NOW)
    batch = replies.PendingBatch(ana, (replies.Pasted(10, "起订量100个", inquiry.id),))
    await replies.read_batch(database, batch, None, now=NOW + timedelta(hours=20))
    assert await inquiries.claim_due_reminders(database, NOW + timedelta(hours=25), "en", 24) == []
    assert await inquiries.claim_due_reminders(database, NOW + timedelta(hours=43), "en", 24) == []
    due = await inquiries.claim_due_reminders(database, NOW + timedelta(hours=44, minutes=1), "en", 24)
    assert [reminder.card.inquiry.id for reminder in due] == [inquiry.id]
    assert await inquiries.claim_due_reminders(database, NOW + timedelta(hours=60), "en", 24) == []  # sent once
