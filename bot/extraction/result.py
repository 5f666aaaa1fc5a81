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
    "carton",
    "unit_weight_kg",
    "oem",
    "ships_to_forwarder",
    "free_domestic_shipping",
    "price_includes_tax",
    "stock_partial",
)
# What facts() yields: the printed fields and the certificates named as missing.
FACT_FIELDS = (*FIELDS, "certifications_missing")


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
    quality_only: bool = False  # only for defects (质量问题包退换)

    def to_dict(self) -> dict[str, Any]:
        return {"accepted": self.accepted, "days": self.days, "quality_only": self.quality_only}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Returns:
        return cls(bool(data["accepted"]), data.get("days"), bool(data.get("quality_only")))


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


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@dataclass(frozen=True)
class Carton:
    """An export carton: what a forwarder needs to quote the freight. Any part may be unknown."""

    units: int | None = None
    length_cm: Decimal | None = None
    width_cm: Decimal | None = None
    height_cm: Decimal | None = None
    gross_kg: Decimal | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "units": self.units,
            "length_cm": _number(self.length_cm),
            "width_cm": _number(self.width_cm),
            "height_cm": _number(self.height_cm),
            "gross_kg": _number(self.gross_kg),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Carton:
        units = data.get("units")
        return cls(
            None if units is None else int(units),
            _decimal(data.get("length_cm")),
            _decimal(data.get("width_cm")),
            _decimal(data.get("height_cm")),
            _decimal(data.get("gross_kg")),
        )


@dataclass(frozen=True)
class Oem:
    """Logo printing and custom products."""

    available: bool
    fee: Decimal | None = None  # a one-off tooling, plate or set-up fee, in yuan
    min_qty: int | None = None

    def to_dict(self) -> dict[str, Any]:
        fee = None if self.fee is None else decimal_text(self.fee)
        return {"available": self.available, "fee": fee, "min_qty": self.min_qty}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Oem:
        min_qty = data.get("min_qty")
        return cls(bool(data["available"]), _decimal(data.get("fee")), None if min_qty is None else int(min_qty))


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
    carton: Carton | None = None
    unit_weight_kg: Decimal | None = None
    oem: Oem | None = None
    ships_to_forwarder: bool | None = None
    free_domestic_shipping: bool | None = None  # 包邮: delivery within China included in the price
    price_includes_tax: bool | None = None  # 含税 / 开票
    stock_partial: bool | None = None  # only part of the quantity is in stock
    certifications_missing: tuple[str, ...] = ()  # named as not held or still being applied for
    not_understood: tuple[str, ...] = ()  # clauses with a number no reader could place

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
            "carton": self.carton.to_dict() if self.carton else None,
            "unit_weight_kg": _number(self.unit_weight_kg),
            "oem": self.oem.to_dict() if self.oem else None,
            "ships_to_forwarder": self.ships_to_forwarder,
            "free_domestic_shipping": self.free_domestic_shipping,
            "price_includes_tax": self.price_includes_tax,
            "stock_partial": self.stock_partial,
            "certifications_missing": list(self.certifications_missing),
            "not_understood": list(self.not_understood),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ExtractionResult:
        """The result as stored (`to_dict()`); fields the data leaves out are silence."""
        found = {fact.field: fact.value for fact in (Fact.from_json(field, data.get(field)) for field in FACT_FIELDS) if fact}
        return cls(**found, not_understood=tuple(data.get("not_understood") or ()))

    def facts(self) -> list[Fact]:
        """What the reply speaks of, one fact per field, in FIELDS order (None and no tiers are silence). Stock
        held in part is one fact, "part in stock", not also "in stock"."""
        found = [Fact(field, getattr(self, field)) for field in FACT_FIELDS if getattr(self, field) not in (None, ())]
        if self.stock_partial:
            found = [fact for fact in found if fact.field != "in_stock"]
        return found


MANUAL = "manual"  # an answer the buyer typed in their own words
FactValue = (
    Moq | Money | tuple[PriceTier, ...] | LeadTime | bool | Returns | Sample | tuple[str, ...] | Carton | Oem | Decimal | str
)
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
    "certifications_missing": tuple,
    "carton": Carton.from_dict,
    "unit_weight_kg": lambda weight: Decimal(str(weight)),
    "oem": Oem.from_dict,
    "ships_to_forwarder": bool,
    "free_domestic_shipping": bool,
    "price_includes_tax": bool,
    "stock_partial": bool,
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
        if isinstance(value, Decimal):
            return _number(value)
        return value.to_dict()

    @classmethod
    def from_json(cls, field: str, data: Any) -> Fact | None:
        """None for silence (null, no tiers) and for a field this version does not know."""
        reader = _READERS.get(field)
        if reader is None or data is None or data == []:
            return None
        return cls(field, reader(data))
