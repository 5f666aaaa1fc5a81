"""Facts from supplier replies: minimum order, prices, lead time, stock, shipping, returns, samples, certifications."""

from bot.extraction.extractor import extract
from bot.extraction.result import (
    FIELDS,
    ExtractionResult,
    LeadTime,
    Money,
    Moq,
    PriceTier,
    Returns,
    Sample,
)

__all__ = [
    "FIELDS",
    "ExtractionResult",
    "LeadTime",
    "Money",
    "Moq",
    "PriceTier",
    "Returns",
    "Sample",
    "extract",
]
