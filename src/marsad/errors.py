"""marsad's exceptions. `str(err)` is always one line; nothing here prints, logs or exits."""

from __future__ import annotations


class MarsadError(Exception):
    """Base class of every error marsad raises on purpose."""


class InputError(MarsadError):
    """An input that cannot be read as an article: `<path>[:<where>]: <reason>`."""

    def __init__(self, path: str, reason: str, where: str | int | None = None) -> None:
        self.path = str(path)
        self.reason = " ".join(str(reason).split())
        self.where = where
        super().__init__(str(self))

    def __reduce__(self):
        # rebuilt from its parts when it crosses a process boundary (worker pools)
        return (type(self), (self.path, self.reason, self.where))

    @property
    def location(self) -> str:
        return self.path if self.where is None else f"{self.path}:{self.where}"

    def __str__(self) -> str:
        return f"{self.location}: {self.reason}"


class StoreError(MarsadError):
    """The database cannot be opened, migrated or written."""


class SettingsError(MarsadError):
    """A settings file or value is invalid."""


class NotFoundError(MarsadError):
    """A story, article or other record asked for by id does not exist."""
