"""One settings object, loaded from the shipped `settings.toml` plus an optional user file.

Defaults are read first, so a user file overrides only the keys it sets; unknown sections or keys, and
values of another type than the default, are refused with a `SettingsError` naming them. Stages get the
`Settings` passed in; nothing reads it as a global.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from marsad.errors import SettingsError


class Section:
    """A read-only group of settings, read as attributes: `settings.cluster.threshold`."""

    __slots__ = ("_name", "_values")

    def __init__(self, name: str, values: dict[str, Any]) -> None:
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_values", MappingProxyType(dict(values)))

    def __getattr__(self, key: str) -> Any:
        try:
            return self._values[key]
        except KeyError:
            raise AttributeError(f"settings section [{self._name}] has no key {key!r}") from None

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError("settings are read-only")

    def as_dict(self) -> dict[str, Any]:
        return dict(self._values)

    def __repr__(self) -> str:
        return f"Section({self._name!r}, {dict(self._values)!r})"


@dataclass(frozen=True)
class Settings:
    """Every tunable value of marsad, by section (see `settings.toml` for what each means)."""

    sections: MappingProxyType

    def __getattr__(self, name: str) -> Section:
        try:
            return self.sections[name]
        except KeyError:
            raise AttributeError(f"no settings section [{name}]") from None

    def __reduce__(self):
        # MappingProxyType does not pickle; rebuild from plain values (for worker processes)
        return (_build, (self._plain(),))

    def with_overrides(self, overrides: dict[str, dict[str, Any]]) -> Settings:
        """A copy with some keys replaced, checked like a user file."""
        return _build(_merge(self._plain(), overrides, "overrides"))

    def _plain(self) -> dict[str, dict[str, Any]]:
        return {name: sec.as_dict() for name, sec in self.sections.items()}


def _merge(base: dict[str, dict[str, Any]], user: dict[str, Any], origin: str) -> dict[str, dict[str, Any]]:
    merged = {name: dict(values) for name, values in base.items()}
    for name, values in user.items():
        if name not in merged:
            raise SettingsError(f"{origin}: unknown settings section [{name}]")
        if not isinstance(values, dict):
            raise SettingsError(f"{origin}: [{name}] must be a table")
        for key, value in values.items():
            if key not in merged[name]:
                raise SettingsError(f"{origin}: unknown setting {name}.{key}")
            default = merged[name][key]
            ok = isinstance(value, type(default)) or (isinstance(default, float) and isinstance(value, int))
            if not ok or isinstance(value, bool) != isinstance(default, bool):
                raise SettingsError(
                    f"{origin}: {name}.{key} must be {type(default).__name__}, got {value!r}"
                )
            merged[name][key] = float(value) if isinstance(default, float) else value
    return merged


def _build(plain: dict[str, dict[str, Any]]) -> Settings:
    return Settings(MappingProxyType({name: Section(name, vals) for name, vals in plain.items()}))


def load(user_file: str | Path | None = None) -> Settings:
    """The shipped defaults, overridden by `user_file` when given."""
    text = resources.files("marsad").joinpath("settings.toml").read_text(encoding="utf-8")
    plain = tomllib.loads(text)
    if user_file is not None:
        path = Path(user_file)
        try:
            user = tomllib.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise SettingsError(f"{path}: cannot read settings file ({exc.strerror})") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise SettingsError(f"{path}: not a valid TOML file ({exc})") from None
        plain = _merge(plain, user, str(path))
    return _build(plain)
