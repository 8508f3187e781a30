"""The package carries its sample listings, so a first run works from any install."""

import os

import pytest

import readinglist
from readinglist.persistence.paths import bundled_seeds


def test_bundled_seeds_are_the_sample_listings(seeds):
    bundled = bundled_seeds()
    assert [p.name for p in bundled] == [p.name for p in seeds]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(bundled, seeds, strict=True))


@pytest.mark.skipif(not os.environ.get("CI"), reason="CI installs the package non-editable")
def test_ci_tests_the_installed_package():
    assert "site-packages" in readinglist.__file__
    assert all("site-packages" in str(path) for path in bundled_seeds())
