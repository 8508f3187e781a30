"""Which paper a reference names: its id, an alias, a cite key or a unique id prefix.

The same questions are asked of the papers in memory (`PapersInMemory`) and of the
directory (`Directory`, which answers them without reading the corpus): both are
`Names`, and `resolve` decides from their answers.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Mapping
from typing import Protocol

from readinglist.errors import UnknownIdError
from readinglist.model import PREFIX_MIN, SHORT_ID_MIN, Paper

_HEX_PREFIX = re.compile(r"[0-9a-f]+")


class Names(Protocol):
    """What a lookup asks of the papers it looks among."""

    def has(self, pid: str) -> bool: ...
    def alias(self, name: str) -> str | None: ...
    def prefix_matches(self, prefix: str) -> set[str]: ...
    def key_owner(self, key: str) -> str | None:
        """The paper whose stored cite key (or merged key alias) is `key`, case ignored."""
        ...

    def made_up_owner(self, key: str) -> str | None:
        """The paper whose key made up from its authors, year and title is `key`; raises
        Unsure when it cannot be worked out here."""
        ...


class Unsure(Exception):
    """Only the whole library can tell which paper a reference names."""


def resolve(ref: str, names: Names) -> str:
    """The id `ref` names among `names`; raises UnknownIdError (or Unsure, when only the
    papers' made-up keys could tell and `names` cannot work them out).

    A made-up key is asked for only when no stored key and no id prefix matches.
    """
    ref = ref.strip()
    if not ref:
        raise UnknownIdError("an empty id names no paper")
    low = ref.lower()
    if names.has(low):
        return low
    alias = names.alias(low)
    if alias is not None:
        return alias
    matches = id_prefix_matches(low, names)
    owner = names.key_owner(ref)
    if owner is None and not matches:
        owner = names.made_up_owner(ref)
    if owner is not None and matches - {owner}:
        raise UnknownIdError(f"{ref}: ambiguous (a cite key and another paper's id prefix)")
    if owner is not None:
        return owner
    if len(low) < PREFIX_MIN:
        raise UnknownIdError(
            f"{ref}: no such cite key, and an id needs at least {PREFIX_MIN} characters"
        )
    if not matches:
        raise UnknownIdError(f"{ref}: no paper has this id or cite key")
    if len(matches) > 1:
        raise UnknownIdError(f"{ref}: ambiguous id ({len(matches)} papers match)")
    return matches.pop()


def id_prefix_matches(ref: str, names: Names) -> set[str]:
    """The papers whose id or alias starts with `ref` (hex, of 4 or more characters)."""
    if len(ref) < PREFIX_MIN or not _HEX_PREFIX.fullmatch(ref):
        return set()
    return names.prefix_matches(ref)


def named_by(paper: Paper, ref: str) -> bool:
    """Whether `ref` is the id, an alias, a cite key or an id prefix of `paper`."""
    ref = ref.strip()
    low = ref.lower()
    ids = [paper.id, *paper.aliases]
    keys = {key.casefold() for key in (paper.key, *paper.key_aliases) if key}
    return any(pid.startswith(low) for pid in ids) or ref.casefold() in keys


class PapersInMemory:
    """The names of the papers a library holds in memory, kept as they change.

    The aliases are kept at every change; the sorted ids (for prefixes) and the keys
    are worked out again when first asked after a change that can move them.
    """

    def __init__(self, papers: dict[str, Paper]) -> None:
        self.papers = papers
        self.aliases = {a: p.id for p in papers.values() for a in p.aliases}
        self._sorted_ids: list[str] | None = None
        self._by_key: dict[str, str] | None = None

    def has(self, pid: str) -> bool:
        return pid in self.papers

    def alias(self, name: str) -> str | None:
        return self.aliases.get(name)

    def prefix_matches(self, prefix: str) -> set[str]:
        if self._sorted_ids is None:
            self._sorted_ids = sorted(set(self.papers) | set(self.aliases))
        start = bisect.bisect_left(self._sorted_ids, prefix)
        found = set()
        for name in self._sorted_ids[start:]:
            if not name.startswith(prefix):
                break
            found.add(self.aliases.get(name, name))
        return found

    def key_owner(self, key: str) -> str | None:
        if self._by_key is None:
            papers = self.papers.values()
            # the keys of entries merged into a paper; a paper's own key wins
            self._by_key = {k.casefold(): p.id for p in papers for k in p.key_aliases}
            self._by_key.update((p.key.casefold(), p.id) for p in papers if p.key)
        return self._by_key.get(key.casefold())

    def made_up_owner(self, key: str) -> str | None:
        """The paper whose key, made up because none is stored, is `key` (a library
        written before keys were stored; this works out every such key)."""
        self.key_owner(key)
        if self._by_key is not None and len(self._by_key) >= len(self.papers):
            return None
        from readinglist.citations.latex import cite_keys  # (rarely: not at every start)

        folded = key.casefold()
        keys = cite_keys(self.papers.values())
        return next((pid for pid, k in keys.items() if k.casefold() == folded), None)

    def owner(self, key: str) -> str | None:
        """The paper cited by `key`: stored keys first, then made-up ones."""
        return self.key_owner(key) or self.made_up_owner(key)

    def changed(self, before: Paper | None, after: Paper | None) -> None:
        """Take in one paper stored, changed or (`after` None) removed."""
        if before is not None:
            for alias in before.aliases:
                self.aliases.pop(alias, None)
        if after is not None:
            self.aliases.update((alias, after.id) for alias in after.aliases)
        if before is None or after is None or before.aliases != after.aliases:
            self._sorted_ids = None
        if before is None or after is None or _keys(before) != _keys(after):
            self._by_key = None


def _keys(paper: Paper) -> tuple:
    return paper.key, paper.key_aliases


class ShortIds(Mapping):
    """The short id of each paper, worked out from the directory when asked for."""

    def __init__(self, directory) -> None:
        self.directory = directory

    def __getitem__(self, pid: str) -> str:
        if not self.directory.has(pid):
            raise KeyError(pid)
        return self.directory.short_id(pid, SHORT_ID_MIN)

    def __iter__(self) -> Iterator[str]:
        return iter(self.directory.ids)

    def __len__(self) -> int:
        return len(self.directory.ids)
