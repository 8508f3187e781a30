"""`config` shows and sets the app's theme and sort (the app saves them there too)."""

from __future__ import annotations


def test_config_lists_and_sets_the_apps_theme_and_sort(run):
    status, out, _ = run("config")
    assert status == 0
    assert "theme = textual-dark\n" in out and "sort = added\n" in out
    assert run("config", "sort", "Date") == (0, "sort = date\n", "")
    assert run("config", "theme", "nord") == (0, "theme = nord\n", "")
    status, out, err = run("config", "sort", "relevance")
    assert (status, out) == (1, "")
    assert (
        err == "readinglist: config sort: 'relevance' is not one of added, date, title, upvotes\n"
    )
    status, _, err = run("config", "theme", "[bold]x")
    assert status == 1 and err.count("\n") == 1 and "config theme: '[bold]x'" in err
    status, out, _ = run("config")
    assert "theme = nord\n" in out and "sort = date\n" in out
