"""The emulator reads HTML messages exactly as Telegram's HTML parse mode does."""

import pytest

from bot.sandbox.telegram_html import HtmlParseError, parse_html, utf16_len


def entity_types(html: str) -> list[tuple[str, int, int]]:
    return [(e["type"], e["offset"], e["length"]) for e in parse_html(html).entities]


@pytest.mark.parametrize(
    ("html", "entity_type"),
    [
        ("<b>x</b>", "bold"),
        ("<strong>x</strong>", "bold"),
        ("<i>x</i>", "italic"),
        ("<em>x</em>", "italic"),
        ("<u>x</u>", "underline"),
        ("<ins>x</ins>", "underline"),
        ("<s>x</s>", "strikethrough"),
        ("<strike>x</strike>", "strikethrough"),
        ("<del>x</del>", "strikethrough"),
        ('<span class="tg-spoiler">x</span>', "spoiler"),
        ("<tg-spoiler>x</tg-spoiler>", "spoiler"),
        ("<code>x</code>", "code"),
        ("<pre>x</pre>", "pre"),
        ("<blockquote>x</blockquote>", "blockquote"),
        ("<blockquote expandable>x</blockquote>", "expandable_blockquote"),
        ('<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>', "custom_emoji"),
        ('<a href="https://1688.com">x</a>', "text_link"),
        ("<B>x</B>", "bold"),
    ],
)
def test_every_supported_tag_becomes_its_entity(html, entity_type):
    assert [e["type"] for e in parse_html(html).entities] == [entity_type]


def test_entities_are_decoded_and_offsets_count_utf16_units():
    parsed = parse_html("😀 &lt;b&gt; &amp; &quot;q&quot; &#20215; &#x683C; <b>bold</b>")

    assert parsed.text == '😀 <b> & "q" 价 格 bold'
    assert parsed.entities == [{"type": "bold", "offset": 17, "length": 4}]


def test_nested_tags_give_nested_entities():
    assert entity_types("<b>bold <i>both</i></b>") == [("bold", 0, 9), ("italic", 5, 4)]


def test_pre_with_code_language_becomes_one_pre_entity():
    parsed = parse_html('<pre><code class="language-python">print(1)</code></pre>')

    assert parsed.entities == [{"type": "pre", "offset": 0, "length": 8, "language": "python"}]


def test_link_keeps_its_decoded_url():
    parsed = parse_html("<a href='https://s.1688.com/?q=toy&amp;page=2'>search</a>")

    assert parsed.entities[0]["url"] == "https://s.1688.com/?q=toy&page=2"


def test_surrounding_whitespace_is_trimmed_and_entities_follow():
    parsed = parse_html("\n  <b>hi</b> there \n")

    assert parsed.text == "hi there"
    assert parsed.entities == [{"type": "bold", "offset": 0, "length": 2}]


def test_bare_greater_than_sign_is_plain_text():
    assert parse_html("5 > 3").text == "5 > 3"


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("<p>para</p>", 'Unsupported start tag "p" at byte offset 0'),
        ("line<br/>break", 'Unsupported start tag "br/" at byte offset 4'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("€ <3 you", 'Unsupported start tag "3" at byte offset 4'),
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'expected "</i>", found "</b>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b", "Unclosed start tag at byte offset 0"),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ('<a href="x>link</a>', "Unclosed start tag"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
        ("<tg-emoji>x</tg-emoji>", 'Tag "tg-emoji" must have attribute "emoji-id"'),
        ("Tom & Jerry", "Character '&' at byte offset 4"),
        ("&nbsp;", "Character '&' at byte offset 0"),
        ("&#0;", "Character '&' at byte offset 0"),
        ("&lt", "Character '&' at byte offset 0"),
    ],
)
def test_refuses_what_telegram_cannot_parse(html, error):
    with pytest.raises(HtmlParseError) as refusal:
        parse_html(html)

    assert error in str(refusal.value)


def test_utf16_length_counts_astral_characters_twice():
    assert utf16_len("a价😀") == 4
