"""Team groups: the workspace follows the group through removal, return and the upgrade to a supergroup; roles
follow the group's admins and what admins give; viewers and non-admins are refused kindly; another workspace's
inquiries, orders, answers and replies can't be reached by forged buttons; invites, working for a team from a
private chat, news to the group in its language, owners, the audit log and exports."""

from __future__ import annotations

import io
import logging
import re
import zipfile
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from bot.db.models import (
    Answer,
    AuditEvent,
    CustomQuestion,
    GlossaryTerm,
    Inquiry,
    Membership,
    Order,
    OrderEvent,
    Reminder,
    Supplier,
    Workspace,
)
from bot.domain.answers import AnswerStatus
from bot.domain.orders import OrderStatus
from bot.domain.workspaces import NotAllowed, Role
from bot.services import glossary, inquiries, orders, suppliers, teams, workspaces
from tests.builders import actor_of, sent_inquiry
from tests.e2e.conftest import Harness, text_of


async def team_group(harness: Harness, owner, *members, **group_options):
    """A group `owner` made with the bot in it, `members` joined."""
    group = harness.emulator.add_group("Buyers", added_by=owner, **group_options)
    for member in members:
        harness.emulator.add_member(group, member)
    await harness.settle()
    return group


async def _workspace(harness: Harness, chat_id: int) -> Workspace | None:
    async with harness.services.database.session() as session:
        return await session.scalar(select(Workspace).where(Workspace.chat_id == chat_id))


async def test_a_group_removed_and_added_back_keeps_everything_and_an_upgrade_keeps_the_team(harness: Harness):
    ana, ben = harness.user("Ana"), harness.user("Ben")
    group = await team_group(harness, ana, ben, supergroup=False)
    assert "Hello team" in text_of(harness.emulator.messages(group))
    await harness.say(ana, "/supplier Yiwu Cups Factory", chat=group)
    await harness.say(ana, "/cancel", chat=group)
    workspace = await _workspace(harness, group["id"])
    assert workspace is not None and workspace.archived_at is None

    harness.emulator.remove_bot(group, by=ana)
    await harness.settle()
    archived = await _workspace(harness, group["id"])
    assert archived is not None and archived.archived_at is not None  # archived, not deleted
    async with harness.services.database.session() as session:
        assert await session.scalar(select(func.count()).select_from(Supplier).where(Supplier.workspace_id == archived.id)) == 1

    harness.emulator.add_bot_again(group, by=ana)
    await harness.settle()
    assert "Welcome back! Everything your team kept is still here: 1 suppliers" in harness.last_text(group)
    assert (await _workspace(harness, group["id"])).archived_at is None  # type: ignore[union-attr]

    async with harness.services.database.session() as session:  # a reminder due in the old chat
        session.add(Reminder(workspace_id=workspace.id, chat_id=group["id"], kind="follow_up", due_at=workspace.created_at))
    supergroup = harness.emulator.migrate_to_supergroup(group)
    await harness.settle()
    assert await _workspace(harness, group["id"]) is None
    moved = await _workspace(harness, supergroup["id"])
    assert moved is not None and moved.id == workspace.id  # the same team, its data with it
    assert "Yiwu Cups Factory" in text_of(await harness.say(ben, "/suppliers", chat=supergroup))
    assert "Hello team" not in text_of(harness.emulator.messages(supergroup))  # the same team: not greeted as new
    async with harness.services.database.session() as session:
        assert await session.scalar(select(Reminder.chat_id).where(Reminder.workspace_id == workspace.id)) == supergroup["id"]
    assert harness.errors == []


