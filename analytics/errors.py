"""Errors that are the user's to fix: the CLI prints them as one clear line, the UI in Chinese."""


class UserError(Exception):
    """Bad input or a bad request. ``message`` is plain English or Chinese, no traceback needed."""

    exit_code = 2  # what `python -m analytics` exits with

    def __init__(self, message: str, *, zh: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        # The UI shows the Chinese text when one is given.
        self.zh = zh or message


class NoDataError(UserError):
    """A valid request about a period the database has no complaints for (exit code 1, not 2)."""

    exit_code = 1
