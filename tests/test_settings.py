"""The one configuration object (settings/): read from the environment and an env file, defaults written
once, and a bad value stopping the process at start with the variable's name."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from careers_catalog.data_rules import CatalogDataError
from settings import ROOT, Config, ConfigError
from settings.hours import UK, AdviserHours, when_text
from settings.schools import load_schools


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    for name in Config.__fields__:
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("CAREERS_ENV_FILE", str(tmp_path / "none.env"))
    monkeypatch.setenv("CAREERS_VAR_DIR", str(tmp_path / "var"))
    return monkeypatch


def test_unset_and_empty_variables_take_the_defaults(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clean_env.setenv("POSTCODES_API_URL", "")  # empty counts as unset: offline
    clean_env.setenv("WEB_PORT", "")
    config = Config.from_env()
    assert config.postcodes_api_url is None and config.web_port == 8000
    assert config.catalog_url() == f"sqlite:///{tmp_path / 'var' / 'catalog.db'}"
    assert config.rasa_address() == "http://127.0.0.1:5005"
    assert config.environment()["ACTION_ENDPOINT_URL"] == "http://127.0.0.1:5055/webhook"


def test_values_are_cast_and_derived_from_one_another(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("RASA_PORT", "6005")
    clean_env.setenv("ACTION_PORT", "6055")
    clean_env.setenv("TRACKER_DATABASE_URL", "sqlite:///var/chats.db")
    clean_env.setenv("WEB_APP_URL", "https://careers.example.org/")
    config = Config.from_env()
    assert config.rasa_address() == "http://127.0.0.1:6005"
    assert config.action_endpoint() == "http://127.0.0.1:6055/webhook"
    # A relative SQLite path means the same file whichever folder a process starts in.
    assert config.conversations_url() == f"sqlite:///{ROOT / 'var' / 'chats.db'}"
    assert config.web_app_url == "https://careers.example.org"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("WEB_PORT", "eighty"),
        ("RASA_PORT", "70000"),
        ("RETENTION_MONTHS", "0"),
        ("LINK_SECRET", "short"),
        ("RASA_URL", "127.0.0.1:5005"),
        ("DATABASE_URL", "mysql://x"),
        ("CHAT_LIMIT_PER_SENDER", "-1"),
    ],
)
def test_a_bad_value_fails_at_once_naming_the_variable(
    clean_env: pytest.MonkeyPatch, name: str, value: str
) -> None:
    clean_env.setenv(name, value)
    with pytest.raises(ConfigError, match=name):
        Config.from_env()


def test_an_env_file_is_read_and_the_environment_wins(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    env_file = tmp_path / "school.env"
    env_file.write_text("RETENTION_MONTHS=6\nWEB_PORT=8100\n")
    clean_env.setenv("CAREERS_ENV_FILE", str(env_file))
    clean_env.setenv("WEB_PORT", "8200")
    config = Config.from_env()
    assert config.retention_months == 6 and config.web_port == 8200


def test_secrets_never_show_in_the_settings_printed(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("LINK_SECRET", "a-very-long-secret-value")
    clean_env.setenv("ACTION_SERVER_TOKEN", "token-of-the-action-server")
    config = Config.from_env()
    assert "a-very-long-secret-value" not in repr(config)
    assert config.signing_key() == b"a-very-long-secret-value"
    assert config.environment()["ACTION_SERVER_TOKEN"] == "token-of-the-action-server"


def test_the_web_app_refuses_to_start_with_a_bad_setting(tmp_path: Path) -> None:
    started = subprocess.run(
        [sys.executable, "-m", "web"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "WEB_PORT": "eighty", "CAREERS_VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert started.returncode != 0
    assert "WEB_PORT" in started.stderr and "Traceback" not in started.stderr


def test_adviser_hours_say_when_an_answer_can_be_expected() -> None:
    hours = AdviserHours.parse("Mon-Fri 08:30-16:00")
    assert hours.describe() == "on weekdays from 8:30am to 4pm"
    friday_evening = dt.datetime(2026, 12, 4, 17, 0, tzinfo=UK)
    assert not hours.is_open(friday_evening)
    monday = hours.next_open(friday_evening)
    assert (monday.weekday(), monday.hour, monday.minute) == (0, 8, 30)
    assert when_text(monday, friday_evening) == "after 8:30am on Monday 7 December"
    tuesday_early = dt.datetime(2026, 12, 8, 7, 0, tzinfo=UK)
    assert when_text(hours.next_open(tuesday_early), tuesday_early) == "after 8:30am today"
    # In summer time too: 09:00 in London is 08:00 UTC, within the hours.
    assert hours.is_open(dt.datetime(2026, 6, 10, 8, 0, tzinfo=dt.timezone.utc))
    assert AdviserHours.parse("wed 12:00-13:00").describe() == "on Wednesdays from 12pm to 1pm"
    for bad in ("weekdays 9-4", "Fri-Mon 09:00-10:00", "Mon 16:00-09:00", "Mon 25:00-26:00"):
        with pytest.raises(ValueError, match="must"):
            AdviserHours.parse(bad)


def test_a_schools_file_with_bad_adviser_hours_names_the_school(tmp_path: Path) -> None:
    path = tmp_path / "schools.yml"
    path.write_text("schools:\n  - id: demo\n    name: Demo\n    adviser_hours: whenever\n")
    with pytest.raises(CatalogDataError, match="school 1: adviser_hours"):
        load_schools(path)