async def test_roles_follow_the_groups_admins_and_an_admin_makes_a_member_a_viewer(harness: Harness):
    ana, ben, cat = harness.user("Ana"), harness.user("Ben"), harness.user("Cat")
    group = await team_group(harness, ana, ben, cat, bot_is_admin=True)
    for user in (ana, ben, cat):
        await harness.say(user, "/help", chat=group)  # each shows up once
    team = text_of(await harness.say(ben, "/team", chat=group))
    assert "• Ana @ana_tg — owner\n• Ben @ben_tg — buyer\n• Cat @cat_tg — buyer" in team
    assert "Cat: viewer" not in str(harness.emulator.last_message(group).reply_markup)  # Ben is no admin: no buttons

    harness.emulator.set_member_status(group, ben, "administrator", by=ana)  # promoted in Telegram
    await harness.settle()
    assert "• Ben @ben_tg — admin" in text_of(await harness.say(ana, "/team", chat=group))
    await harness.press(ben, "Cat: viewer", chat=group)  # the new admin gives roles
    assert "• Cat @cat_tg — viewer" in harness.last_text(group)

    refused = text_of(await harness.say(cat, "/supplier Another factory", chat=group))
    assert "lets you look, not change things" in refused
    assert "Yiwu" not in text_of(await harness.say(cat, "/suppliers", chat=group))  # looking is fine
    async with harness.services.database.session() as session:
        assert await session.scalar(select(func.count()).select_from(Supplier)) == 0

    harness.emulator.set_member_status(group, ben, "member", by=ana)  # demoted: a buyer again
    await harness.settle()
    team_message = (await harness.say(ana, "/team", chat=group))[-1]
    cat_viewer = next(b["callback_data"] for b in team_message.buttons() if b["text"].endswith("Cat: buyer"))
    await harness.press_data(ben, team_message.message_id, cat_viewer, chat=group)
    assert harness.notices()[-1] == "Only the group's admins can change roles."
    after = text_of(await harness.say(ana, "/team", chat=group))
    assert "• Cat @cat_tg — viewer" in after and "• Ben @ben_tg — buyer" in after  # Cat unchanged
    assert harness.errors == []


async def test_the_teammate_who_asked_to_pay_cannot_approve_it(database) -> None:
    now = datetime(2026, 12, 1, 9, tzinfo=UTC)
    owner = await actor_of(database, 1, -300, group=True, telegram_status="creator")
    admin = await actor_of(database, 2, -300, first_name="Ben", group=True, telegram_status="administrator")
    buyer = await actor_of(database, 3, -300, first_name="Cat", group=True, telegram_status="member")
    await workspaces.set_payment_approval(database, owner, "5000")
    inquiry = await sent_inquiry(database, admin, questions=["price_tiers"], quantity=450)
    card = await orders.order_from_quote(database, admin, inquiry.id, now=now)
    assert card is not None
    await orders.set_price(database, admin, card.order.id, Decimal(12))
    early = await orders.approve_payment(database, owner, card.order.id, now=now)  # nobody asked to pay yet
    assert early is not None and not early.changed and early.card.order.awaits_approval
    for seen, wanted in ((OrderStatus.DRAFT, OrderStatus.CONFIRMED), (OrderStatus.CONFIRMED, OrderStatus.AWAITING_PAYMENT)):
        await orders.move_order(database, admin, card.order.id, seen, wanted, now=now)
    with pytest.raises(orders.OwnApproval):
        await orders.approve_payment(database, admin, card.order.id, now=now)  # Ben asked to pay
    with pytest.raises(NotAllowed):
        await orders.approve_payment(database, buyer, card.order.id, now=now)  # a buyer approves nothing
    made = await teams.set_member_role(database, owner, buyer.user_id, Role.APPROVER)
    assert made is not None and made.role is Role.APPROVER
    approver = await actor_of(database, 3, -300, first_name="Cat", group=True)
    approved = await orders.approve_payment(database, approver, card.order.id, now=now)
    assert approved is not None and approved.changed
    with pytest.raises(orders.OwnApproval):  # four eyes: the approver doesn't also pay
        await orders.record_payment(database, approver, card.order.id, OrderStatus.AWAITING_PAYMENT, None, now=now)
    paid = await orders.record_payment(database, admin, card.order.id, OrderStatus.AWAITING_PAYMENT, None, now=now)
    assert paid is not None and paid.card.order.status is OrderStatus.PAID
    async with database.session() as session:
        row = await session.get(Order, card.order.id)
        assert row is not None and row.approved_by == 3


