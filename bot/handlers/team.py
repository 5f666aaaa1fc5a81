"""A team group's life with the bot: added (hello, or welcome back with everything kept), removed (the workspace
archived), upgraded to a supergroup (the same team under the new chat id), members promoted or demoted in
Telegram (their role follows), and /team: who is in the team and what each may do."""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from telegram import ChatMember, Update
from telegram.ext import CallbackQueryHandler, ChatMemberHandler, CommandHandler, MessageHandler, filters

from bot.context import BotContext
from bot.domain.workspaces import ASSIGNABLE_ROLES, NotAllowed, Role, WorkspaceKind
from bot.handlers.common import in_group, no_longer_valid, notify_team, reply
from bot.i18n import N_, Translator
from bot.services import audit, exports
from bot.services import teams as service
from bot.telegram_io import edit, send, send_file, typing
from bot.views import tables
from bot.views import team as views

log = logging.getLogger(__name__)

TEAM_WELCOME = N_(
    "Hello team! I keep this group's suppliers, inquiries and orders in one place, and everyone here sees them.\n\n"
    "Start an inquiry with /inquiry. To have a supplier's Chinese reply read, paste it as a reply to one of my "
    "messages: in a group I see only commands and replies to me. Forwarded messages I can't see here, so forward "
    "them to me in a private chat after choosing this team there (/workspace; /invite makes a link for anyone "
    "not yet in), or make me an admin of the group so I see everything. /team shows who does what; /help the rest."
)


async def bot_membership_changed(update: Update, context: BotContext) -> None:
    """The bot was added to a group, removed from it, or added back."""
    change = update.my_chat_member
    chat = update.effective_chat
    if change is None or chat is None or chat.type == "private":
        return
    joined = _in_group(change.new_chat_member)
    was_out = not _in_group(change.old_chat_member)
    if joined and was_out:
        restored = await service.restore_team(context.db, chat.id)
        _ = Translator(restored.language) if restored.language else context._
        if restored.was_archived:
            text = _(
                "Welcome back! Everything your team kept is still here: {suppliers} suppliers, {inquiries} "
                "inquiries and {orders} orders. /help lists what I can do.",
                suppliers=restored.suppliers, inquiries=restored.inquiries, orders=restored.orders,
            )  # fmt: skip
        elif restored.is_new:
            text = _(TEAM_WELCOME)
        else:  # the team came along (a group upgraded to a supergroup): nothing new to say
            return
        await send(context, chat.id, text)
    elif not joined and await service.archive_team(context.db, chat.id, now=context.services.clock.now()):
        log.info("removed from chat %s: its workspace is archived", chat.id)


def _in_group(member: ChatMember) -> bool:
    """In the group: a member, an admin, or restricted but still a member (a restricted bot still serves)."""
    return member.status in ("member", "administrator", "creator") or (member.status == "restricted" and bool(getattr(member, "is_member", False)))


async def member_left(update: Update, context: BotContext) -> None:
    """Someone left the group or was removed (a service message, seen in privacy mode too): out of the team."""
    message = update.effective_message
    gone = message.left_chat_member if message else None
    if gone is not None and not gone.is_bot and update.effective_chat is not None:
        await service.remove_member(context.db, update.effective_chat.id, gone.id)


async def group_migrated(update: Update, context: BotContext) -> None:
    """Telegram upgraded the group to a supergroup: both its service messages name the other chat."""
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id:
        await service.migrate_team(context.db, message.chat_id, message.migrate_to_chat_id)
    elif message.migrate_from_chat_id:
        await service.migrate_team(context.db, message.migrate_from_chat_id, message.chat_id)


async def member_status_changed(update: Update, context: BotContext) -> None:
    """Someone was made an administrator of the group, or no longer is (the bot hears it as an admin)."""
    change = update.chat_member
    if change is None or update.effective_chat is None:
        return
    await service.follow_telegram_status(context.db, update.effective_chat.id, change.new_chat_member.user.id, change.new_chat_member.status)


