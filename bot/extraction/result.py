"""What a supplier reply says, as typed values and as the JSON the bot stores."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bot.extraction.text import decimal_text

FIELDS = (
    "moq",
    "min_order_value",
    "price_tiers",
    "lead_time_days",
    "in_stock",
    "ships_abroad",
    "returns",
    "sample",
    "certifications",
)


@dataclass(frozen=True)
class Moq:
    quantity: Decimal
    unit: str | None  # "件", "个", "pcs", "set"... None when the supplier gave a bare number

    def to_dict(self) -> dict[str, Any]:
        whole = self.quantity == self.quantity.to_integral_value()
        return {"quantity": int(self.quantity) if whole else float(self.quantity), "unit": self.unit}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Moq:
        return cls(Decimal(str(data["quantity"])), data.get("unit"))


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str  # ISO 4217

    def to_dict(self) -> dict[str, Any]:
        return {"amount": decimal_text(self.amount), "currency": self.currency}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Money:
        return cls(Decimal(str(data["amount"])), data.get("currency") or "CNY")


@dataclass(frozen=True)
class PriceTier:
    min_qty: int
    max_qty: int | None
    unit_price: Decimal
    currency: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "min_qty": self.min_qty,
            "max_qty": self.max_qty,
            "unit_price": decimal_text(self.unit_price),
            "currency": self.currency,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PriceTier:
        return cls(int(data["min_qty"]), data.get("max_qty"), Decimal(str(data["unit_price"])), data.get("currency") or "CNY")


@dataclass(frozen=True)
class LeadTime:
    min_days: int | None
    max_days: int

    def to_dict(self) -> dict[str, Any]:
        return {"min": self.min_days, "max": self.max_days}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LeadTime:
        return cls(data.get("min"), int(data["max"]))


@dataclass(frozen=True)
class Returns:
    accepted: bool
    days: int | None

    def to_dict(self) -> dict[str, Any]:
        return {"accepted": self.accepted, "days": self.days}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Returns:
        return cls(bool(data["accepted"]), data.get("days"))


@dataclass(frozen=True)
class Sample:
    available: bool
    price: Decimal | None  # 0 when free

    def to_dict(self) -> dict[str, Any]:
        return {"available": self.available, "price": None if self.price is None else decimal_text(self.price)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Sample:
        price = data.get("price")
        return cls(bool(data["available"]), None if price is None else Decimal(str(price)))


@dataclass(frozen=True)
class ExtractionResult:
    """None means the reply does not speak of it; it never means "no"."""

    moq: Moq | None = None
    min_order_value: Money | None = None
    price_tiers: tuple[PriceTier, ...] = ()
    lead_time_days: LeadTime | None = None
    in_stock: bool | None = None
    ships_abroad: bool | None = None
    returns: Returns | None = None
    sample: Sample | None = None
    certifications: tuple[str, ...] | None = None  # () when the supplier denies having any

    def to_dict(self) -> dict[str, Any]:
        return {
            "moq": self.moq.to_dict() if self.moq else None,
            "min_order_value": self.min_order_value.to_dict() if self.min_order_value else None,
            "price_tiers": [tier.to_dict() for tier in self.price_tiers],
            "lead_time_days": self.lead_time_days.to_dict() if self.lead_time_days else None,
            "in_stock": self.in_stock,
            "ships_abroad": self.ships_abroad,
            "returns": self.returns.to_dict() if self.returns else None,
            "sample": self.sample.to_dict() if self.sample else None,
            "certifications": None if self.certifications is None else list(self.certifications),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ExtractionResult:
        """The result as stored (`to_dict()`); fields the data leaves out are silence."""
        found = {fact.field: fact.value for fact in (Fact.from_json(field, data.get(field)) for field in FIELDS) if fact}
        return cls(**found)

    def facts(self) -> list[Fact]:
        """What the reply speaks of, one fact per field, in FIELDS order (None and no tiers are silence)."""
        return [Fact(field, getattr(self, field)) for field in FIELDS if getattr(self, field) not in (None, ())]


MANUAL = "manual"  # an answer the buyer typed in their own words
FactValue = Moq | Money | tuple[PriceTier, ...] | LeadTime | bool | Returns | Sample | tuple[str, ...] | str
_READERS: dict[str, Any] = {
    "moq": Moq.from_dict,
    "min_order_value": Money.from_dict,
    "price_tiers": lambda tiers: tuple(PriceTier.from_dict(tier) for tier in tiers),
    "lead_time_days": LeadTime.from_dict,
    "in_stock": bool,
    "ships_abroad": bool,
    "returns": Returns.from_dict,
    "sample": Sample.from_dict,
    "certifications": tuple,
    MANUAL: str,
}


@dataclass(frozen=True)
class Fact:
    """One thing a supplier said (or the buyer typed), typed, with the JSON it is stored as."""

    field: str
    value: FactValue

    def to_json(self) -> Any:
        value = self.value
        if isinstance(value, tuple):
            return [item.to_dict() if isinstance(item, PriceTier) else item for item in value]
        if isinstance(value, (bool, str)):
            return value
        return value.to_dict()

    @classmethod
    def from_json(cls, field: str, data: Any) -> Fact | None:
        """None for silence (null, no tiers) and for a field this version does not know."""
        reader = _READERS.get(field)
        if reader is None or data is None or data == []:
            return None
        return cls(field, reader(data))