async def test_buttons_naming_another_workspaces_inquiry_order_answer_or_reply_are_refused_and_logged(
    harness: Harness, caplog: pytest.LogCaptureFixture
):
    ana, carol = harness.user("Ana"), harness.user("Carol")
    database = harness.services.database
    carol_actor = await actor_of(database, carol["id"])
    inquiry = await sent_inquiry(database, carol_actor, questions=["moq", "price_tiers"])
    await harness.say(carol, "/inquiries")
    await harness.press(carol, "1")
    harness.emulator.send_text(carol, harness.emulator.private_chat(carol), "起订量100个，500个以上10元")
    await harness.settle()
    card = await orders.order_from_quote(database, carol_actor, inquiry.id, now=harness.services.clock.now())
    assert card is not None
    async with database.session() as session:
        answer_id = await session.scalar(select(Answer.id).where(Answer.inquiry_id == inquiry.id).limit(1))
        reply_id = await session.scalar(select(Answer.reply_id).where(Answer.inquiry_id == inquiry.id).limit(1))
    i, o, a, r, step, w = inquiry.id, card.order.id, answer_id, reply_id, card.step_id, carol_actor.workspace_id
    added = await suppliers.add_supplier(database, carol_actor, "Carol's secret factory")
    supplier_id = added.supplier.id
    await glossary.save_term(database, carol_actor, "起批价", "wholesale price")
    async with database.session() as session:
        term_id = await session.scalar(select(GlossaryTerm.id).where(GlossaryTerm.workspace_id == w))
    forged = [
        f"inq:view:{i}", f"inq:fu:{i}", f"inq:fus:{i}", f"inq:neg:{i}", f"inq:negs:{i}", f"inq:close:{i}",
        f"inq:closey:{i}", f"inq:reopen:{i}", f"inq:sent:{i}", f"inq:same:{i}", f"inq:wait:{i}",
        f"cmp:{i}:cost", f"cmp:ok:{i}", f"cmp:f:{i}:csv", f"ord:new:{i}", f"ord:smp:{i}",
        f"ord:view:{o}", f"ord:go:{o}:draft:confirmed", f"ord:cx:{o}:draft", f"ord:full:{o}:draft", f"ord:ok:{o}",
        f"ord:msg:{o}:order_confirm", f"ord:sent:{o}:{step}:order_confirm", f"ord:pay:{o}:alipay",
        f"ord:shp:{o}:epacket", f"ord:fwd:{o}:1", f"ord:trk:{o}", f"ord:proof:{o}", f"ord:price:{o}",
        f"ord:dep:{o}:draft", f"ord:dsp:{o}:draft",
        f"ans:ok:{a}", f"ans:no:{a}", f"ans:use:{a}", f"ans:keep:{a}", f"ans:ed:{a}", f"ans:all:{r}", f"ans:alli:{i}",
        f"rep:att:{r}:{i}", f"rep:mv:{r}", f"rep:new:{r}", f"rep:tr:{r}",
        f"sup:view:{supplier_id}", f"sup:arch:{supplier_id}", f"exp:{w}", f"ws:{w}", f"team:role:{carol['id']}:viewer",
        f"set:delterm:{term_id}",
    ]  # fmt: skip
    await harness.say(ana, "/help")
    ana_chat = harness.emulator.private_chat(ana)
    message_id = harness.emulator.last_message(ana_chat).message_id
    before = len(harness.emulator.messages(ana_chat))
    caplog.set_level(logging.INFO, logger="bot")
    notices = len(harness.notices())
    for data in forged:
        await harness.press_data(ana, message_id, data)
    shown = harness.notices()[notices:]
    assert len(shown) == len(forged), forged
    assert all("no longer valid" in notice for notice in shown), shown
    assert len(harness.emulator.messages(ana_chat)) == before  # nothing of Carol's was shown to Ana
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert all(repr(data) in logged for data in forged)
    async with database.session() as session:
        row = await session.get(Order, o)
        assert row is not None and row.status == "draft" and row.payment_method is None
        assert await session.scalar(select(func.count()).select_from(OrderEvent).where(OrderEvent.order_id == o)) == 1
        statuses = set(await session.scalars(select(Answer.status).where(Answer.inquiry_id == i)))
    assert statuses == {AnswerStatus.PENDING}
    async with database.session() as session:
        assert await session.get(GlossaryTerm, term_id) is not None
        assert (await session.get(Supplier, supplier_id)).archived is False  # type: ignore[union-attr]
    assert harness.errors == []


