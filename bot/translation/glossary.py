"""The sourcing glossary: 1688 jargon that machine translation gets wrong, and what it means for a buyer.

Protected terms are swapped for numbered placeholders ("[[T1]]") before a Chinese text goes to a provider and
swapped back afterwards, so "一件代发" reads "dropshipping" and not "one piece on behalf of hair". Into English a
placeholder becomes the term's English meaning; into any other language it becomes the Chinese term with the
English meaning in parentheses ("一件代发 (dropshipping)"): a second translation of the meaning would cost a provider
call per term and bring back the very errors the glossary is there to avoid, while the Chinese term is what the
buyer will see in the supplier's next message.

Everyday words that providers translate well (工厂, 快递, 海运...) are not protected, since a placeholder in the
middle of a sentence costs some fluency; they still earn the buyer a note.
"""

from __future__ import annotations

import hashlib
import json
import re
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from sqlalchemy import select

from bot.db.models import GlossaryTerm
from bot.db.session import Database
from bot.i18n import N_

ENGLISH = "en"
# Providers keep bracketed codes; restoring accepts the ways they mangle them: [[ T1 ]], [T1], 【T1】, ［［t1］］.
PLACEHOLDER = "[[T{number}]]"
PLACEHOLDER_FOUND = re.compile(r"[\[［【〚⟦]{1,2}\s*[Tt]\s*(\d{1,3})\s*[\]］】〛⟧]{1,2}")
_VERSION_SCHEME = "glossary-v1"


@dataclass(frozen=True)
class Term:
    term_zh: str
    meaning: str  # English, short enough to stand in a sentence
    note: str  # a msgid for built-in terms, the workspace's own words for its terms
    protect: bool = True
    pattern: str | None = None  # a regex, for terms that are also parts of everyday words


class GlossaryNote(NamedTuple):
    term_zh: str
    meaning: str
    note: str


def _term(term_zh: str, meaning: str, note: str, *, protect: bool = True, pattern: str | None = None) -> Term:
    return Term(term_zh, meaning, note, protect, pattern)


# 亲 the greeting ("亲，在的", "亲们"), not the 亲 of 亲自 (in person), 父亲 (father) or 亲爱 (dear, said anyway).
_QIN = r"(?<![父母双相探乡成求娘表血近至宗定结省和可肉])亲(?:亲|们)?(?![自人戚属切手身眼子友密近情生历笔爱口吻热睐])"

