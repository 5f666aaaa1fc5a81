"""What a supplier offers besides the goods: logo printing and custom products (OEM), delivery to the buyer's
forwarder in China, free domestic shipping (包邮) and prices with tax (含税, 开票).

Each is a yes or a no; a negation before the phrase (不接受定制, 不包邮) or after it (logo印不了, 货代不发) turns it
round, and a plain "可以" answering a question about it counts too.
"""

from __future__ import annotations

import re
from decimal import Decimal

from bot.extraction.result import Oem
from bot.extraction.terms import is_negated, negated_after
from bot.extraction.text import CURRENCY_AFTER, CURRENCY_BEFORE, FRESH_NUM, NUM, UNIT, Prepared, answer_polarity

# --- logo and OEM -----------------------------------------------------------------------------------------------

# 定制 alone is as often "made to order" (这个需要定制，不是现货) as "customised": it counts when offered or with
# what is customised.
_OEM = re.compile(
    r"logo|oem|odm|印字|丝印|烫金|激光雕刻|镭雕|刻字|贴牌|来图|来样定制|私人订制|(?:可以|支持|接受|能|提供|承接)\S{0,2}[定订]制"
    r"|[定订]制(?:logo|图案|包装|颜色|款式|尺寸|品牌|商标)|custom(?:i[sz]ed)?\s+(?:logo|design|packag\w*|brand|printing)"
    r"|customi[sz]ation|can\s+customi[sz]e|your\s+(?:own\s+)?(?:brand|design)|print(?:ing)?\s+(?:your|the|a)?\s*(?:logo|brand)",
)
_OEM_REFUSED = re.compile(r"不接受定制|不做定制|不支持定制|不定制|不做oem|不接oem|只卖现货|只做现货|no\s+oem|no\s+custom")
_OEM_FEE = re.compile(
    rf"(?:开模费?|模具费?|模费|版费|制版费?|菲林费?|网版费?|印刷费|logo费用?|丝印费|mou?ld(?:\s+fee|\s+cost)?"
    rf"|tooling(?:\s+fee|\s+cost)?|set-?up\s+(?:fee|cost)|plate\s+(?:fee|cost)|printing\s+(?:fee|cost))"
    rf"\s*(?:是|为|要|收|大概|约|:|：|is|of|at)?\s*(?:{CURRENCY_BEFORE})?\s*(?P<num>{NUM})(?!\s*(?:%|天|days?|{UNIT}))",
)
_FEE_AFTER = re.compile(rf"(?P<num>{FRESH_NUM})\s*(?:{CURRENCY_AFTER})?\s*(?:的)?\s*(?:开模费|模具费|版费|制版费|mou?ld\s+fee)")
_NO_FEE = re.compile(r"免费(?:印|定制|加logo)|不收(?:开模|模具|版)费|免(?:开模|模具|版)费|free\s+(?:logo|printing|mou?ld)")
_OEM_MINIMUM = re.compile(
    rf"(?P<num>{FRESH_NUM})\s*(?:{UNIT})?\s*(?:起定|起订|起做|起印|起|以上(?:才)?(?:可以|能)?(?:做|印|定制))"
    rf"|(?:最少|最低|至少|起订量?|moq|minimum)[^\d，,。]{{0,24}}?(?:是|为|要|:|：|is|of)?\s*(?P<num2>{NUM})",
)
_ASKS_OEM = re.compile(r"logo|定制|oem|印")


def find_oem(prepared: Prepared) -> Oem | None:
    available: bool | None = None
    fee: Decimal | None = None
    minimum: int | None = None
    for clause in prepared.clauses:
        text = clause.text
        if _OEM_REFUSED.search(text):
            available = False if available is None else available
            continue
        about_oem = _OEM.search(text)
        fee_match = _OEM_FEE.search(text) or _FEE_AFTER.search(text)
        if fee_match and fee is None:
            fee = Decimal(fee_match["num"])
        if about_oem is None:
            continue
        offered = not is_negated(text, about_oem.start()) and not negated_after(text, about_oem.end())
        available = offered if available is None else available
        if _NO_FEE.search(text) and fee is None:
            fee = Decimal(0)
        floor = _OEM_MINIMUM.search(text)
        if offered and floor and minimum is None:
            minimum = int(Decimal(floor["num"] or floor["num2"]))
    if available is None and fee is not None:
        available = True  # "开模费800元": a tooling fee is an offer to make it
    if available is None:
        answered = answer_polarity(prepared, _ASKS_OEM)
        if answered is None:
            return None
        available = answered[0]
    if not available:
        return Oem(False)
    return Oem(True, fee, minimum)


