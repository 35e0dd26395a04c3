"""A heading's body runs on through its key：value lines (开户名：…, 地址：…) — they are not title lines."""

from assistant.spans import block_end, sentences

NOTICE = (
    "（一）青禾市慈善总会接收捐款账户信息。\n"
    "开户名：青禾市慈善总会\n"
    "开户行：青禾银行民主支行\n"
    "账号：6132574850060001\n"
    "（二）青禾市红十字会接收捐款账户信息。\n"
    "开户名：青禾市红十字会\n"
)


def test_key_value_lines_belong_to_the_heading_body():
    units = sentences(NOTICE)
    assert units[0].text.startswith("（一）")
    body = [u.text for u in units[1:block_end(units, 0)]]
    assert body == ["开户名：青禾市慈善总会", "开户行：青禾银行民主支行", "账号：6132574850060001"]


def test_a_short_title_line_still_closes_the_body():
    units = sentences("（一）工作要求。\n各单位要落实责任。\n联系方式\n电话12345。\n")
    assert [u.text for u in units[1:block_end(units, 0)]] == ["各单位要落实责任。"]
