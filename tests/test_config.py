"""The configuration a deployment starts from."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings

ROOT = Path(__file__).resolve().parent.parent


def test_the_example_configuration_loads_as_documented():
    settings = load_settings({"DANVAN_CONFIG": str(ROOT / "danvan.example.yaml")}, require_token=False)
    assert settings.admins and {u.id for u in settings.units} == {"moi-truong-q1", "ubnd-ben-nghe"}


def test_units_without_admins_are_refused_in_vietnamese(tmp_path):
    config = tmp_path / "c.yaml"
    config.write_text("units:\n  - {id: mt, name: Môi trường, chat_id: -1, categories: [moi-truong]}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="admins"):
        load_settings({"DANVAN_CONFIG": str(config)}, require_token=False)
