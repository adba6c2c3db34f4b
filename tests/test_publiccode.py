"""publiccode.yml describes the product for government software catalogues (Standard for
Public Code, schema v0.4): the keys the schema requires, valid values, and facts that agree
with setup.cfg."""

from __future__ import annotations

import configparser
import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent

#: from the v0.4 schema
DEVELOPMENT_STATUSES = {"concept", "development", "beta", "stable", "obsolete"}
SOFTWARE_TYPES = {
    "standalone/mobile",
    "standalone/iot",
    "standalone/desktop",
    "standalone/web",
    "standalone/backend",
    "standalone/other",
    "addon",
    "library",
    "configurationFiles",
}
PLATFORMS = {"web", "windows", "mac", "linux", "ios", "android"}
MAINTENANCE_TYPES = {"internal", "contract", "community", "none"}
CATEGORIES = {
    "appointment-scheduling",
    "collaboration",
    "contact-management",
    "digital-citizenship",
    "feedback-and-reviews-management",
    "survey",
    "document-management",
    "knowledge-management",
    "workflow-management",
}
SCOPES = {"local-authorities", "welfare", "society", "government", "healthcare", "employment"}


@pytest.fixture(scope="module")
def publiccode() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "publiccode.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def setup_cfg() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ROOT / "setup.cfg", encoding="utf-8")
    return parser


def test_required_top_level_keys(publiccode: dict[str, Any]) -> None:
    required = {
        "publiccodeYmlVersion",
        "name",
        "url",
        "platforms",
        "categories",
        "developmentStatus",
        "softwareType",
        "description",
        "legal",
        "maintenance",
        "localisation",
    }
    assert required <= set(publiccode)
    # quoted: the schema wants strings, and an unquoted 0.4 or date would not be one
    assert publiccode["publiccodeYmlVersion"] == "0.4"
    assert isinstance(publiccode["releaseDate"], str)
    assert isinstance(publiccode["softwareVersion"], str)
    assert publiccode["url"].startswith("https://")


def test_values_come_from_the_schema(publiccode: dict[str, Any]) -> None:
    assert set(publiccode["platforms"]) <= PLATFORMS
    assert publiccode["categories"] and set(publiccode["categories"]) <= CATEGORIES
    assert publiccode["developmentStatus"] in DEVELOPMENT_STATUSES
    assert publiccode["softwareType"] in SOFTWARE_TYPES
    assert publiccode["intendedAudience"]["countries"] == ["nl"]
    assert set(publiccode["intendedAudience"]["scope"]) <= SCOPES
    datetime.date.fromisoformat(publiccode["releaseDate"])


@pytest.mark.parametrize("language", ["nl", "en"])
def test_description_in_dutch_and_english(publiccode: dict[str, Any], language: str) -> None:
    description = publiccode["description"][language]
    assert description["localisedName"]
    assert 0 < len(description["shortDescription"]) <= 150
    assert 150 <= len(description["longDescription"]) <= 10000
    assert description["features"] and all(0 < len(f) <= 100 for f in description["features"])


def test_legal_maintenance_localisation(
    publiccode: dict[str, Any], setup_cfg: configparser.ConfigParser
) -> None:
    assert publiccode["legal"]["license"] == "EUPL-1.2" == setup_cfg["metadata"]["license"]
    maintenance = publiccode["maintenance"]
    assert maintenance["type"] in MAINTENANCE_TYPES
    if maintenance["type"] in {"internal", "community"}:
        assert maintenance["contacts"] and all(c["name"] for c in maintenance["contacts"])
    localisation = publiccode["localisation"]
    assert localisation["localisationReady"] is True
    # the languages the interface has: Dutch, and the English catalog
    assert set(localisation["availableLanguages"]) == {"nl", "en"}
    assert (ROOT / "intranet/translations/en/LC_MESSAGES/messages.po").is_file()


def test_agrees_with_the_package(
    publiccode: dict[str, Any], setup_cfg: configparser.ConfigParser
) -> None:
    assert publiccode["softwareVersion"] == setup_cfg["metadata"]["version"]
    python = next(d for d in publiccode["dependsOn"]["open"] if d["name"] == "Python")
    assert setup_cfg["options"]["python_requires"] == f">={python['versionMin']}"
