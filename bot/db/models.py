"""The database schema as typed SQLAlchemy 2 models. Every domain row belongs to a workspace."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes on both SQLite (which drops the zone) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    first_name: Mapped[str] = mapped_column(String(128), default="")
    username: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str | None] = mapped_column(String(16))  # chosen with /language
    telegram_language: Mapped[str | None] = mapped_column(String(16))
    # In the private chat, the team this person acts for (None: their own workspace); see /workspace.
    acting_workspace_id: Mapped[int | None] = mapped_column(ForeignKey("workspaces.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Workspace(Base):
    """A private chat is a personal workspace; a group chat is a team workspace."""

    __tablename__ = "workspaces"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # WorkspaceKind value
    title: Mapped[str] = mapped_column(String(256), default="")
    destination_country: Mapped[str | None] = mapped_column(String(2))
    currency: Mapped[str | None] = mapped_column(String(3))
    forwarder_address: Mapped[str | None] = mapped_column(Text)
    follow_up_hours: Mapped[float | None] = mapped_column()
    auto_confirm: Mapped[bool] = mapped_column(Boolean, default=False)
    default_checklist: Mapped[list[Any] | None] = mapped_column()
    # The team's own exchange rates, {"CNY/SGD": {"rate": "0.1850", "on": "2026-11-30"}}: one CNY in SGD.
    fx_rates: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")
    # Duty and import tax per destination, percentages: {"AU": {"duty": "5", "tax": "10"}}.
    import_rates: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")
    shipping_rates_csv: Mapped[str | None] = mapped_column(Text)  # the forwarder's rate table, replacing the example
    # Payments over this many yuan wait for an admin's approval; None: no approval needed.
    payment_approval_over: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    archived_at: Mapped[datetime | None] = mapped_column()  # the bot was removed from the group; data kept
    language: Mapped[str | None] = mapped_column(String(16))  # a team's: what the bot says to the whole group
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(back_populates="workspace", cascade="all, delete-orphan")


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("workspace_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16), default="member")
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)

    workspace: Mapped[Workspace] = relationship(back_populates="memberships")


class Supplier(Base):
    __tablename__ = "suppliers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    offer_id: Mapped[str | None] = mapped_column(String(32))
    shop: Mapped[str | None] = mapped_column(String(64))
    url: Mapped[str | None] = mapped_column(String(512))
    seller_type: Mapped[str | None] = mapped_column(String(16))
    agent_commission_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    wechat: Mapped[str | None] = mapped_column(String(64))
    aliwangwang: Mapped[str | None] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(String(32))
    trust: Mapped[dict[str, Any]] = mapped_column(default=dict)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CustomQuestion(Base):
    __tablename__ = "custom_questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)  # in the buyer's language
    text_zh: Mapped[str | None] = mapped_column(Text)
    # On the workspace's list for everyone; a team member's own question stays with the inquiry it was asked in.
    shared: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Inquiry(Base):
    __tablename__ = "inquiries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    created_by: Mapped[int] = mapped_column(BigInteger, index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)  # InquiryStatus value
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id", ondelete="SET NULL"))
    product: Mapped[str | None] = mapped_column(Text)
    quantity: Mapped[int | None] = mapped_column(Integer)
    unit: Mapped[str | None] = mapped_column(String(16))
    destination_country: Mapped[str | None] = mapped_column(String(2))
    currency: Mapped[str | None] = mapped_column(String(3))
    questions: Mapped[list[Any]] = mapped_column(default=list)
    certifications_needed: Mapped[list[Any]] = mapped_column(default=list, server_default="[]")  # codes: CE, RCM...
    forwarder_address: Mapped[str | None] = mapped_column(Text)  # when the writer may not set the workspace's
    reached_summary: Mapped[bool] = mapped_column(Boolean, default=False)
    message_zh: Mapped[str | None] = mapped_column(Text)
    # The numbered questions of the last message sent ("3. 付款后几天可以发货？"), to read answers by number.
    asked_zh: Mapped[list[Any]] = mapped_column(default=list, server_default="[]")
    # A follow-up drafted and not (yet) marked sent: the supplier may answer by its numbering all the same.
    drafted_zh: Mapped[list[Any]] = mapped_column(default=list, server_default="[]")
    sent_at: Mapped[datetime | None] = mapped_column()
    last_asked_at: Mapped[datetime | None] = mapped_column()  # the latest message to the supplier: first or follow-up
    chosen_at: Mapped[datetime | None] = mapped_column()  # the buyer accepted this supplier's quote
    assignee_id: Mapped[int | None] = mapped_column(BigInteger)  # the teammate who owns it (/assign); None: its writer
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    # Loaded only where asked for (with the inquiry, in one query), never lazily behind an await.
    workspace: Mapped[Workspace] = relationship(lazy="raise")


class SupplierReply(Base):
    """A message the buyer pasted from a supplier, kept in the original with its translation."""

    __tablename__ = "supplier_replies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    inquiry_id: Mapped[int | None] = mapped_column(ForeignKey("inquiries.id", ondelete="SET NULL"), index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    translation: Mapped[str | None] = mapped_column(Text)
    facts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Messages pasted in a row are read as one batch: the first holds the batch's translation and facts, and the
    # others' batch_id is its id.
    batch_id: Mapped[int | None] = mapped_column(Integer, index=True)
    created_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column()  # read (rows are stored when their batch is read)

    __table_args__ = (UniqueConstraint("chat_id", "message_id"),)


class Answer(Base):
    """One fact found for one checklist question; recorded once the buyer confirms it."""

    __tablename__ = "answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inquiry_id: Mapped[int] = mapped_column(ForeignKey("inquiries.id", ondelete="CASCADE"), index=True)
    question_key: Mapped[str] = mapped_column(String(32))
    field: Mapped[str] = mapped_column(String(32))
    value: Mapped[dict[str, Any]] = mapped_column()
    status: Mapped[str] = mapped_column(String(16))  # AnswerStatus value
    reply_id: Mapped[int | None] = mapped_column(ForeignKey("supplier_replies.id", ondelete="SET NULL"))
    evidence: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Reminder(Base):
    """A stored reminder; the job queue is rebuilt from these rows on every start."""

    __tablename__ = "reminders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    inquiry_id: Mapped[int | None] = mapped_column(ForeignKey("inquiries.id", ondelete="CASCADE"), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    due_at: Mapped[datetime] = mapped_column(index=True)
    sent_at: Mapped[datetime | None] = mapped_column()
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)


class TemplateOverride(Base):
    __tablename__ = "template_overrides"
    __table_args__ = (UniqueConstraint("workspace_id", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class GlossaryTerm(Base):
    """A workspace's own glossary term, protected through translation like the built-in terms."""

    __tablename__ = "glossary_terms"
    __table_args__ = (UniqueConstraint("workspace_id", "term_zh"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    term_zh: Mapped[str] = mapped_column(String(64))
    meaning: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Order(Base):
    """An accepted quote on its way to the buyer's door."""

    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    inquiry_id: Mapped[int | None] = mapped_column(ForeignKey("inquiries.id", ondelete="SET NULL"), index=True)
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id", ondelete="SET NULL"))
    product: Mapped[str] = mapped_column(Text)
    quantity: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str | None] = mapped_column(String(16))
    unit_price: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))
    currency: Mapped[str] = mapped_column(String(3))  # the unit price's
    status: Mapped[str] = mapped_column(String(24), index=True)  # OrderStatus value
    tracking_number: Mapped[str | None] = mapped_column(String(64))
    payment_method: Mapped[str | None] = mapped_column(String(24))  # PaymentMethod value
    payment_proof_file_id: Mapped[str | None] = mapped_column(String(256))  # a Telegram file: photo or PDF
    destination_country: Mapped[str | None] = mapped_column(String(2))
    kind: Mapped[str] = mapped_column(String(8), default="order", server_default="order")  # OrderKind value
    shipping_method: Mapped[str | None] = mapped_column(String(16))  # ShippingMethod value
    via_forwarder: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    cartons: Mapped[int | None] = mapped_column(Integer)
    lead_days: Mapped[int | None] = mapped_column(Integer)  # production or dispatch, the supplier's longest
    transit_days_min: Mapped[int | None] = mapped_column(Integer)
    transit_days_max: Mapped[int | None] = mapped_column(Integer)
    balance_due: Mapped[date | None] = mapped_column(Date)
    approved_by: Mapped[int | None] = mapped_column(BigInteger)  # the admin who approved paying it
    approved_at: Mapped[datetime | None] = mapped_column()
    approved_amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))  # what was left to pay then
    problem: Mapped[str | None] = mapped_column(Text)  # the buyer's words for what is wrong, in a dispute
    defect_quantity: Mapped[int | None] = mapped_column(Integer)
    assignee_id: Mapped[int | None] = mapped_column(BigInteger)  # the teammate who owns it (/assign); None: its maker
    created_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Payment(Base):
    """Money paid for an order: a deposit, the balance, or all of it at once."""

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # PaymentKind value
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 4))
    currency: Mapped[str] = mapped_column(String(3))
    method: Mapped[str | None] = mapped_column(String(24))  # PaymentMethod value
    share_pct: Mapped[Decimal | None] = mapped_column(Numeric(7, 4))  # of the goods total, for a deposit
    by: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[datetime] = mapped_column()


