"""Congress structure: college congresses hang under the university's; a delegate serves
one term; ended delegates are no longer delegates; presidium membership per session."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from gonghui.congress.choices import CommitteeKind, CongressLevel
from gonghui.congress.models import CommitteeMember, Congress, Delegate
from gonghui.congress.selectors import delegate_for, is_presidium_member, session_current


def test_a_college_congress_needs_its_parent(pw):
    with pytest.raises(IntegrityError), transaction.atomic():
        Congress.objects.create(name="无上级的二级教代会", level=CongressLevel.COLLEGE)
    assert pw.college.parent == pw.congress
    assert list(pw.congress.children.all()) == [pw.college]


def test_one_delegate_row_per_person_and_term(pw):
    with pytest.raises(IntegrityError), transaction.atomic():
        Delegate.objects.create(person=pw.u.zhang, term=pw.term)
    assert Delegate.objects.filter(person=pw.u.zhang).count() == 1


def test_delegate_for_ignores_ended_delegates_and_non_delegates(pw):
    assert delegate_for(person=pw.u.zhang, session=pw.session) == pw.delegates["zhang"]
    assert delegate_for(person=pw.u.zhao, session=pw.session) is None
    Delegate.objects.filter(pk=pw.delegates["zhang"].pk).update(ended_on=datetime.date(2021, 1, 1))
    assert delegate_for(person=pw.u.zhang, session=pw.session) is None


def test_presidium_membership_and_the_current_session(pw):
    assert is_presidium_member(person_id=pw.u.officer_person.pk, session=pw.session) is True
    assert is_presidium_member(person_id=pw.u.zhang.pk, session=pw.session) is False
    CommitteeMember.objects.create(kind=CommitteeKind.PRESIDIUM, term=pw.term, person=pw.u.zhang)
    assert is_presidium_member(person_id=pw.u.zhang.pk, session=pw.session) is True
    assert session_current() == pw.session
