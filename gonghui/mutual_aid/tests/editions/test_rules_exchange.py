"""The 管理办法 leave and come back as JSON documents (rules_export / rules_import): an
edition exported, imported as a draft and compared with the original shows no difference."""

import datetime
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from gonghui.core.editions import EditionStatus
from gonghui.mutual_aid.models import SchemeEdition
from gonghui.mutual_aid.selectors.editions import edition_comparison
from gonghui.mutual_aid.services import editions as services
from gonghui.mutual_aid.tests.editions.factories import edition_make
from gonghui.people.models import EmploymentCategory

pytestmark = pytest.mark.django_db


@pytest.fixture
def adopted_2021(office):
    draft = edition_make(actor=office, year=2021, adopt=False, pro_rata_mode=True, waiting_months=6)
    draft.eligible_categories.set([EmploymentCategory.objects.create(name="事业编制（互助会测试）")])
    return services.edition_adopt(
        actor=office, edition=draft, adopted_on=datetime.date(2021, 1, 10), resolution="第五届教代会第四次会议决议"
    )


def _export(tmp_path, year=2021):
    path = tmp_path / "rules.json"
    out = StringIO()
    call_command("rules_export", "--module", "mutual_aid", "--year", str(year), "--output", str(path), stdout=out)
    assert out.getvalue() == f"{path}: 1 edition(s)\n"
    return path


def test_export_then_import_as_a_draft_compares_equal(tmp_path, adopted_2021):
    path = _export(tmp_path)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert (document["kind"], document["module"], document["status"]) == (
        "mutual_aid.schemeedition",
        "mutual_aid",
        "adopted",
    )
    assert document["rules"]["eligible_categories"] == ["事业编制（互助会测试）"]
    assert document["rules"]["rules"] == [
        {
            "base": "all",
            "deductible": "3000.00",
            "bands": [
                {"lower": "3000.00", "upper": "10000.00", "rate": "0.5000"},
                {"lower": "10000.00", "upper": "30000.00", "rate": "0.6000"},
                {"lower": "30000.00", "upper": None, "rate": "0.7000"},
            ],
        }
    ]

    out = StringIO()
    call_command("rules_import", str(path), stdout=out)

    imported = SchemeEdition.objects.exclude(pk=adopted_2021.pk).get()
    assert out.getvalue() == f"管理办法（年度）: {imported} (草案)\n"
    assert (imported.status, imported.year, imported.adopted_on) == (EditionStatus.DRAFT, 2021, None)
    comparison = edition_comparison(a=adopted_2021, b=imported)
    assert comparison["changed"] == []
    assert len(comparison["rows"]) == 41  # 19 fields, the categories, 11 rule values, 4 disease, 6 document values
    assert (imported.rules.get().bands.count(), imported.diseases.count(), imported.required_documents.count()) == (
        3,
        2,
        2,
    )
    assert imported.fee_active == Decimal("120.00") and imported.pro_rata_mode is True


def test_import_with_adopt_supersedes_the_edition_in_force(tmp_path, adopted_2021):
    path = _export(tmp_path)
    call_command("rules_import", str(path), "--adopt", stdout=StringIO())
    statuses = dict(SchemeEdition.objects.values_list("pk", "status"))
    imported = SchemeEdition.objects.exclude(pk=adopted_2021.pk).get()
    assert statuses == {adopted_2021.pk: "superseded", imported.pk: "adopted"}
    assert (imported.adopted_on, imported.resolution) == (datetime.date(2021, 1, 10), "第五届教代会第四次会议决议")


def test_a_broken_document_writes_nothing(tmp_path, adopted_2021):
    path = _export(tmp_path)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["rules"]["eligible_statuses"] = ["active", "astronaut"]
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match="eligible_statuses"):
        call_command("rules_import", str(path), stdout=StringIO())
    assert SchemeEdition.objects.count() == 1
