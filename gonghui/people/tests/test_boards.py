"""The progress board per top-level sub-union (gonghui.people.boards) and its component."""

import pytest
from django.db.models import BooleanField, Case, Count, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.template import Template
from django.template.loader import render_to_string

from gonghui.people.boards import BoardColumn, board_totals, sub_union_board
from gonghui.people.choices import Gender, SubUnionKind
from gonghui.people.models import Person
from gonghui.people.tests.factories import SubUnionFactory, person_make

COUNTS = {
    "answered": Count("pk", filter=Q(done=True)),
    "women": Count("pk", filter=Q(done=True, gender=Gender.FEMALE)),
    "relatives": Coalesce(Sum("relatives"), Value(0)),
}


def _answering(people, answers: dict[str, int]):
    """`people` with the answers of a made-up survey: `done` for the staff numbers in
    `answers`, `relatives` their number of relatives (0 for the others)."""
    return people.annotate(
        done=Case(
            When(staff_no__in=list(answers), then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
        relatives=Case(
            *[When(staff_no=no, then=Value(n)) for no, n in answers.items()],
            default=Value(0),
            output_field=IntegerField(),
        ),
    )


@pytest.fixture
def colleges(db):
    """第二学院 with a union group (3 people of its own, 2 in the group), 第十一学院 (2 people),
    第三学院 (1 person), and 第四学院 with no one."""
    second = SubUnionFactory(code="C2", name="第二学院分工会")
    group = SubUnionFactory(
        code="C2-G1", name="第二学院第一工会小组", kind=SubUnionKind.GROUP, parent=second, union=second.union
    )
    eleventh = SubUnionFactory(code="C11", name="第十一学院分工会", union=second.union)
    third = SubUnionFactory(code="C3", name="第三学院分工会", union=second.union)
    SubUnionFactory(code="C4", name="第四学院分工会", union=second.union)
    for no, sub_union, gender in [
        ("A1", second, Gender.FEMALE),
        ("A2", second, Gender.MALE),
        ("A3", second, Gender.MALE),
        ("G1", group, Gender.FEMALE),
        ("G2", group, Gender.FEMALE),
        ("K1", eleventh, Gender.MALE),
        ("K2", eleventh, Gender.FEMALE),
        ("T1", third, Gender.MALE),
    ]:
        person_make(staff_no=no, sub_union=sub_union, gender=gender)
    return {"second": second, "group": group, "eleventh": eleventh, "third": third}


def test_groups_roll_up_pending_and_pct(colleges):
    # 第二学院: A1 (2 relatives) and G1 (1) of 5; 第十一学院: both; 第三学院: T1
    people = _answering(Person.objects.all(), {"A1": 2, "G1": 1, "K1": 0, "K2": 3, "T1": 0})
    board = sub_union_board(people, counts=COUNTS)
    assert [
        (r["sub_union"].code, r["eligible"], r["answered"], r["women"], r["relatives"], r["pending"], r["answered_pct"])
        for r in board
    ] == [
        ("C2", 5, 2, 2, 3, 3, 40),
        # a tie at 100 %: the natural order, 第三 before 第十一
        ("C3", 1, 1, 0, 0, 0, 100),
        ("C11", 2, 2, 1, 3, 0, 100),
    ]
    assert board[0]["top"] == colleges["second"].pk
    assert board[0]["sub_union"] == colleges["second"]
    assert set(board[0]) == {
        "top",
        "sub_union",
        "eligible",
        "answered",
        "women",
        "relatives",
        "pending",
        "answered_pct",
    }


def test_sorted_by_pct_then_natural_order(colleges):
    # 第二学院 1 of 5 (20 %), 第十一学院 1 of 2 (50 %), 第三学院 none (0 %)
    people = _answering(Person.objects.all(), {"G2": 0, "K2": 1})
    board = sub_union_board(people, counts=COUNTS)
    assert [(r["sub_union"].code, r["answered_pct"], r["pending"]) for r in board] == [
        ("C3", 0, 1),
        ("C2", 20, 4),
        ("C11", 50, 1),
    ]


def test_the_pct_is_rounded(colleges):
    # 1 of 3: 33 %
    people = _answering(Person.objects.filter(staff_no__in=["A1", "A2", "A3"]), {"A1": 0})
    [row] = sub_union_board(people, counts=COUNTS)
    assert (row["eligible"], row["answered"], row["pending"], row["answered_pct"]) == (3, 1, 2, 33)


def test_the_callers_population_only(colleges):
    """The caller restricts the people (here: the group only); the group still counts
    under its parent sub-union."""
    people = _answering(Person.objects.filter(sub_union=colleges["group"]), {"G1": 0})
    board = sub_union_board(people, counts=COUNTS)
    assert [(r["sub_union"].code, r["eligible"], r["answered"], r["pending"], r["answered_pct"]) for r in board] == [
        ("C2", 2, 1, 1, 50)
    ]


def test_an_officer_sees_their_own_sub_union(university):
    """Restricted as an officer of 经济学院: one row, with 李娜 of its union group in it."""
    u = university
    officer = u.users["sub_union_officer"]
    people = _answering(Person.objects.restrict(officer, "view"), {u.li.staff_no: 2})
    board = sub_union_board(people, counts=COUNTS)
    assert [(r["sub_union"].code, r["eligible"], r["answered"], r["relatives"], r["pending"]) for r in board] == [
        ("ECON", 3, 1, 2, 2)
    ]


def test_another_name_for_answered(colleges):
    people = _answering(Person.objects.all(), {"A1": 0, "K1": 0})
    counts = {"replied": Count("pk", filter=Q(done=True))}
    board = sub_union_board(people, counts=counts, answered="replied")
    assert [(r["sub_union"].code, r["replied"], r["pending"], r["answered_pct"]) for r in board] == [
        ("C3", 0, 1, 0),
        ("C2", 1, 4, 20),
        ("C11", 1, 1, 50),
    ]


def test_an_empty_population(colleges):
    people = _answering(Person.objects.none(), {})
    assert sub_union_board(people, counts=COUNTS) == []
    people = _answering(Person.objects.filter(staff_no="nobody"), {})
    assert sub_union_board(people, counts=COUNTS) == []
    assert board_totals([], ["eligible", "answered"]) == {"eligible": 0, "answered": 0}


def test_one_grouped_query(colleges, django_assert_num_queries):
    people = _answering(Person.objects.order_by("name"), {"A1": 0})
    with django_assert_num_queries(2):  # the grouped counts, the sub-unions
        board = sub_union_board(people, counts=COUNTS)
    assert len(board) == 3


def test_counts_must_name_answered_and_no_board_key():
    with pytest.raises(ValueError, match="'answered'"):
        sub_union_board(Person.objects.none(), counts={"yes": Count("pk")})
    with pytest.raises(ValueError, match="pending"):
        sub_union_board(Person.objects.none(), counts={"answered": Count("pk"), "pending": Count("pk")})


def test_board_totals(colleges):
    people = _answering(Person.objects.all(), {"A1": 2, "G1": 1, "K1": 0, "K2": 3, "T1": 0})
    board = sub_union_board(people, counts=COUNTS)
    assert board_totals(board, ["eligible", "answered", "pending", "relatives"]) == {
        "eligible": 8,
        "answered": 5,
        "pending": 3,
        "relatives": 6,
    }


def test_the_component(colleges):
    people = _answering(Person.objects.all(), {"A1": 2, "G1": 1, "K1": 0, "K2": 3, "T1": 0})
    board = sub_union_board(people, counts=COUNTS)
    columns = [
        BoardColumn("eligible", "应填"),
        BoardColumn("answered", "已填", with_pct=True),
        BoardColumn("pending", "未填"),
        BoardColumn("relatives", "家属", total=False),
    ]
    html = render_to_string(
        "components/sub_union_board.html",
        {
            "rows": board,
            "columns": columns,
            "totals": board_totals(board, ["eligible", "answered", "pending"]),
            "title": "各分工会填报",
            "testid": "test-board",
            "row_action_template": Template("<b>{{ row.sub_union.code }}:{{ row.pending }}</b>"),
            "row_action_label": "催办",
        },
    )
    html = " ".join(html.split())
    assert 'aria-labelledby="board-title"' in html and 'id="board-title">各分工会填报</h2>' in html
    assert 'data-testid="test-board"' in html
    assert (
        '<th scope="col">分工会</th><th scope="col">应填</th><th scope="col">已填</th><th scope="col">未填</th>'
        '<th scope="col">家属</th><th scope="col"><span class="visually-hidden">催办</span></th>'
    ) in html
    assert "<td>第二学院分工会</td><td>5</td><td>2（40%）</td><td>3</td><td>3</td> <td><b>C2:3</b></td>" in html
    assert "<td>第十一学院分工会</td><td>2</td><td>2（100%）</td><td>0</td><td>3</td> <td><b>C11:0</b></td>" in html
    assert '<th scope="row">合计</th><th>8</th><th>5</th><th>3</th><th></th><td></td>' in html


def test_the_component_without_action_totals_or_rows(db):
    html = render_to_string(
        "components/sub_union_board.html",
        {"rows": [], "columns": [BoardColumn("eligible", "应填")], "title": "进度", "dom_id": "p", "empty": "无人"},
    )
    html = " ".join(html.split())
    assert 'id="p-title"' in html
    assert "visually-hidden" not in html and "<tfoot>" not in html
    assert '<tr><td colspan="2" class="text-secondary">无人</td></tr>' in html
