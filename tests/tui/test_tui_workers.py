"""Workers get a description: without one Textual builds it from repr() of every argument,
on the UI thread, and some workers are handed the whole library (100k papers: ~1.5 s, 600 MB).
"""

import ast
from pathlib import Path

import readinglist.tui

TUI = Path(readinglist.tui.__file__).parent


def _work_decorators():
    """Every `@work(...)` decorator and every `run_worker(...)` call of the TUI."""
    for path in sorted(TUI.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for deco in node.decorator_list:
                    call = deco.func if isinstance(deco, ast.Call) else deco
                    if getattr(call, "id", "") == "work":
                        yield f"{path.name}:{node.name}", deco
            elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "run_worker":
                yield f"{path.name}:line {node.lineno}", node


def test_the_app_has_workers_to_check():
    assert len(list(_work_decorators())) >= 5


def test_every_worker_names_its_description():
    missing = [
        name
        for name, deco in _work_decorators()
        if "description" not in {keyword.arg for keyword in getattr(deco, "keywords", [])}
    ]
    assert missing == []
