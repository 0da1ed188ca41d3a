"""A Babel extractor for the command line (babel.cfg): the marked strings, as Babel's own
Python extractor finds them, and each click command's docstring, which is its help text and
cannot be wrapped in a call. The CLI translates the help when it shows it (cli/help.py)."""

from __future__ import annotations

import ast
import inspect
import io
from collections.abc import Iterator
from typing import Any

from babel.messages.extract import extract_python

# (line, function name, message or messages, comments[, context]) as Babel yields them.
Message = tuple[Any, ...]


def extract_cli(fileobj: Any, keywords: Any, comment_tags: Any, options: Any) -> Iterator[Message]:
    source = fileobj.read()
    yield from extract_python(io.BytesIO(source), keywords, comment_tags, options)
    text = source.decode("utf-8") if isinstance(source, bytes) else source
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.FunctionDef) and any(_is_command(d) for d in node.decorator_list):
            doc = ast.get_docstring(node, clean=False)
            if doc:
                # not translated: the note beside the message for translators
                yield node.lineno, "", inspect.cleandoc(doc), ["click command help"]


def _is_command(decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
    return name in ("command", "group")