class OrderEvent(Base):
    """One move of an order: from which status to which, by whom and when."""

    __tablename__ = "order_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    # Something done without a move: "message:<kind>" sent to the supplier, "approved", "payment:<kind>".
    note: Mapped[str | None] = mapped_column(String(48))
    by: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[datetime] = mapped_column()


class ExchangeRate(Base):
    """The European Central Bank's daily reference rates: units of a currency for one euro, with their date."""

    __tablename__ = "exchange_rates"

    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    per_eur: Mapped[str] = mapped_column(String(32))  # a decimal, kept exact
    as_of: Mapped[date] = mapped_column(Date)
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow)


class TranslationMemoryEntry(Base):
    __tablename__ = "translation_memory"
    __table_args__ = (UniqueConstraint("provider", "source_lang", "target_lang", "text_hash", "glossary_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider: Mapped[str] = mapped_column(String(32))
    source_lang: Mapped[str] = mapped_column(String(16))
    target_lang: Mapped[str] = mapped_column(String(16))
    text_hash: Mapped[str] = mapped_column(String(64), index=True)
    glossary_version: Mapped[str] = mapped_column(String(64))
    source_text: Mapped[str] = mapped_column(Text)
    translated_text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class InboxUpdate(Base):
    """An update from Telegram: stored before Telegram is told it arrived, handled once, and marked done when
    its replies went out. `outbox` keeps the replies written for it until they are delivered, so a restart
    in between sends them instead of handling the update again."""

    __tablename__ = "update_inbox"

    bot_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    payload: Mapped[dict[str, Any] | None] = mapped_column()  # dropped once done; the id stays, for redeliveries
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    outbox: Mapped[list[Any] | None] = mapped_column()
    done_at: Mapped[datetime | None] = mapped_column(index=True)


class Conversation(Base):
    """Where one person is in one chat: the flow and step they are in (none between flows) and what the flows
    keep for them. Written with the turn's replies, before they are sent."""

    __tablename__ = "conversations"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    flow: Mapped[str | None] = mapped_column(String(32))
    step: Mapped[int | None] = mapped_column(Integer)
    memo: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AuditEvent(Base):
    """Who did what in a workspace, and when: kept for the team's admins (/audit) and its export."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(BigInteger)  # None: Telegram did it (the bot removed, a migration)
    action: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class Invite(Base):
    """A single-use link into a team (`/start join_<token>`), valid until it expires."""

    __tablename__ = "invites"

    token: Mapped[str] = mapped_column(String(32), primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    created_by: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[datetime] = mapped_column()
    used_by: Mapped[int | None] = mapped_column(BigInteger)
    used_at: Mapped[datetime | None] = mapped_column()
