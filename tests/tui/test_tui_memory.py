"""The app's search index, once ready, is kept out of the cycle collector's walks."""

import gc
import weakref

from readinglist.tui.searching import Searcher


def test_an_index_ready_to_search_is_frozen(papers):
    searcher = Searcher()
    gc.unfreeze()
    searcher.build(papers, searcher.start_build())
    assert searcher.search("attention") is not None
    assert gc.get_freeze_count() > 0  # the index and what it holds: collections skip them


def test_a_replaced_index_is_still_freed(papers):
    searcher = Searcher()
    searcher.build(papers, searcher.start_build())
    first = weakref.ref(searcher._index)
    searcher.build(papers[:1], searcher.start_build())
    assert searcher._index is not None and first() is not searcher._index
    assert first() is None  # frozen, yet freed by reference counting: it holds no cycle


def test_a_build_overtaken_by_a_newer_one_freezes_nothing(papers):
    searcher = Searcher()
    generation = searcher.start_build()
    searcher.start_build()
    gc.unfreeze()
    assert searcher.build(papers, generation) is False
    assert gc.get_freeze_count() == 0