BUILT_IN_TERMS: tuple[Term, ...] = (
    # Quantities and ordering
    _term(
        "起订量",
        "MOQ",
        N_(
            "Minimum order quantity: the fewest pieces the supplier sells in one order. Often negotiable for a first order."
        ),
    ),
    _term("起批", "minimum wholesale quantity", N_("The quantity from which the wholesale price applies.")),
    _term("混批", "mixed batch", N_("You may mix styles, colours or sizes to reach the minimum quantity.")),
    _term(
        "一件代发",
        "dropshipping",
        N_("The supplier ships single pieces straight to your customer; usually inside China only."),
    ),
    _term(
        "拍下",
        "place the order",
        N_("Putting the item in an order on 1688 without paying yet; the supplier may then adjust the price."),
        pattern=r"拍下(?!来)",
    ),
    _term(
        "改价",
        "price adjustment",
        N_("The supplier edits the price of an order you placed, for example to add shipping or a discount."),
    ),
    _term("现货", "in stock", N_("Ready goods that can ship within days, not made to order.")),
    _term("库存", "stock", N_("Goods the supplier holds now; ask how many are left before you pay."), protect=False),
    _term("断货", "out of stock", N_("Sold out for now; ask when it will be restocked."), protect=False),
    _term("预售", "pre-sale", N_("Sold before it is made or delivered; check the shipping date."), protect=False),
    _term("补货", "restocking", N_("New stock is on its way; ask for the date."), protect=False),
    # Samples and production
    _term(
        "打样", "sampling", N_("Making a sample before the bulk order; there is usually a fee and a few days' wait.")
    ),
    _term(
        "样品费",
        "sample fee",
        N_("Price of a sample; often refunded once you place a bulk order - ask."),
        protect=False,
    ),
    _term(
        "大货",
        "bulk production",
        N_("The full production order, as opposed to samples. Quality should match the approved sample."),
    ),
    _term("交期", "lead time", N_("Time from payment to the goods being ready to ship, not to delivery.")),
    _term(
        "定制",
        "customization",
        N_("Made to your specification (logo, colour, size); raises the minimum quantity and the lead time."),
        protect=False,
    ),
    _term(
        "贴牌",
        "OEM (your own brand)",
        N_("The supplier puts your brand on their product. Make sure you own or may use the brand."),
    ),
    _term("开模", "tooling", N_("Making a new mould for your design: a one-off cost and several weeks.")),
    _term("模具费", "mould fee", N_("One-off cost of the mould; ask who owns the mould afterwards.")),
    _term("排单", "production queue", N_("Your order waits for a production slot; ask when it starts.")),
    _term("产能", "production capacity", N_("How much the factory can make per day or month."), protect=False),
    _term("加急", "rush order", N_("Faster production, usually for a surcharge.")),
    # Prices and payment
    _term("批发价", "wholesale price", N_("Price per piece at wholesale quantities."), protect=False),
    _term("零售价", "retail price", N_("Suggested shop price, not what you pay."), protect=False),
    _term("出厂价", "ex-factory price", N_("Price at the factory gate: no shipping, often no tax.")),
    _term(
        "阶梯价",
        "tiered pricing",
        N_("The unit price falls as the quantity rises; check which tier your quantity reaches."),
    ),
    _term("议价", "price negotiation", N_("The price is open to negotiation."), protect=False),
    _term("面议", "price on request", N_("The listed price is a placeholder; ask for a real quote.")),
    _term("含税", "tax included", N_("The price includes Chinese VAT, so the supplier can issue an invoice.")),
    _term(
        "开票",
        "invoicing",
        N_("The supplier issues a Chinese tax invoice (fapiao); prices without it are usually lower."),
    ),
    _term("增值税", "VAT", N_("Chinese value-added tax on goods, usually 13%."), protect=False),
    _term(
        "专票", "special VAT invoice", N_("A VAT invoice a Chinese company can deduct; foreign buyers rarely need it.")
    ),
    _term("普票", "ordinary invoice", N_("A plain Chinese invoice without deductible VAT.")),
    _term(
        "定金",
        "deposit",
        N_("Paid before production starts, often 30%. Usually not refundable once production begins."),
    ),
    _term(
        "尾款",
        "balance payment",
        N_("The rest of the price, paid before the goods ship. Ask for photos or an inspection first."),
    ),
    _term("账期", "payment terms", N_("How long you may take to pay after delivery; rare for new buyers.")),
    _term(
        "对公账户",
        "company bank account",
        N_("Paying the supplier's company account rather than a person's is safer and traceable."),
    ),
    _term("支付宝", "Alipay", N_("Chinese online payment service; 1688 orders are paid through it."), protect=False),
    _term(
        "诚信通",
        "TrustPass membership",
        N_("A paid 1688 membership; it shows the seller is registered, not that the goods are good."),
    ),
    _term("实力商家", "Power Merchant", N_("A 1688 badge for larger sellers that passed extra checks.")),
    _term("超级工厂", "Super Factory", N_("A 1688 badge for factories that 1688 inspected on site.")),
    _term(
        "深度验厂",
        "in-depth factory audit",
        N_("A third party visited and checked the factory; the report is on the shop page."),
    ),
    _term(
        "跨境宝",
        "Kuajingbao (1688 cross-border service)",
        N_("1688's service for overseas buyers: payment and shipping through 1688's partners."),
    ),
    _term(
        "一手货源", "first-hand source", N_("The seller claims to be the maker or first distributor, not a reseller.")
    ),
    _term(
        "厂家直销",
        "direct from the factory",
        N_("Sold by the maker, according to the seller; check the business licence."),
        protect=False,
    ),
    _term("工厂", "factory", N_("A manufacturer; 1688 also lists traders, so check the shop's type."), protect=False),
    _term(
        "贸易公司",
        "trading company",
        N_("A reseller, not the maker: easier for small mixed orders, less control over production."),
        protect=False,
    ),
    _term("回头率", "repeat-buyer rate", N_("Share of buyers who ordered again from this shop; higher is better.")),
    _term("响应率", "response rate", N_("How often the shop answers messages; low means slow replies.")),
    _term(
        "营业执照",
        "business licence",
        N_("Company registration; it shows whether the seller is a factory or a trader."),
        protect=False,
    ),
    # Chat
    _term(
        "亲", "dear", N_("A friendly way sellers address customers; it carries no meaning of its own."), pattern=_QIN
    ),
    _term(
        "阿里旺旺",
        "AliWangwang",
        N_("The 1688 and Taobao chat app; messages there are the record if there is a dispute."),
    ),
    _term(
        "旺旺", "AliWangwang", N_("The 1688 and Taobao chat app; messages there are the record if there is a dispute.")
    ),
    _term(
        "微信",
        "WeChat",
        N_("Chinese messaging app; deals agreed there are not covered by 1688's buyer protection."),
        protect=False,
    ),
    # Packing and weights
    _term(
        "包装",
        "packaging",
        N_("How each piece is packed; ask for photos if it matters to your customers."),
        protect=False,
    ),
    _term("外箱", "outer carton", N_("The shipping carton that holds many pieces."), protect=False),
    _term(
        "箱规",
        "carton specifications",
        N_("Pieces per carton, carton size and weight: what a freight forwarder needs for a quote."),
    ),
    _term("毛重", "gross weight", N_("Weight including packaging."), protect=False),
    _term("净重", "net weight", N_("Weight of the goods alone."), protect=False),
    _term(
        "体积重",
        "volumetric weight",
        N_("Weight charged for bulky light parcels: length x width x height / 5000 or 6000 (cm)."),
    ),
    _term("彩盒", "retail colour box", N_("A printed retail box per piece, usually extra cost.")),
    _term("吊牌", "hang tag", N_("The label hanging on a garment or product.")),
    _term(
        "唛头",
        "shipping marks",
        N_("Text printed on cartons (your name, carton numbers); ask your forwarder what they need."),
    ),
    _term("托盘", "pallet", N_("Cartons stacked on a pallet; needed for some sea or air shipments."), protect=False),
    _term("打托", "palletizing", N_("Stacking and wrapping cartons on pallets, usually charged separately.")),
    # Shipping
    _term(
        "包邮",
        "free domestic shipping",
        N_("Shipping is free only inside mainland China, to your forwarder's warehouse - not to your country."),
    ),
    _term(
        "运费到付",
        "freight collect",
        N_("You pay the courier on delivery instead of the supplier adding it to the price."),
    ),
    _term(
        "到付", "pay on delivery", N_("The receiver pays the courier; make sure your forwarder accepts such parcels.")
    ),
    _term("首重", "first-weight charge", N_("Courier price for the first kilogram (or half kilogram).")),
    _term("续重", "additional-weight charge", N_("Courier price for each extra kilogram after the first.")),
    _term(
        "发货",
        "dispatch",
        N_("When the supplier hands the goods to the courier, not when they reach you."),
        protect=False,
    ),
    _term(
        "快递",
        "express courier",
        N_("Parcel delivery inside China, usually 1-3 days to your forwarder."),
        protect=False,
    ),
    _term(
        "物流",
        "freight logistics",
        N_("Freight by truck line, cheaper and slower than a courier for heavy goods."),
        protect=False,
    ),
    _term("顺丰", "SF Express", N_("Fast, reliable and more expensive Chinese courier.")),
    _term("中通", "ZTO Express", N_("A cheap common Chinese courier.")),
    _term("圆通", "YTO Express", N_("A cheap common Chinese courier.")),
    _term("韵达", "Yunda Express", N_("A cheap common Chinese courier.")),
    _term("货代", "freight forwarder", N_("The company that collects goods in China and ships them abroad for you.")),
    _term(
        "专线", "dedicated shipping line", N_("A forwarder's regular route to one country, often with duties included.")
    ),
    _term(
        "双清包税",
        "double clearance, duties included",
        N_("Export and import customs plus duties are in the price (like DDP); ask what is excluded."),
    ),
    _term("包税", "duties included", N_("Import duties and taxes are in the freight price; ask which ones.")),
    _term("海运", "sea freight", N_("Cheapest for heavy goods; 3-6 weeks at sea."), protect=False),
    _term("空运", "air freight", N_("Faster than sea, priced by weight or volume."), protect=False),
    _term("整柜", "full container load", N_("A whole container for your goods (FCL)."), protect=False),
    _term("拼柜", "shared container", N_("Your goods share a container with others (LCL), for smaller shipments.")),
    _term(
        "敏感货",
        "sensitive goods",
        N_("Batteries, liquids, powders, magnets or brands: not every shipping line takes them."),
    ),
    _term("带电", "contains batteries", N_("Goods with batteries need special shipping lines.")),
    _term(
        "报关",
        "export declaration",
        N_("Customs paperwork to leave China; without it the supplier cannot give export documents."),
        protect=False,
    ),
    _term("清关", "customs clearance", N_("Getting the goods through customs at the destination."), protect=False),
    # Quality and after-sales
    _term(
        "质检",
        "quality check",
        N_("Inspection of the goods; ask for photos or a video before the balance payment."),
        protect=False,
    ),
    _term(
        "验货",
        "goods inspection",
        N_("Checking the goods before they ship, by you, your agent or an inspection company."),
        protect=False,
    ),
    _term(
        "色差", "colour difference", N_("The colour may differ from the photos; sellers often exclude it from returns.")
    ),
    _term(
        "瑕疵", "defect", N_("A flaw in the goods; agree beforehand what rate of defects is acceptable."), protect=False
    ),
    _term(
        "退换", "returns and exchanges", N_("Returning or exchanging goods; usually only inside China."), protect=False
    ),
    _term(
        "七天无理由",
        "7-day no-reason returns",
        N_("Returns within 7 days without giving a reason, inside China; rarely practical from abroad."),
    ),
    _term("售后", "after-sales service", N_("Help after delivery: returns, repairs, replacements."), protect=False),
    _term(
        "正品",
        "genuine product",
        N_("Claimed to be authentic; branded goods on 1688 without a licence are a risk."),
        protect=False,
    ),
    _term("尾货", "end-of-line stock", N_("Leftover stock at a low price; quantities and sizes are limited.")),
    _term("仿牌", "imitation brand", N_("Copies of branded goods: customs can seize them and you can be fined.")),
)


