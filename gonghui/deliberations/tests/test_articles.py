"""Splitting a draft into its articles: the title and preamble before the first article,
chapters, articles numbered in Chinese numerals or digits, articles of several paragraphs."""

from gonghui.deliberations.articles import ParsedArticle, ParsedDraft, draft_parse, text_paragraphs
from gonghui.deliberations.tests.factories import DRAFT_V1


def test_title_preamble_chapters_and_articles():
    draft = draft_parse(text_paragraphs(DRAFT_V1))
    assert draft.title == "教职工绩效工资改革方案（征求意见稿）"
    assert draft.preamble == "为建立体现岗位职责和工作业绩的收入分配机制，结合学校实际，制定本方案。"
    assert [(a.label, a.chapter) for a in draft.articles] == [
        ("第一条", "第一章 总则"),
        ("第二条", "第一章 总则"),
        ("第三条", "第二章 奖励性绩效工资"),
        ("第四条", "第二章 奖励性绩效工资"),
    ]
    assert draft.articles[0].text == "绩效工资分为基础性绩效工资和奖励性绩效工资两部分，基础性绩效工资占百分之六十。"
    assert draft.articles[3] == ParsedArticle(
        label="第四条", chapter="第二章 奖励性绩效工资", text="本方案由人事处负责解释。"
    )


def test_chinese_numerals_beyond_ten_and_digits():
    paragraphs = [
        "第十条 十",
        "第十一条 十一",
        "第二十三条 二十三",
        "第一百零一条 一百零一",
        "第105条 一百零五",
        "第12条：冒号之后",
        "第十二条　全角空格之后",
    ]
    draft = draft_parse(paragraphs)
    assert [(a.label, a.text) for a in draft.articles] == [
        ("第十条", "十"),
        ("第十一条", "十一"),
        ("第二十三条", "二十三"),
        ("第一百零一条", "一百零一"),
        ("第105条", "一百零五"),
        ("第12条", "冒号之后"),
        ("第十二条", "全角空格之后"),
    ]
    assert draft.title == "" and draft.preamble == ""


def test_an_article_keeps_its_following_paragraphs_until_the_next_one():
    draft = draft_parse(
        [
            "实施办法",
            "第一条 考核分为四个等次：",
            "（一）优秀；",
            "（二）合格；",
            "   ",
            "第二条 本办法自发布之日起施行。",
        ]
    )
    assert [a.text for a in draft.articles] == [
        "考核分为四个等次：\n（一）优秀；\n（二）合格；",
        "本办法自发布之日起施行。",
    ]
    assert draft.articles[0].chapter == ""


def test_an_article_label_alone_takes_its_text_from_the_next_paragraphs():
    draft = draft_parse(["第一条", "绩效工资按月发放。", "第二条"])
    assert [(a.label, a.text) for a in draft.articles] == [("第一条", "绩效工资按月发放。"), ("第二条", "")]


def test_a_chapter_ends_the_article_before_it_and_is_not_part_of_its_text():
    draft = draft_parse(["第一条 甲", "第二章 附则", "第二条 乙"])
    assert [(a.label, a.chapter, a.text) for a in draft.articles] == [
        ("第一条", "", "甲"),
        ("第二条", "第二章 附则", "乙"),
    ]


def test_the_preamble_is_every_paragraph_before_the_first_article_but_the_title():
    draft = draft_parse(["标题", "第一段前言", "第二段前言", "第一章 总则", "第一条 条文"])
    assert draft.title == "标题"
    assert draft.preamble == "第一段前言\n第二段前言"
    # a chapter heading before the first article is a chapter, not preamble
    assert draft.articles[0].chapter == "第一章 总则"


def test_the_title_is_cut_at_200_characters():
    draft = draft_parse(["题" * 250, "第一条 条文"])
    assert draft.title == "题" * 200


def test_text_mentioning_an_article_inside_a_sentence_is_no_article():
    draft = draft_parse(["依照第三条规定执行。", "按本办法第五条处理"])
    assert draft.articles == []
    assert draft.title == "依照第三条规定执行。"
    assert draft.preamble == "按本办法第五条处理"


def test_no_articles_and_nothing_at_all():
    assert draft_parse(["只有一段说明"]) == ParsedDraft(title="只有一段说明", preamble="", articles=[])
    assert draft_parse([]) == ParsedDraft()
    assert draft_parse(text_paragraphs("")) == ParsedDraft()
    assert text_paragraphs(None) == []


def test_text_paragraphs_skips_blank_lines_and_as_dict_round_trips():
    assert text_paragraphs("甲\n\n  \n乙\r\n丙") == ["甲", "乙", "丙"]
    draft = draft_parse(["题", "第一条 甲"])
    assert draft.as_dict() == {
        "title": "题",
        "preamble": "",
        "articles": [{"label": "第一条", "chapter": "", "text": "甲"}],
    }
