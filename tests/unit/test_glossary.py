from __future__ import annotations

import pytest

from bot.db.models import GlossaryTerm, Workspace
from bot.db.session import Database
from bot.translation.glossary import (
    BUILT_IN_GLOSSARY,
    BUILT_IN_TERMS,
    Glossary,
    Term,
    glossary_version,
    load_glossary,
    notes_for,
    protect,
    without_terms,
)

REQUIRED_TERMS = (
    "起订量 起批 包邮 现货 一件代发 混批 打样 大货 交期 含税 开票 定金 尾款 货代 实力商家 超级工厂 深度验厂 跨境宝 亲 阿里旺旺 "
    "拍下 改价 包装 外箱 箱规 毛重 净重 体积重 首重 续重 专线 海运 空运 快递 物流 顺丰 中通 发货 质检 验货 退换 七天无理由 "
    "售后 定制 贴牌 开模 模具费 样品费 运费到付 批发价 零售价 出厂价 阶梯价 议价 面议 库存 断货 预售 补货 工厂 贸易公司 "
    "一手货源 厂家直销 回头率 响应率 营业执照 增值税 报关 清关 唛头 托盘"
).split()


def found_terms(text: str, glossary: Glossary = BUILT_IN_GLOSSARY) -> list[str]:
    return [text[item.start : item.end] for item in glossary.find(text)]


def test_the_built_in_glossary_covers_sourcing_jargon_with_a_note_for_each() -> None:
    spellings = [term.term_zh for term in BUILT_IN_TERMS]
    assert len(set(spellings)) == len(spellings) >= 70
    assert set(REQUIRED_TERMS) <= set(spellings)
    assert all(term.meaning and term.note for term in BUILT_IN_TERMS)


def test_the_longest_term_wins() -> None:
    assert found_terms("我们是超级工厂，运费到付") == ["超级工厂", "运费到付"]


def test_the_friendly_qin_is_found_but_not_inside_everyday_words() -> None:
    assert found_terms("亲，在的，可以混批") == ["亲", "混批"]
    assert found_terms("亲们好") == ["亲们"]
    assert found_terms("我亲自去看了，父亲也去了") == []


def test_protected_terms_become_numbered_placeholders_and_come_back_in_english() -> None:
    text = "亲，起订量100件，包邮，起订量可以谈"
    protected = protect(text, BUILT_IN_GLOSSARY.find(text))
    assert "起订量" not in protected.text and protected.text.count("[[T2]]") == 2
    restored = protected.restore("[[T1]], [[T2]] 100 pieces, [[T3]], [[T2]] negotiable", "en")
    assert restored.text == "dear, MOQ 100 pieces, free domestic shipping, MOQ negotiable"
    assert restored.missing == []


@pytest.mark.parametrize("mangled", ["[[ T1 ]]", "[T1]", "【T1】", "［［t1］］", "[[T 1]]", "⟦T1⟧"])
def test_placeholders_are_restored_however_a_provider_mangles_them(mangled: str) -> None:
    protected = protect("一件代发吗", BUILT_IN_GLOSSARY.find("一件代发吗"))
    assert protected.restore(f"{mangled}?", "en").text == "dropshipping?"


def test_other_targets_keep_the_chinese_term_with_its_english_meaning() -> None:
    protected = protect("可以一件代发", BUILT_IN_GLOSSARY.find("可以一件代发"))
    assert protected.restore("Có thể [[T1]]", "vi").text == "Có thể 一件代发 (dropshipping)"


def test_a_lost_placeholder_is_reported() -> None:
    protected = protect("包邮吗", BUILT_IN_GLOSSARY.find("包邮吗"))
    restored = protected.restore("Is it free?", "en")
    assert [term.term_zh for term in restored.missing] == ["包邮"]


def test_brackets_that_are_not_ours_stay() -> None:
    protected = protect("包邮吗", BUILT_IN_GLOSSARY.find("包邮吗"))
    assert protected.restore("[[T1]] [1] [[T9]]", "en").text == "free domestic shipping [1] [[T9]]"


def test_everyday_words_are_noted_but_not_protected() -> None:
    text = "工厂发货"
    found = BUILT_IN_GLOSSARY.find(text)
    assert [note.term_zh for note in notes_for(found)] == ["工厂", "发货"]
    assert protect(text, found).text == text


def test_notes_come_once_per_term_in_order() -> None:
    found = BUILT_IN_GLOSSARY.find("包邮吗？起订量呢？包邮到哪")
    assert [(note.term_zh, note.meaning) for note in notes_for(found)] == [
        ("包邮", "free domestic shipping"),
        ("起订量", "MOQ"),
    ]


def test_the_version_follows_the_protected_terms_used() -> None:
    moq = BUILT_IN_GLOSSARY.find("起订量")[0].term
    changed = Term("起订量", "minimum order", "")
    assert glossary_version([moq]) == glossary_version([moq])
    assert glossary_version([moq]) != glossary_version([changed])
    assert glossary_version([moq]) != glossary_version([])
    factory = BUILT_IN_GLOSSARY.find("工厂")[0].term
    assert glossary_version([factory]) == glossary_version([])


def test_without_terms_blanks_the_terms_out_keeping_positions() -> None:
    text = "七天无理由，退100元"
    assert without_terms(text, BUILT_IN_GLOSSARY.find(text)) == "     ，退100元"


async def test_workspace_terms_extend_and_override_the_built_in_ones(database: Database) -> None:
    async with database.session() as session:
        workspace = Workspace(chat_id=-100, kind="team", title="Shop")
        other = Workspace(chat_id=-200, kind="team", title="Other")
        session.add_all([workspace, other])
        await session.flush()
        session.add_all(
            [
                GlossaryTerm(
                    workspace_id=workspace.id, term_zh="乐扣", meaning="snap-lock lid", note="our product line"
                ),
                GlossaryTerm(
                    workspace_id=workspace.id, term_zh="包邮", meaning="free shipping to our forwarder", note=None
                ),
                GlossaryTerm(workspace_id=other.id, term_zh="大货", meaning="big goods", note=None),
            ]
        )
    glossary = await load_glossary(database, workspace.id)
    text = "乐扣包邮，大货"
    meanings = {note.term_zh: note.meaning for note in notes_for(glossary.find(text))}
    assert meanings == {"乐扣": "snap-lock lid", "包邮": "free shipping to our forwarder", "大货": "bulk production"}
    assert (await load_glossary(database, None)) is BUILT_IN_GLOSSARY
    version = glossary_version(item.term for item in glossary.find(text))
    assert version != glossary_version(item.term for item in BUILT_IN_GLOSSARY.find(text))