@dataclass(frozen=True)
class FoundTerm:
    term: Term
    start: int
    end: int


@dataclass(frozen=True)
class Glossary:
    terms: tuple[Term, ...]

    @cached_property
    def _finder(self) -> re.Pattern[str] | None:
        if not self.terms:
            return None
        # Longest first, so that at any position 超级工厂 wins over 工厂.
        ordered = sorted(range(len(self.terms)), key=lambda index: -len(self.terms[index].term_zh))
        alternatives = [f"(?P<t{i}>{self.terms[i].pattern or re.escape(self.terms[i].term_zh)})" for i in ordered]
        # Every match starts with a term's first character (patterns too); checking that first is ~5x faster.
        first_characters = re.escape("".join(sorted({term.term_zh[0] for term in self.terms})))
        return re.compile(f"(?=[{first_characters}])(?:{'|'.join(alternatives)})")

    def find(self, text: str) -> list[FoundTerm]:
        """Every term in `text`, left to right, never overlapping."""
        if self._finder is None:
            return []
        found = []
        for match in self._finder.finditer(text):
            index = int(match.lastgroup[1:]) if match.lastgroup else -1
            found.append(FoundTerm(self.terms[index], match.start(), match.end()))
        return found

    def extended(self, extra: Iterable[Term]) -> Glossary:
        """This glossary with `extra` terms added; an extra term replaces a term of the same spelling."""
        extra = tuple(extra)
        replaced = {term.term_zh for term in extra}
        return Glossary(tuple(term for term in self.terms if term.term_zh not in replaced) + extra)