async def test_an_admin_exports_the_team_and_reads_the_audit_log_even_after_the_bot_left(harness: Harness):
    ana, ben = harness.user("Ana"), harness.user("Ben")
    group = harness.emulator.add_group("Buyers & Co", added_by=ana)
    harness.emulator.add_member(group, ben)
    await harness.settle()
    await harness.say(ben, "/supplier Yiwu Cups Factory", chat=group)
    await harness.say(ben, "/cancel", chat=group)
    assert "Only the group's admins can export" in text_of(await harness.say(ben, "/export", chat=group))
    assert "Only the group's admins can do that" in text_of(await harness.say(ben, "/audit", chat=group))
    log = text_of(await harness.say(ana, "/audit", chat=group))
    assert "Ben: supplier added · Yiwu Cups Factory" in log

    harness.emulator.remove_bot(group, by=ana)
    await harness.settle()
    await harness.say(ana, "/export")  # from her private chat: the archived team is still hers to take
    choice = harness.emulator.last_message(harness.emulator.private_chat(ana))
    labels = [button["text"] for button in choice.buttons()]
    assert "🗄 Buyers & Co (archived)" in labels and "Your own" in labels
    await harness.press(ana, "Buyers & Co (archived)")
    files = [m.content["document"] for m in harness.emulator.messages(harness.emulator.private_chat(ana)) if "document" in m.content]
    workbook = load_workbook(io.BytesIO(harness.emulator.stored_file(files[-2]["file_id"]).data))
    assert workbook.sheetnames == ["suppliers", "inquiries", "answers", "quotes", "orders", "payments", "audit"]
    assert [row[1] for row in workbook["suppliers"].iter_rows(min_row=2, values_only=True)] == ["Yiwu Cups Factory"]
    audit_rows = [row[2] for row in workbook["audit"].iter_rows(min_row=2, values_only=True)]
    assert "supplier added" in audit_rows and "bot removed" in audit_rows
    with zipfile.ZipFile(io.BytesIO(harness.emulator.stored_file(files[-1]["file_id"]).data)) as archive:
        assert "Yiwu Cups Factory" in archive.read("suppliers.csv").decode("utf-8-sig")
    bens = await harness.say(ben, "/export")  # Ben is no admin of the team: only his own data is offered
    assert [b["text"] for b in bens[-1].buttons()] == ["Your own"]
    assert harness.errors == []


async def test_an_upgrade_handled_in_either_order_keeps_the_original_workspace(database) -> None:
    ana = await actor_of(database, 1, -400, group=True, telegram_status="creator")
    await suppliers.add_supplier(database, ana, "Yiwu Cups Factory")
    ben_in_new = await actor_of(database, 2, -1000000000400, first_name="Ben", group=True)  # wrote in the new chat first
    assert ben_in_new.workspace_id != ana.workspace_id
    assert await teams.migrate_team(database, -400, -1000000000400)
    late = await actor_of(database, 1, -400, group=True)  # the old chat's own service message, handled late
    assert await teams.migrate_team(database, -400, -1000000000400)
    async with database.session() as session:
        kept = await session.scalar(select(Workspace).where(Workspace.chat_id == -1000000000400))
        assert kept is not None and kept.id == ana.workspace_id
        assert await session.scalar(select(func.count()).select_from(Workspace).where(Workspace.id.in_([ben_in_new.workspace_id, late.workspace_id]))) == 0
        assert await session.scalar(select(func.count()).select_from(Supplier).where(Supplier.workspace_id == kept.id)) == 1
    members = await teams.team_members(database, await actor_of(database, 1, -1000000000400, group=True))
    assert {member.name for member in members} == {"Ana", "Ben"}


def _token(text: str) -> str:
    found = re.search(r"start=join_([A-Za-z0-9_-]+)", text)
    assert found is not None, text
    return found.group(1)


async def test_an_invite_link_lets_one_person_join_once_before_it_expires(harness: Harness):
    ana, ben, cat, dan, eve = (harness.user(name) for name in ("Ana", "Ben", "Cat", "Dan", "Eve"))
    group = await team_group(harness, ana)
    assert "works in your team's group chat" in text_of(await harness.say(ana, "/invite"))  # in private: no team
    harness.emulator.add_member(group, cat)
    await harness.settle()
    assert "Only the group's admins can do that" in text_of(await harness.say(cat, "/invite", chat=group))
    token = _token(text_of(await harness.say(ana, "/invite", chat=group)))
    assert "You joined Buyers" in text_of(await harness.say(ben, f"/start join_{token}"))
    assert "was used already" in text_of(await harness.say(dan, f"/start join_{token}"))
    assert "not one I know" in text_of(await harness.say(dan, "/start join_forged-token-123"))
    later = _token(text_of(await harness.say(ana, "/invite", chat=group)))
    await harness.later(timedelta(days=8))
    assert "has expired" in text_of(await harness.say(eve, f"/start join_{later}"))

    # Ben works for the team from his private chat: what he adds is the team's.
    choice = (await harness.say(ben, "/workspace"))[-1]
    assert [b["text"] for b in choice.buttons()] == ["Your own", "✓ Buyers"]
    await harness.say(ben, "/supplier Yiwu Cups Factory")
    await harness.say(ben, "/cancel")
    assert "Yiwu Cups Factory" in text_of(await harness.say(ana, "/suppliers", chat=group))
    await harness.press(ben, "Your own")
    assert "Yiwu" not in text_of(await harness.say(ben, "/suppliers"))
    assert "• Ben @ben_tg — buyer" in text_of(await harness.say(ana, "/team", chat=group))
    assert harness.errors == []


