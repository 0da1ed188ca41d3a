"""Errors a user can act on. The CLI prints their message on one line and exits 2."""


class UserError(Exception):
    """Bad input or a refused operation, with a message fit to show as it is."""


class FrameworkError(UserError):
    def __init__(self, path: str, line: int | None, problem: str) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {problem}")
