"""The buying guide shown by /guide: one short page per topic, in Telegram HTML (<b>, <i>, <code> only)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import N_


@dataclass(frozen=True)
class GuideSection:
    key: str
    title_msgid: str
    body_msgid: str


GUIDE_SECTIONS: tuple[GuideSection, ...] = (
    GuideSection(
        "sellers",
        N_("Who sells on 1688"),
        N_(
            "<b>Who sells on 1688</b>\n"
            "\n"
            "<b>Wholesalers</b> run most of the shops. They keep stock, and many sell from a few pieces, "
            "sometimes with a minimum amount per order. They usually hold more stock than factories.\n"
            "\n"
            "<b>Brand owners</b> also sell in small quantities, but under their own name and logo, "
            "where wholesalers often sell unbranded goods.\n"
            "\n"
            "<b>Factories</b> make goods to order and rarely keep stock. Minimum orders are higher: "
            "in some cases 1,000 pieces or more. The 1688 app has a <i>Find a Factory</i> option "
            "to look for them by category.\n"
            "\n"
            "<b>Sourcing agents</b> (also called virtual factories) hold no stock. They find a supplier for you, "
            "negotiate, handle paperwork and can follow production. They usually charge a commission of 1-3%.\n"
            "\n"
            "When you save a supplier, pick its type: it tells you what to expect on minimum orders and stock."
        ),
    ),
    GuideSection(
        "why",
        N_("Why buy on 1688"),
        N_(
            "<b>Why buy on 1688</b>\n"
            "\n"
            "1688 is Alibaba's marketplace for the Chinese domestic trade, running since 1999.\n"
            "\n"
            "• <b>Lower prices.</b> Most sellers are factories and wholesalers, so there is no export trading "
            "company taking a margin. Prices are often lower than on other B2B sites (roughly 4-15%, depending "
            "on the product), and tiered pricing makes each unit cheaper as you buy more.\n"
            "• <b>Small orders.</b> Many sellers accept orders of one or two pieces: good for trying a product "
            "or testing quality before a big order.\n"
            "• <b>Huge choice.</b> About 10 million suppliers in 16 industries and more than 1,700 categories, "
            "including most of China's factories.\n"
            "• <b>Licensed sellers.</b> Every supplier needs a Chinese business licence. Its shop page shows "
            "the founding date, registered capital and address.\n"
            "• <b>A cross-border site.</b> <code>global.1688.com</code> lists suppliers who are ready to sell "
            "abroad, with low minimum orders and trending products.\n"
            "\n"
            "<i>The catch:</i> the site is in Chinese only and few suppliers speak English. "
            "That is what this bot is for: it writes your questions in Chinese and explains the replies."
        ),
    ),
    GuideSection(
        "account",
        N_("Opening a 1688 account"),
        N_(
            "<b>Opening a 1688 account</b>\n"
            "\n"
            "You need an account to buy. Register as an <b>individual</b>, even when you buy for a company: "
            "company accounts are for sellers based in China.\n"
            "\n"
            "<b>On a phone</b>, sign up through the Taobao app. The same login works on 1688, so an existing "
            "Taobao account is enough.\n"
            "\n"
            "<b>On a computer</b>:\n"
            "1. On www.1688.com, click <code>免费注册</code> (free sign-up).\n"
            "2. Choose to register as an individual.\n"
            "3. Fill in user name, password and mobile number, slide the check bar, "
            "then click <code>同意并注册</code> (agree and register).\n"
            "4. Type the one-time code sent to your phone and click <code>提交</code> (submit).\n"
            "5. Accept the agreement to activate the account. Completing the profile is optional.\n"
            "\n"
            "<b>Verify the account</b> with a personal Alipay account (open one in the Alipay app or on "
            "alipay.com with your country code and mobile number). On 1688, click your account name, then "
            "<code>账户管理</code> (account management) → <code>我的认证</code> (my verification) → "
            "<code>我要认证</code> under <code>个人认证</code> (personal verification), "
            "and sign in with your Alipay ID.\n"
            "\n"
            "Verification is optional, but you need it to pay with 跨境宝 (1688 Cross-border Pay) and to "
            "get your account back if it is ever frozen or restricted."
        ),
    ),
    GuideSection(
        "search",
        N_("Finding products"),
        N_(
            "<b>Finding products</b>\n"
            "\n"
            "Search, then narrow the results with these filters:\n"
            "• <code>起订量以下</code>: the most you want as a minimum order; type your number.\n"
            "• <code>24小时发货</code>: ships within 24 hours. Not offered for cross-border delivery.\n"
            "• <code>实力商家</code>: power merchants, who meet 1688's standard for quality and on-time delivery.\n"
            "• <code>上架时间</code>: type the maximum number of days in the box next to it.\n"
            "• <code>所在地区</code>: the supplier's location. Pick one close to your forwarder "
            "to save shipping time and cost.\n"
            "• <code>商品分类</code>: product categories.\n"
            "• <code>跨境特色</code>: cross-border features, such as international certifications and patents.\n"
            "• Price range.\n"
            "\n"
            "<b>Search by image:</b> tap the camera icon in the search bar and upload a photo "
            "to find the same or similar products.\n"
            "\n"
            "<b>Selling abroad online?</b> Try <code>global.1688.com</code>: it shows suppliers ready to export, "
            "with low minimum orders and trending products."
        ),
    ),
    GuideSection(
        "trust",
        N_("Checking a supplier"),
        N_(
            "<b>Checking a supplier</b>\n"
            "\n"
            "The shop page shows what you need to judge a supplier:\n"
            "• <b>Years on 1688</b>: a shop open for less than a year has little history.\n"
            "• <b>Response rate</b>: how reliably they answer buyers. Be careful below 70%.\n"
            "• <b>Repeat-purchase rate</b> (<code>回头率</code>): the share of buyers who come back.\n"
            "• <b>Ratings</b> from other buyers, out of 5.\n"
            "• <b>Buyer protection</b>: whether the shop offers it.\n"
            "• <b>Transactions in the last 90 days</b> against the industry average: "
            "compare the supplier with its competitors.\n"
            "• <b>Badges</b> such as <code>实力商家</code> (power merchant), <code>超级工厂</code> "
            "(super factory) or <code>深度验厂</code> (audited factory).\n"
            "• <b>Business licence</b>: founding date, registered capital and address.\n"
            "\n"
            "Give the bot these numbers when you save a supplier: it shows a score out of 100, "
            "with the points each signal earned and what is still unknown."
        ),
    ),
    GuideSection(
        "writing",
        N_("Writing to suppliers"),
        N_(
            "<b>Writing to suppliers</b>\n"
            "\n"
            "Contact details are on the supplier's shop page. Most suppliers chat on <b>WeChat</b> or on "
            "<b>Aliwangwang</b> (<code>阿里旺旺</code>), the official 1688 chat app.\n"
            "\n"
            "Few suppliers read English, so keep messages short, simple and polite: one question per line, "
            "numbered. This bot writes them in Chinese for you.\n"
            "\n"
            "<b>Five questions to ask first:</b>\n"
            "1. Can you ship outside China, or is the product for sale in China only?\n"
            "2. What is your return policy?\n"
            "3. How long does delivery take?\n"
            "4. Is it in stock, or how long does production take?\n"
            "5. Which certifications does it have (if your market requires them)?\n"
            "\n"
            "Minimum order, price at your quantity and samples are worth asking too. "
            "Paste the supplier's replies here: the bot translates them and ticks off the answered questions."
        ),
    ),
    GuideSection(
        "paying",
        N_("Paying with 跨境宝"),
        N_(
            "<b>Paying with 跨境宝 (1688 Cross-border Pay)</b>\n"
            "\n"
            "跨境宝 is the official way for buyers outside China to pay 1688 suppliers, built by 1688 "
            "and Ant Group. Paying through this approved channel, rather than improvised transfers, "
            "helps keep your 1688 account from being frozen. There is no yearly limit, so large orders are fine, "
            "and it is often faster and cheaper than a bank transfer.\n"
            "\n"
            "<b>Steps:</b>\n"
            "1. Open a personal 1688 account and verify it with Alipay (see <i>Opening a 1688 account</i>).\n"
            "2. Open an account with a payment provider that supports 1688 Cross-border Pay.\n"
            "3. Add an offshore yuan (CNH) balance to it.\n"
            "4. Top it up, or convert your own currency into CNH.\n"
            "5. Authorise the provider to pay your 1688 orders through 跨境宝 (KJB).\n"
            "\n"
            "After that, your orders are paid from the CNH balance at checkout, "
            "so keep enough in it before you order.\n"
            "\n"
            "<b>Available to buyers in:</b> Singapore, Malaysia, Thailand, Vietnam, Indonesia, Hong Kong, "
            "Australia and New Zealand."
        ),
    ),
    GuideSection(
        "shipping",
        N_("Shipping your goods"),
        N_(
            "<b>Shipping your goods</b>\n"
            "\n"
            "Shipping costs vary a lot with the method, so choose it before you order.\n"
            "\n"
            "<b>ePacket</b> (China Post's express service)\n"
            "For small, light parcels of low value. Cost: low. Speed: regular.\n"
            "\n"
            "<b>Air express</b> (DHL, FedEx, UPS)\n"
            "For urgent or valuable goods. Cost: high. Speed: fastest.\n"
            "\n"
            "<b>Sea freight</b> (full or shared containers)\n"
            "For heavy or bulky shipments. Cost: low. Speed: slow.\n"
            "\n"
            "<b>Special line</b> (chartered flights and set routes)\n"
            "For goods going to Amazon FBA warehouses and valuable items. Cost: medium. Speed: fast.\n"
            "\n"
            "<b>Freight forwarders</b> take your goods from the supplier to your door: documents, insurance, "
            "customs clearance and storage. They can also advise on the best method for your cargo. "
            "Most have a warehouse in China that suppliers deliver to. Save your forwarder's address once "
            "and the bot puts it in your shipping messages."
        ),
    ),
    GuideSection(
        "agents",
        N_("Using a sourcing agent"),
        N_(
            "<b>Using a sourcing agent</b>\n"
            "\n"
            "If you are new to importing, or the language is too much, a sourcing agent can do the work: "
            "translating, finding and checking suppliers, negotiating, following production, "
            "quality control and getting goods out on time.\n"
            "\n"
            "Agents usually charge a <b>commission of 1-3%</b> of the order. They hold no stock themselves.\n"
            "\n"
            "Buying on your own means choosing suppliers, talking to them and paying them yourself. "
            "This bot helps with exactly those three."
        ),
    ),
)

_BY_KEY = {section.key: section for section in GUIDE_SECTIONS}


def section(key: str) -> GuideSection | None:
    return _BY_KEY.get(key)