async def test_work_done_for_the_team_in_private_is_told_to_the_group_in_its_language(harness: Harness):
    ana, ben = harness.user("Ana"), harness.user("Ben")
    group = await team_group(harness, ana)
    await harness.say(ana, "/settings", chat=group)
    await harness.press(ana, "Group language", chat=group)
    await harness.press(ana, "中文", chat=group)
    await harness.press(ana, "Done", chat=group)
    token = _token(text_of(await harness.say(ana, "/invite", chat=group)))
    await harness.say(ben, f"/start join_{token}")
    ben_actor = await actor_of(harness.services.database, ben["id"])  # in his private chat: for the team
    await sent_inquiry(harness.services.database, ben_actor, questions=["moq", "price_tiers"], supplier="Yiwu Cups")
    before = len(harness.emulator.messages(group))
    await harness.say(ben, "/inquiries")
    await harness.press(ben, "1")
    harness.emulator.send_text(ben, harness.emulator.private_chat(ben), "起订量100个，500个以上10元")
    await harness.settle()
    news = [m.text or "" for m in harness.emulator.messages(group)[before:]]
    assert len(news) == 1 and "Yiwu Cups" in news[0] and "📩" in news[0]
    assert "回复" in news[0]  # in the group's language, not Ben's
    assert "起订量" not in news[0]  # the group hears that it came, not the reply itself
    assert harness.errors == []


async def test_an_inquiry_is_given_to_a_teammate_and_only_to_one(harness: Harness):
    ana, ben, carol = harness.user("Ana"), harness.user("Ben"), harness.user("Carol")
    group = await team_group(harness, ana, ben)
    for user in (ana, ben):
        await harness.say(user, "/help", chat=group)
    ana_in_team = await actor_of(harness.services.database, ana["id"], group["id"], group=True)
    inquiry = await sent_inquiry(harness.services.database, ana_in_team, questions=["moq"], product="Glass cups")
    listed = text_of(await harness.say(ben, "/assign", chat=group))
    assert "1. inquiry Glass cups — Ana" in listed
    await harness.press(ben, "1", chat=group)
    await harness.press(ben, "Ben", chat=group)
    assert "Glass cups is Ben's now." in harness.last_text(group)
    assert "1. inquiry Glass cups — Ben" in text_of(await harness.say(ana, "/assign", chat=group))
    message = harness.emulator.last_message(group)
    await harness.press_data(ana, message.message_id, f"asg:i:{inquiry.id}:{carol['id']}", chat=group)  # not in the team
    assert harness.notices()[-1] == "That button is no longer valid."
    async with harness.services.database.session() as session:
        assert (await session.get(Inquiry, inquiry.id)).assignee_id == ben["id"]  # type: ignore[union-attr]
        assert await session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "assigned")) == 1
    assert harness.errors == []


async def test_someone_who_leaves_the_group_leaves_the_team_and_a_new_role_counts_at_once(harness: Harness):
    ana, ben, cat = harness.user("Ana"), harness.user("Ben"), harness.user("Cat")
    group = await team_group(harness, ana, ben, cat)
    for user in (ana, ben, cat):
        await harness.say(user, "/help", chat=group)
    await harness.say(cat, "/workspace")
    await harness.press(cat, "Buyers")  # Cat works for the team from her private chat
    await harness.say(cat, "/supplier Yiwu Cups Factory")
    await harness.say(cat, "/cancel")
    await harness.say(ana, "/team", chat=group)
    await harness.press(ana, "Cat: viewer", chat=group)
    assert "lets you look, not change things" in text_of(await harness.say(cat, "/supplier Another factory"))  # at once

    team = await _workspace(harness, group["id"])
    harness.emulator.remove_member(group, ben, by=ana)  # the bot is no admin: the service message tells it
    await harness.settle()
    async with harness.services.database.session() as session:
        members = set(await session.scalars(select(Membership.user_id).where(Membership.workspace_id == team.id)))  # type: ignore[union-attr]
    assert ben["id"] not in members and {ana["id"], cat["id"]} <= members
    assert harness.errors == []