async def team_command(update: Update, context: BotContext) -> None:
    if context.me.workspace_kind is not WorkspaceKind.TEAM:
        await reply(update, context, context._("/team works in your team's group chat: send it there to see the team."))
        return
    members = await service.team_members(context.db, context.me)
    await reply(update, context, *views.team(context._, members, context.me))


async def role_button(update: Update, context: BotContext) -> None:
    """team:role:{user_id}:{role} — the service checks the presser may, and that the person is in this team."""
    roles = "|".join(role.value for role in ASSIGNABLE_ROLES)
    match = re.fullmatch(rf"team:role:(\d{{1,15}}):({roles})", update.callback_query.data or "")  # type: ignore[union-attr]
    if match is None or context.me.workspace_kind is not WorkspaceKind.TEAM:
        await no_longer_valid(update, context)
        return
    try:
        changed = await service.set_member_role(context.db, context.me, int(match.group(1)), Role(match.group(2)))
    except NotAllowed:
        await update.callback_query.answer(context._("Only the group's admins can change roles."), show_alert=True)  # type: ignore[union-attr]
        return
    if changed is None:
        await no_longer_valid(update, context)
        return
    await update.callback_query.answer(context._("Saved."))  # type: ignore[union-attr]
    text, buttons = views.team(context._, await service.team_members(context.db, context.me), context.me)
    await edit(context, update.callback_query.message, context.me.chat_id, text, buttons=buttons)  # type: ignore[union-attr]


async def invite_command(update: Update, context: BotContext) -> None:
    """/invite in a team's group: a single-use link, valid for a week, that lets someone join the team and
    work for it from their private chat."""
    if context.me.workspace_kind is not WorkspaceKind.TEAM:
        await reply(update, context, context._("/invite works in your team's group chat."))
        return
    token = await service.create_invite(context.db, context.me, now=context.services.clock.now())
    link = f"https://t.me/{context.bot.username}?start=join_{token}"
    await reply(update, context, context._(
        "Send this link to the person joining the team. It works once, for a week:\n{link}\n\nThey can then work "
        "for the team from their private chat with me (/workspace switches).", link=link,
    ))  # fmt: skip


JOIN_TEXTS = {
    service.InviteResult.JOINED: N_("You joined {team}. What you do here is now for the team; /workspace switches back to your own."),
    service.InviteResult.ALREADY: N_("You are already in {team}; /workspace chooses which one you work for here."),
    service.InviteResult.USED: N_("That invite link was used already. Ask the team's admin for a new one (/invite)."),
    service.InviteResult.EXPIRED: N_("That invite link has expired. Ask the team's admin for a new one (/invite)."),
    service.InviteResult.UNKNOWN: N_("That invite link is not one I know. Ask the team's admin for a new one (/invite)."),
}


async def join_team(update: Update, context: BotContext, token: str) -> None:
    """/start join_<token> from an invite link, in the private chat."""
    if in_group(update):
        await reply(update, context, context._("Open the invite link in a private chat with me."))
        return
    joined = await service.join_by_invite(context.db, context.me.user_id, token, now=context.services.clock.now())
    await reply(update, context, context._(JOIN_TEXTS[joined.result], team=joined.team or ""))


async def workspace_command(update: Update, context: BotContext) -> None:
    """/workspace in the private chat: work for your own workspace or for a team you belong to."""
    if in_group(update):
        await reply(update, context, context._("/workspace works in your private chat with me; here you work for this group's team."))
        return
    await reply(update, context, *views.workspace_choice(context._, await service.workspace_choices(context.db, context.me.user_id)))


