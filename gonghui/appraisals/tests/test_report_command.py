"""`manage.py appraisal_report`: the turnout for the union office (the default, as the system
actor), everything only with `--user` naming an account of the organisation department once the
round is released (recorded in the audit trail); an unknown user or round is an error, and so
is the PDF (it holds the results) without the department's credentials.

The ballots and the expected figures: tests/results_scenario.py."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from gonghui.appraisals.tests.results_scenario import DEAN_SHARES, LAW_DEAN_SHARES, SECRETARY_SHARES, released
from gonghui.core.models import AuditAction, AuditEvent
from gonghui.mutual_aid.tests.committee.test_pages import pdf_text

# (0.8000 is also the economics school's turnout rate: not a leak)
LEAKS = ("0.6000", "0.4286", "0.5714", "94.00", "34.00", "88.57", "admonition", "钱院长", "孙书记", "周院长")


@pytest.fixture
def done(w, clock):
    return released(w, clock)


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("appraisal_report", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _exports() -> int:
    return AuditEvent.objects.filter(action=AuditAction.EXPORTED).count()


def test_turnout_only_by_default(done):
    w = done
    out, _err = run("--round", str(w.round.pk))
    data = json.loads(out)
    assert "results" not in data and "flagged" not in data
    assert (data["title"], data["status"], data["eligible"], data["took_part"], data["units_under_quorum"]) == (
        "2021年度中层干部民主测评",
        "released",
        13,
        8,
        1,
    )
    units = {
        u["unit"]: (u["eligible"], u["quorum_needed"], u["quorum_counted"], u["rate"], u["quorum_met"])
        for u in data["units"]
    }
    assert units == {"经济学院分工会": (8, 4, 4, "0.8000", True), "法学院分工会": (5, 2, 1, "0.3333", False)}
    for leak in LEAKS:
        assert leak not in out, leak
    text, _err = run("--round", str(w.round.pk), "--format", "text")
    assert "经济学院分工会\t达到参评比例\t是" in text and "法学院分工会\t达到参评比例\t否（结果无效）" in text
    for leak in LEAKS:
        assert leak not in text, leak
    # the union office by name: the same
    out, _err = run("--round", str(w.round.pk), "--user", "office")
    assert json.loads(out) == data
    assert _exports() == 0


def test_everything_for_the_organisation_department(done):
    w = done
    out, err = run("--round", str(w.round.pk), "--user", w.users["zzb"].username)
    data = json.loads(out)
    got = {
        (r["unit"], r["name"]): (r["shares"], r["score"], r["flags"], r["final"])
        for r in data["results"]
        if r["kind"] == "cadre"
    }
    assert got == {
        ("经济学院分工会", "钱院长"): (DEAN_SHARES, "94.00", [], True),
        ("经济学院分工会", "孙书记"): (SECRETARY_SHARES, "34.00", ["admonition", "removal"], True),
        ("法学院分工会", "周院长"): (LAW_DEAN_SHARES, "88.57", [], False),
    }
    assert len(data["results"]) == 5 and data["flagged"] == 1
    assert (data["eligible"], data["took_part"]) == (13, 8)
    assert err == ""
    event = AuditEvent.objects.get(action=AuditAction.EXPORTED)
    assert (event.actor, event.object_type, event.object_id) == (
        w.users["zzb"],
        "appraisals.appraisalround",
        str(w.round.pk),
    )
    assert event.message == f"命令行导出干部民主测评结果（round={w.round.pk}&format=json）"


def test_the_files(done, tmp_path):
    w = done
    turnout_xlsx = tmp_path / "turnout.xlsx"
    out, _err = run("--round", str(w.round.pk), "--format", "xlsx", "--output", str(turnout_xlsx))
    assert out.startswith(f"{turnout_xlsx}: ")
    cells = [c for row in load_workbook(turnout_xlsx).active.iter_rows(values_only=True) for c in row]
    assert "经济学院分工会" in cells and not any(
        leak in str(c) for c in cells for leak in ("钱院长", "孙书记", "诫勉谈话")
    )
    results_xlsx = tmp_path / "results.xlsx"
    run(
        "--round", str(w.round.pk), "--format", "xlsx", "--output", str(results_xlsx), "--user", w.users["zzb"].username
    )
    book = load_workbook(results_xlsx)
    assert book.sheetnames == ["参评情况", "干部个人", "领导班子", "各类别计票"]
    assert [row[2] for row in book["干部个人"].iter_rows(min_row=2, values_only=True)] == ["钱院长", "孙书记", "周院长"]
    pdf = tmp_path / "results.pdf"
    run("--round", str(w.round.pk), "--format", "pdf", "--output", str(pdf), "--user", w.users["zzb"].username)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "孙书记" in text and "诫勉谈话、考虑调整" in text and "党委组织部" in text
    assert [
        e.message.rsplit("=", 1)[1] for e in AuditEvent.objects.filter(action=AuditAction.EXPORTED).order_by("pk")
    ] == [
        "xlsx）",
        "pdf）",
    ]


def test_refusals(done, tmp_path):
    w = done
    pdf = tmp_path / "r.pdf"
    cases = [
        (("--round", "999999"), "no appraisal round 999999"),
        (("--round", str(w.round.pk), "--user", "nobody"), "no active user nobody"),
        # someone outside the round does not learn it exists
        (("--round", str(w.round.pk), "--user", "welfare"), f"no appraisal round {w.round.pk}"),
        # a voter reads no turnout
        (("--round", str(w.round.pk), "--user", "E0001"), f"E0001 may not read round {w.round.pk}"),
        (("--round", str(w.round.pk), "--format", "pdf", "--output", str(pdf)), "the PDF holds the results"),
        (
            ("--round", str(w.round.pk), "--format", "pdf", "--output", str(pdf), "--user", "office"),
            "the PDF holds the results",
        ),
        (("--round", str(w.round.pk), "--format", "xlsx", "--user", w.users["zzb"].username), "--output is required"),
    ]
    for args, message in cases:
        with pytest.raises(CommandError, match=message):
            run(*args)
    assert not pdf.exists()
    assert _exports() == 0


def test_sealed_before_release(w, clock, tmp_path):
    released(w, clock, stage="tallied")
    out, err = run("--round", str(w.round.pk), "--user", w.users["zzb"].username)
    data = json.loads(out)
    assert "results" not in data and data["units_under_quorum"] == 1
    assert "sealed" in err
    with pytest.raises(CommandError, match="the PDF holds the results"):
        run(
            "--round",
            str(w.round.pk),
            "--user",
            w.users["zzb"].username,
            "--format",
            "pdf",
            "--output",
            str(tmp_path / "r.pdf"),
        )
    assert _exports() == 0