async def test_a_restricted_bot_keeps_serving_the_team(harness: Harness):
    ana = harness.user("Ana")
    group = await team_group(harness, ana)
    harness.emulator.restrict_bot(group, by=ana)
    await harness.settle()
    assert (await _workspace(harness, group["id"])).archived_at is None  # type: ignore[union-attr]


async def test_a_teams_reminder_in_a_private_chat_stays_the_teams_after_switching_back(database) -> None:
    now = datetime(2026, 12, 1, 9, tzinfo=UTC)
    await actor_of(database, 1, -500, group=True, telegram_status="creator")
    ben_in_group = await actor_of(database, 2, -500, first_name="Ben", group=True)
    await actor_of(database, 2, first_name="Ben")  # his private chat
    assert await teams.act_for(database, 2, ben_in_group.workspace_id) is not None
    ben = await actor_of(database, 2, first_name="Ben")
    assert ben.workspace_id == ben_in_group.workspace_id  # working for the team from his private chat
    inquiry = await sent_inquiry(database, ben, questions=["moq"], now=now)
    await teams.act_for(database, 2, None)  # back to his own
    due = await inquiries.claim_due_reminders(database, now + timedelta(days=3), "en", 24)
    assert [(reminder.actor.workspace_id, reminder.card.inquiry.id) for reminder in due] == [(ben_in_group.workspace_id, inquiry.id)]


async def test_an_inquiry_is_brought_from_ones_own_workspace_into_a_team_with_what_hangs_on_it(harness: Harness):
    ana, ben = harness.user("Ana"), harness.user("Ben")
    group = await team_group(harness, ana, ben)
    for user in (ana, ben):
        await harness.say(user, "/help", chat=group)
    database = harness.services.database
    ben_own = await actor_of(database, ben["id"])
    async with database.session() as session:  # his own question, asked in this inquiry
        own = CustomQuestion(workspace_id=ben_own.workspace_id, text="Can you print our logo?", text_zh="可以印我们的标志吗？", shared=False)
        session.add(own)
        await session.flush()
        own_key = f"custom:{own.id}"
    inquiry = await sent_inquiry(database, ben_own, questions=["moq", "price_tiers", own_key], supplier="Yiwu Cups", product="Glass cups")
    await harness.say(ben, "/inquiries")
    await harness.press(ben, "1")
    harness.emulator.send_text(ben, harness.emulator.private_chat(ben), "起订量100个，500个以上10元")
    await harness.settle()
    await harness.press(ben, "All correct")
    assert "Glass cups" not in text_of(await harness.say(ana, "/inquiries", chat=group))

    listed = text_of(await harness.say(ben, "/move"))
    assert "1. inquiry Glass cups" in listed and "supplier Yiwu Cups" in listed
    await harness.press(ben, "1")
    await harness.press(ben, "Buyers")
    assert "Glass cups now belongs to Buyers" in harness.last_text(harness.emulator.private_chat(ben))
    assert "brought Glass cups into the team" in harness.last_text(group)
    shown = text_of(await harness.say(ana, "/inquiries", chat=group))
    assert "Glass cups" in shown and "2 of 3 answered" in shown  # its answers came along
    assert "Yiwu Cups" in text_of(await harness.say(ana, "/suppliers", chat=group))
    async with database.session() as session:
        team = await _workspace(harness, group["id"])
        moved = await session.get(Inquiry, inquiry.id)
        assert moved is not None and moved.workspace_id == team.id  # type: ignore[union-attr]
        copied = await session.get(CustomQuestion, int(moved.questions[2].removeprefix("custom:")))
        assert copied is not None and copied.workspace_id == team.id and copied.text == "Can you print our logo?"  # type: ignore[union-attr]
        assert await session.scalar(select(func.count()).select_from(Reminder).where(Reminder.inquiry_id == inquiry.id, Reminder.workspace_id != team.id)) == 0  # type: ignore[union-attr]
    assert "Glass cups" not in text_of(await harness.say(ben, "/inquiries"))  # no longer his own
    carol = harness.user("Carol")
    await harness.say(carol, "/help")
    last = harness.emulator.last_message(harness.emulator.private_chat(carol))
    await harness.press_data(carol, last.message_id, f"mv:i:{inquiry.id}:{team.id}")  # type: ignore[union-attr]
    assert harness.notices()[-1] == "That button is no longer valid."
    assert harness.errors == []