async def workspace_button(update: Update, context: BotContext) -> None:
    match = re.fullmatch(r"ws:(own|\d{1,12})", update.callback_query.data or "")  # type: ignore[union-attr]
    chosen = None
    if match and not in_group(update):
        chosen = await service.act_for(context.db, context.me.user_id, None if match.group(1) == "own" else int(match.group(1)))
    if chosen is None:
        await no_longer_valid(update, context)
        return
    await update.callback_query.answer()  # type: ignore[union-attr]
    _ = context._
    text = _("From now on you work for {team} here.", team=chosen.title) if chosen.workspace_id else _("From now on you work for your own workspace here.")
    await edit(context, update.callback_query.message, context.me.chat_id, text)  # type: ignore[union-attr]


async def assign_command(update: Update, context: BotContext) -> None:
    """/assign: the team's open inquiries and orders with their owners; pick one, then the teammate."""
    if context.me.workspace_kind is not WorkspaceKind.TEAM:
        await reply(update, context, context._("/assign works for a team: in its group, or after /workspace in a private chat."))
        return
    await reply(update, context, *views.assignables(context._, await service.assignables(context.db, context.me)))


async def assign_button(update: Update, context: BotContext) -> None:
    """asg:{i|o}:{id} shows the teammates; asg:{i|o}:{id}:{user} gives it to one. The service checks both ids."""
    match = re.fullmatch(r"asg:([io]):(\d{1,12})(?::(\d{1,15}))?", update.callback_query.data or "")  # type: ignore[union-attr]
    if match is None or context.me.workspace_kind is not WorkspaceKind.TEAM:
        await no_longer_valid(update, context)
        return
    kind, item_id = match.group(1), int(match.group(2))
    query = update.callback_query
    if match.group(3) is None:
        items = {(item.kind, item.id): item for item in await service.assignables(context.db, context.me)}
        if (kind, item_id) not in items:
            await no_longer_valid(update, context)
            return
        await query.answer()  # type: ignore[union-attr]
        members = await service.team_members(context.db, context.me)
        text, buttons = views.assign_to(context._, items[(kind, item_id)], members)
        await edit(context, query.message, context.me.chat_id, text, buttons=buttons)  # type: ignore[union-attr]
        return
    done = await service.assign(context.db, context.me, kind, item_id, int(match.group(3)))
    if done is None:
        await no_longer_valid(update, context)
        return
    item, member = done
    await query.answer(context._("Saved."))  # type: ignore[union-attr]
    await edit(context, query.message, context.me.chat_id, context._("{item} is {name}'s now.", item=item.title, name=member.name))  # type: ignore[union-attr]
    await notify_team(context, N_("👤 {item} is {name}'s now."), item=item.title, name=member.name)


async def move_command(update: Update, context: BotContext) -> None:
    """/move in a private chat: an inquiry or supplier of one's own workspace into a team one works in."""
    if in_group(update) or context.me.workspace_kind is not WorkspaceKind.PERSONAL:
        await reply(update, context, context._("/move works in your private chat while you work for your own workspace (/workspace)."))
        return
    teams = [choice for choice in await service.workspace_choices(context.db, context.me.user_id) if choice.workspace_id]
    if not teams:
        await reply(update, context, context._("You are in no team yet: join one with an invite link from its admin."))
        return
    await reply(update, context, *views.movables(context._, await service.movables(context.db, context.me)))


