"""One library on several machines: per-field merge rules, git's merge driver, `sync`.

Nothing is imported here: the merge driver loads only what it needs.
"""