BUILT_IN_GLOSSARY = Glossary(BUILT_IN_TERMS)


_loaded: weakref.WeakKeyDictionary[Database, dict[int, Glossary]] = weakref.WeakKeyDictionary()


async def load_glossary(database: Database, workspace_id: int | None) -> Glossary:
    """The built-in glossary extended by the workspace's own terms (kept in memory until they change)."""
    if workspace_id is None:
        return BUILT_IN_GLOSSARY
    loaded = _loaded.setdefault(database, {})
    if workspace_id in loaded:
        return loaded[workspace_id]
    async with database.session() as session:
        rows = (await session.execute(select(GlossaryTerm).where(GlossaryTerm.workspace_id == workspace_id))).scalars()
        extra = [Term(row.term_zh.strip(), row.meaning.strip(), (row.note or "").strip()) for row in rows]
    extra = [term for term in extra if term.term_zh and term.meaning]
    glossary = loaded[workspace_id] = BUILT_IN_GLOSSARY.extended(extra) if extra else BUILT_IN_GLOSSARY
    return glossary


def forget_glossary(database: Database, workspace_id: int) -> None:
    """The workspace's terms changed: the next translation reads them again."""
    _loaded.get(database, {}).pop(workspace_id, None)


def glossary_version(terms: Iterable[Term]) -> str:
    """Changes whenever a term that shapes the translation changes: the protected terms used, as a hash."""
    shaping = sorted({(term.term_zh, term.meaning) for term in terms if term.protect})
    payload = json.dumps([_VERSION_SCHEME, shaping], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def notes_for(found: Sequence[FoundTerm]) -> list[GlossaryNote]:
    """One note per distinct term, in order of first appearance."""
    notes: dict[str, GlossaryNote] = {}
    for item in found:
        notes.setdefault(item.term.term_zh, GlossaryNote(item.term.term_zh, item.term.meaning, item.term.note))
    return list(notes.values())


def without_terms(text: str, found: Sequence[FoundTerm]) -> str:
    """`text` with every found term blanked out, e.g. so the number guard skips the 七 of 七天无理由.

    Terms become spaces of the same length, so positions in the result are positions in `text`.
    """
    blanked = list(text)
    for item in found:
        blanked[item.start : item.end] = " " * (item.end - item.start)
    return "".join(blanked)


def rendering(term: Term, target: str) -> str:
    """What a protected term becomes in a translation into `target` (see the module's docstring)."""
    if target == ENGLISH:
        return term.meaning
    return f"{term.term_zh} ({term.meaning})"


@dataclass(frozen=True)
class Restored:
    text: str
    missing: list[Term] = field(default_factory=list)


@dataclass(frozen=True)
class ProtectedText:
    text: str  # the source with placeholders where protected terms were
    terms: tuple[Term, ...]  # placeholder number n stands for terms[n - 1]

    def restore(self, translated: str, target: str) -> Restored:
        """Swap placeholders (however mangled) back for the terms' renderings; report terms whose placeholder is gone."""
        seen: set[int] = set()

        def swap(match: re.Match[str]) -> str:
            number = int(match.group(1))
            if not 1 <= number <= len(self.terms):
                return match.group(0)
            seen.add(number)
            return rendering(self.terms[number - 1], target)

        restored = PLACEHOLDER_FOUND.sub(swap, translated) if self.terms else translated
        missing = [term for number, term in enumerate(self.terms, start=1) if number not in seen]
        return Restored(restored, missing)


def protect(text: str, found: Sequence[FoundTerm]) -> ProtectedText:
    """Replace each protected term with its numbered placeholder; the same term always gets the same number."""
    numbers: dict[Term, int] = {}
    pieces: list[str] = []
    position = 0
    for item in found:
        if not item.term.protect:
            continue
        number = numbers.setdefault(item.term, len(numbers) + 1)
        pieces.append(text[position : item.start])
        pieces.append(PLACEHOLDER.format(number=number))
        position = item.end
    pieces.append(text[position:])
    return ProtectedText("".join(pieces), tuple(numbers))