async def move_button(update: Update, context: BotContext) -> None:
    """mv:{i|s}:{id} shows the teams; mv:{i|s}:{id}:{team} moves it. The service checks the item and the team."""
    match = re.fullmatch(r"mv:([is]):(\d{1,12})(?::(\d{1,12}))?", update.callback_query.data or "")  # type: ignore[union-attr]
    if match is None or in_group(update) or context.me.workspace_kind is not WorkspaceKind.PERSONAL:
        await no_longer_valid(update, context)
        return
    kind, item_id, query = match.group(1), int(match.group(2)), update.callback_query
    if match.group(3) is None:
        items = {(item.kind, item.id): item for item in await service.movables(context.db, context.me)}
        if (kind, item_id) not in items:
            await no_longer_valid(update, context)
            return
        await query.answer()  # type: ignore[union-attr]
        choices = [choice for choice in await service.workspace_choices(context.db, context.me.user_id) if choice.workspace_id]
        text, buttons = views.move_to(context._, items[(kind, item_id)], choices)
        await edit(context, query.message, context.me.chat_id, text, buttons=buttons)  # type: ignore[union-attr]
        return
    team_id = int(match.group(3))
    moved = await service.move_to_team(context.db, context.me, kind, item_id, team_id)
    if moved is None:
        await no_longer_valid(update, context)
        return
    item, team_title = moved
    await query.answer(context._("Moved."))  # type: ignore[union-attr]
    await edit(context, query.message, context.me.chat_id, context._("{item} now belongs to {team}: the whole team sees it.", item=item.title, team=team_title))  # type: ignore[union-attr]
    in_team = replace(context.me, workspace_id=team_id, workspace_kind=WorkspaceKind.TEAM)
    await notify_team(context, N_("➡️ {name} brought {item} into the team."), actor=in_team, name=update.effective_user.first_name, item=item.title)  # type: ignore[union-attr]


async def export_command(update: Update, context: BotContext) -> None:
    """/export in a chat: that workspace's data; in a private chat, a choice of the workspaces the person may
    take (their own, and the teams they own or administer, archived ones too)."""
    if in_group(update):
        await _send_export(update, context, context.me.workspace_id)
        return
    found = await exports.exportable(context.db, context.me.user_id)
    await reply(update, context, *views.export_choice(context._, found))


async def export_button(update: Update, context: BotContext) -> None:
    match = re.fullmatch(r"exp:(\d{1,12})", update.callback_query.data or "")  # type: ignore[union-attr]
    if match is None:
        await no_longer_valid(update, context)
        return
    await _send_export(update, context, int(match.group(1)))


async def _send_export(update: Update, context: BotContext, workspace_id: int) -> None:
    async with typing(context, context.me.chat_id):
        found = await exports.export_tables(context.db, context.me, workspace_id)
    _ = context._
    if found is None:
        if update.callback_query is not None:
            await no_longer_valid(update, context)
        else:
            await reply(update, context, _("Only the group's admins can export the team's data."))
        return
    if update.callback_query is not None:
        await update.callback_query.answer()
    title, tables_found = found
    name = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-")[:40] or "workspace"
    caption = _("Everything {title} keeps: suppliers, inquiries, answers, quotes, orders, payments and the audit log.", title=title)
    await send_file(context, context.me.chat_id, f"{name}.xlsx", tables.as_xlsx(tables_found), caption)
    await send_file(context, context.me.chat_id, f"{name}-csv.zip", tables.as_csv_zip(tables_found), _("The same as CSV files."))


async def audit_command(update: Update, context: BotContext) -> None:
    """/audit: who did what in this workspace, the latest first (for its admins)."""
    await reply(update, context, views.audit_log(context._, await audit.recent(context.db, context.me)))


def handlers() -> list:
    return [
        ChatMemberHandler(bot_membership_changed, ChatMemberHandler.MY_CHAT_MEMBER),
        ChatMemberHandler(member_status_changed, ChatMemberHandler.CHAT_MEMBER),
        MessageHandler(filters.StatusUpdate.MIGRATE, group_migrated),
        MessageHandler(filters.StatusUpdate.LEFT_CHAT_MEMBER, member_left),
        CommandHandler("team", team_command),
        CallbackQueryHandler(role_button, pattern=r"^team:role:"),
        CommandHandler("export", export_command),
        CallbackQueryHandler(export_button, pattern=r"^exp:"),
        CommandHandler("audit", audit_command),
        CommandHandler("invite", invite_command),
        CommandHandler("assign", assign_command),
        CommandHandler("move", move_command),
        CallbackQueryHandler(move_button, pattern=r"^mv:"),
        CallbackQueryHandler(assign_button, pattern=r"^asg:"),
        CommandHandler("workspace", workspace_command),
        CallbackQueryHandler(workspace_button, pattern=r"^ws:"),
    ]