# --- delivery to a forwarder ------------------------------------------------------------------------------------

_FORWARDER = re.compile(
    r"货代|代理仓|集运仓|转运仓|物流公司仓库|你们?的?仓库|您的?仓库|指定(?:的)?(?:仓库|物流|地址)|forwarder|your\s+agent"
    r"|agent'?s?\s+warehouse|your\s+warehouse",
)
# "我们有合作的货代" is the supplier's own forwarder, which says nothing of delivering to the buyer's.
_OWN_FORWARDER = re.compile(r"我们\S{0,4}(?:有|的)\S{0,4}(?:货代|物流)|our\s+(?:own\s+)?(?:forwarder|agent)")
_REFUSES_FORWARDER = re.compile(r"不发货代|不送货代|货代(?:我们)?(?:不发|发不了|不送)|no\s+forwarder")
_ASKS_FORWARDER = re.compile(r"货代|仓库|forwarder|warehouse")


def find_ships_to_forwarder(prepared: Prepared) -> bool | None:
    for clause in prepared.clauses:
        text = clause.text
        if _REFUSES_FORWARDER.search(text):
            return False
        match = _FORWARDER.search(text)
        if match is None or _OWN_FORWARDER.search(text):
            continue
        if is_negated(text, match.start()) or negated_after(text, match.end()):
            return False
        return True
    answered = answer_polarity(prepared, _ASKS_FORWARDER)
    return answered[0] if answered else None


# --- shipping within China --------------------------------------------------------------------------------------

_FREE_SHIPPING = re.compile(
    r"包邮|包运费|含运费|免运费|免邮|运费(?:我们|我)(?:出|包|承担)|免费(?:送|发)(?:到|货)|送货上门免费|free\s+(?:shipping|delivery)"
    r"|(?:shipping|delivery)\s+(?:is\s+)?free|(?:send|deliver|ship)\w*\s+to\s+your\s+\w+(?:\s+\w+){0,3}\s+(?:for\s+free|free\s+of\s+charge)"
    r"|(?:delivery|shipping)\s+free\s+of\s+charge",
)
_PAID_SHIPPING = re.compile(
    r"不包邮|运费(?:另算|另计|另付|自理|自付|到付|买家|客户|你们?|您|需要|要|由|按|实际)|(?:邮费|快递费)(?:另算|另计|另付|自理|到付|买家)"
    r"|不含运费|运费不含|运费不包|不包运费|freight\s+collect|(?:shipping|freight|delivery)\s+(?:fee|cost|charge)?\s*(?:is\s+)?(?:not\s+included|extra|excluded)"
    r"|(?:delivery|shipping)\s+fee\s+(?:is\s+)?(?:rmb|usd|\$|¥)?\s*\d"
    r"|(?:plus|exclud\w*)\s+(?:shipping|freight)|shipping\s+cost\s+(?:is\s+)?(?:on|paid\s+by)\s+(?:you|buyer)",
)


def find_free_domestic_shipping(prepared: Prepared) -> bool | None:
    for clause in prepared.clauses:
        text = clause.text
        if _PAID_SHIPPING.search(text):
            return False
        match = _FREE_SHIPPING.search(text)
        if match:
            return not is_negated(text, match.start(), window=4)
    return None


# --- tax --------------------------------------------------------------------------------------------------------

_WITH_TAX = re.compile(r"(?<!不)含税|(?<!不)含票|带票|(?<!不)(?:可以|能|可)开(?:增值税)?(?:专用|普通)?(?:发)?票|包税|税后价"
                       r"|incl\w*\.?\s+(?:of\s+)?(?:vat|tax)|with\s+(?:vat|tax)|tax\s+included")  # fmt: skip
_WITHOUT_TAX = re.compile(
    r"不含税|未税|税前|不开票|不带票|不含票|开不了票|税点另|(?:开票|含税|带票)\S{0,4}(?:加|另加|另算|需加|要加)"
    r"|excl\w*\.?\s+(?:of\s+)?(?:vat|tax)|without\s+(?:vat|tax)|before\s+tax|tax\s+(?:not\s+included|extra|excluded)"
    r"|plus\s+(?:vat|tax)",
)


def find_price_includes_tax(prepared: Prepared) -> bool | None:
    """Whether the quoted prices include tax. When a reply gives both (含税4元，不含税3.6元), the price read as the
    unit price is the one without tax, so the answer is no."""
    if _WITHOUT_TAX.search(prepared.text):
        return False
    if _WITH_TAX.search(prepared.text):
        return True
    return None
