import pytest

from marsad import settings as settings_mod
from marsad.errors import SettingsError


def test_settings_defaults_load(settings):
    assert 0 < settings.cluster.threshold < 1
    assert settings.summary.max_words > 0


def test_settings_user_file_overrides_only_its_keys(tmp_path, settings):
    f = tmp_path / "s.toml"
    f.write_text("[cluster]\nthreshold = 0.5\n", encoding="utf-8")
    s = settings_mod.load(f)
    assert s.cluster.threshold == 0.5
    assert s.cluster.window_days == settings.cluster.window_days


@pytest.mark.parametrize(
    "body", ["[nope]\nx = 1\n", "[cluster]\nnope = 1\n", "[cluster]\nthreshold = 'high'\n", "[cluster\n"]
)
def test_settings_bad_user_file_is_refused(tmp_path, body):
    f = tmp_path / "s.toml"
    f.write_text(body, encoding="utf-8")
    with pytest.raises(SettingsError):
        settings_mod.load(f)


def test_settings_are_read_only(settings):
    with pytest.raises(AttributeError):
        settings.cluster.threshold = 1
