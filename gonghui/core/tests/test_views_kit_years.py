"""The yearly pages' year picker: every year with data, opening on the latest."""

from gonghui.core.views_kit import years_to_pick


def test_latest_year_with_data_when_none_is_asked():
    assert years_to_pick([2021, 2019, 2021], None) == (2021, [2019, 2021])


def test_an_asked_year_without_data_is_added_to_the_list():
    assert years_to_pick([2019, 2021], 2020) == (2020, [2019, 2020, 2021])


def test_no_data_offers_the_years_around_the_asked_one():
    assert years_to_pick([], 2021) == (2021, [2018, 2019, 2020, 2021, 2022])


def test_next_page_only_on_this_site(rf):
    from gonghui.core.views_kit import next_or

    def asked(target):
        return next_or(rf.post("/x/", {"next": target}), "/fallback/")

    assert asked("/drives/3/") == "/drives/3/"
    assert asked("https://evil.example/") == "/fallback/"
    assert asked("//evil.example/path") == "/fallback/"
    assert asked("") == "/fallback/"
