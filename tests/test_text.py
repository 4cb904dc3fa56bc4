"""Cell text cleaning and answer text -> paragraphs, bullets and numbered lists."""

from docgen.text import Block, blocks, clean


def test_clean_turns_vertical_tab_into_line_break_and_drops_controls():
    assert clean("first\x0bsecond\x07 third\x00") == "first\nsecond third"


def test_clean_drops_invisible_characters_and_unifies_spaces():
    assert clean("co\u00adordinate\u200b plan\u00a0now\r\nnext") == "coordinate plan now\nnext"


def test_clean_keeps_markup_and_emoji_literally():
    assert clean("{{ 7*7 }} <w:p> &amp; 🎉") == "{{ 7*7 }} <w:p> &amp; 🎉"


def test_blocks_recognises_bullets_numbers_and_levels():
    text = "Intro\n- one\n  - nested\n• two\n◦ sub\n1. first\n2) second\n\nPlain"
    assert blocks(text) == [
        Block("Intro"),
        Block("one", "bullet", 0),
        Block("nested", "bullet", 1),
        Block("two", "bullet", 0),
        Block("sub", "bullet", 1),
        Block("first", "number", 0),
        Block("second", "number", 0),
        Block("Plain"),
    ]


def test_blocks_does_not_mistake_a_hyphenated_start_for_a_bullet():
    assert blocks("-5% change\n2025 was a year") == [Block("-5% change"), Block("2025 was a year")]
