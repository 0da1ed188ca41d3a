"""Errors a user can act on. The CLI prints their message on one line and exits 2."""

from __future__ import annotations

from collections.abc import Sequence


class UserError(Exception):
    """Bad input or a refused operation, with a message fit to show as it is."""


class ChoiceError(UserError):
    """A refused choice in a request, said in the user's words. `field` names the request's
    field it is about, so a front end can point at its own control for it (the CLI names
    its option)."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


class FrameworkError(UserError):
    """What is wrong with a framework file: one line per problem, in file order, each naming
    the file and line. `line` and `problem` are the first one's."""

    def __init__(
        self,
        path: str,
        line: int | None,
        problem: str,
        more: Sequence[tuple[int | None, str]] = (),
    ) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        self.problems: list[tuple[int | None, str]] = [(line, problem), *more]
        super().__init__("\n".join(self.lines))

    @classmethod
    def of(cls, path: str, problems: Sequence[tuple[int | None, str]]) -> FrameworkError:
        (line, problem), *more = problems
        return cls(path, line, problem, more)

    @property
    def lines(self) -> list[str]:
        return [
            f"{self.path}:{line}: {problem}" if line is not None else f"{self.path}: {problem}"
            for line, problem in self.problems
        ]
