"""One exception hierarchy for the whole core; each class carries the process exit code.

The CLI turns an :class:`IlogError` into one line on stderr and ``exit_code``, in one place.
Codes start at 20 to stay clear of 1 (an internal error) and 2 (wrong usage: the parser's,
and :class:`UsageError`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ilog.model import Problem


class IlogError(Exception):
    """Base of every error ilog reports to a user."""

    exit_code = 20


class UsageError(IlogError):
    """The command line asks for something impossible: an option value outside its forms,
    options that exclude each other. Exit 2, like the parser's own usage errors."""

    exit_code = 2


class StoreError(IlogError):
    """The store is missing, unreadable or not writable."""

    exit_code = 21


class UnreadableFileError(StoreError):
    """A file of the store that cannot be opened (its permissions): ``path`` and ``reason``
    let a command that reads many files list it among those it could not read."""

    def __init__(self, path: str, reason: str) -> None:
        self.path, self.reason = path, reason
        super().__init__(f"cannot read {path}: {reason}; check its permissions (and its "
                         "folder's)")


class ReadOnlyStoreError(StoreError):
    """The store (or a folder in it) cannot be written."""

    exit_code = 22


class FormatError(IlogError):
    """A file is not in the ilog format (bad YAML, no front matter, bad encoding...)."""

    exit_code = 23

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 field: str | None = None) -> None:
        from ilog.model import Problem  # not at import: every command's start-up

        self.problem = Problem(message, path=path, line=line, field=field)
        super().__init__(str(self.problem))

    def at(self, path: str) -> FormatError:
        """The same error, naming the file it was found in."""
        p = self.problem
        return FormatError(p.message, path=path, line=p.line, field=p.field)


class ValidationError(IlogError):
    """A record breaks its template's rules; ``problems`` lists every one of them, and the
    message names them all (one round of fixing, not one per problem). Dates that cannot be
    understood, and nothing else, exit as a DateError does."""

    exit_code = 24

    def __init__(self, problems: list[Problem], *, path: str | None = None) -> None:
        self.problems = problems
        if problems and all(p.unreadable_date for p in problems):
            self.exit_code = DateError.exit_code  # as docs/exit-codes.md says of dates
        where = f"{path}: " if path else ""
        every = "; ".join(p.message_with_field() for p in problems) or "invalid record"
        super().__init__(f"{where}{every}")


class DateError(IlogError):
    """A date or time that cannot be understood."""

    exit_code = 25


class ClientError(IlogError):
    """An unknown, ambiguous or unacceptable client name."""

    exit_code = 26


class UnknownClientError(ClientError):
    """No client matches the name: ``unknown`` says so (with the nearest names), ``hint``
    what to do, which depends on the command."""

    def __init__(self, unknown: str, hint: str = "'ilog clients' lists them") -> None:
        self.unknown = unknown
        super().__init__(f"{unknown}; {hint}")


class SimilarClientError(ClientError):
    """A new client's name is close to existing clients' (``similar``: their slugs): a typo,
    a duplicate, or a short name that means one of them."""

    def __init__(self, name: str, similar: list[str]) -> None:
        self.similar = similar
        super().__init__(f"'{name}' is close to {', '.join(similar[:5])}: to record for one of "
                         "them, give its name; to create a new client all the same, confirm "
                         "it is distinct")


class NotFoundError(IlogError):
    """No record, template or action matches what was asked for."""

    exit_code = 27


class AmbiguousError(IlogError):
    """An id prefix or a name matches more than one thing."""

    exit_code = 28


class ConflictError(IlogError):
    """A file changed on disk between reading and writing it."""

    exit_code = 29


class AbortedError(IlogError):
    """The user gave up (empty or unchanged editor buffer, a 'no' answer)."""

    exit_code = 30


class EditorError(IlogError):
    """The editor could not be started or failed."""

    exit_code = 31


class CheckFailedError(IlogError):
    """``ilog check`` found problems (they have been reported already)."""

    exit_code = 32


class QueryError(IlogError):
    """A search query that cannot mean what the user wants (the column is named)."""

    exit_code = 33


class SearchIndexError(IlogError):
    """The search index cannot be used or rebuilt (e.g. nowhere to write it)."""

    exit_code = 34


class StepStateError(IlogError):
    """A next step or a hold is already in the state asked for (done twice, reopened while
    open, held twice, released while not held)."""

    exit_code = 35


class AlreadyAttachedError(StepStateError):
    """The file asked to be attached is attached already (the same bytes, by SHA-256)."""


class UnreadableFilesError(IlogError):
    """Some files could not be read; everything else was shown and the files were named."""

    exit_code = 36


class SealedError(IlogError):
    """A sealed record cannot be changed: a correction is an amendment."""

    exit_code = 37

    def __init__(self, message: str, *, short_id: str = "") -> None:
        self.short_id = short_id
        super().__init__(message)


class WithdrawnError(IlogError):
    """The record was withdrawn (``ilog void``, ``ilog move``): it cannot be amended,
    withdrawn or moved again."""

    exit_code = 40


class GitError(IlogError):
    """git is missing, the store is no git repository (or has no commits), or a git command
    failed; the message says which and what to do."""

    exit_code = 39


class VerifyFailedError(IlogError):
    """``ilog verify`` found records that are not as they were sealed (they were reported)."""

    exit_code = 38
