"""triglot.toml: every key optional, validated at start with messages naming key and file.

Secrets never live here: the SMTP password comes from TRIGLOT_SMTP_PASSWORD.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

CONFIG_ENV = "TRIGLOT_CONFIG"
PASSWORD_ENV = "TRIGLOT_SMTP_PASSWORD"
DEFAULT_DB = "triglot.db"


class ConfigError(Exception):
    """A configuration problem; the message names the file and the key."""


@dataclass
class CrawlConfig:
    user_agent: str = "Triglot/0.1 (+https://github.com/triglot/triglot)"
    download_delay: float = 1.0
    autothrottle: bool = True  # Scrapy's AutoThrottle: slow down when the site slows down
    concurrent_requests_per_domain: int = 2
    download_timeout: float = 30.0
    download_maxsize: int = 10 * 1024 * 1024
    profile_dirs: list[str] = field(default_factory=list)
    sites: list[str] = field(default_factory=list)  # what `triglot crawl`/`run` crawl by default


@dataclass
class ScheduleConfig:
    """Recrawl delays keyed on the time since an article last changed (NewsDiffs-like)."""

    # (age limit in hours, delay in minutes): the first whose age limit exceeds the age wins
    steps: list[list[float]] = field(
        default_factory=lambda: [[3, 15], [24, 60], [24 * 7, 180], [24 * 30, 60 * 24 * 3]]
    )
    horizon_days: float = 30.0  # after this long without a change, stop checking


@dataclass
class SmtpConfig:
    host: str = "localhost"
    port: int = 25
    security: str = "none"  # none | starttls | ssl
    user: str = ""
    timeout: float = 30.0
    ca_file: str = ""  # PEM file of a private CA that signed the server's certificate

    @property
    def password(self) -> str | None:
        return os.environ.get(PASSWORD_ENV)


@dataclass
class AlertsConfig:
    sender: str = "triglot@localhost"
    recipients: list[str] = field(default_factory=list)
    site_recipients: dict[str, list[str]] = field(default_factory=dict)
    subject_prefix: str = "[Triglot]"
    kinds: list[str] = field(default_factory=lambda: ["changed"])
    scopes: list[str] = field(default_factory=lambda: ["language", "version"])
    min_relative_difference: float = 0.0
    datasette_url: str = "http://127.0.0.1:8001"
    templates_dir: str = ""
    max_attempts: int = 10


@dataclass
class ServeConfig:
    host: str = "127.0.0.1"
    port: int = 8001
    sql_time_limit_ms: int = 3000
    page_size: int = 50


@dataclass
class Config:
    db: str = DEFAULT_DB
    path: Path | None = None
    crawl: CrawlConfig = field(default_factory=CrawlConfig)
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
    smtp: SmtpConfig = field(default_factory=SmtpConfig)
    alerts: AlertsConfig = field(default_factory=AlertsConfig)
    serve: ServeConfig = field(default_factory=ServeConfig)
    base_urls: dict[str, str] = field(default_factory=dict)  # [sites.NAME] base_url overrides

    def resolve(self, relative: str) -> str:
        """Paths in the config file are relative to the file, not to the working folder."""
        if not relative or os.path.isabs(relative) or self.path is None:
            return relative
        return str((self.path.parent / relative).resolve())


_SECTIONS = {
    "crawl": CrawlConfig,
    "schedule": ScheduleConfig,
    "smtp": SmtpConfig,
    "alerts": AlertsConfig,
    "serve": ServeConfig,
}


def _check_type(where: str, key: str, value: Any, expected: Any) -> Any:
    expected_type = {"str": str, "int": int, "float": float, "bool": bool}.get(
        expected if isinstance(expected, str) else getattr(expected, "__name__", ""), None
    )
    if expected_type is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if expected_type is not None and not isinstance(value, expected_type):
        raise ConfigError(f"{where}: key '{key}' must be {expected_type.__name__}, got {value!r}")
    if expected_type is None and str(expected).startswith("list") and not isinstance(value, list):
        raise ConfigError(f"{where}: key '{key}' must be a list, got {value!r}")
    if expected_type is None and str(expected).startswith("dict") and not isinstance(value, dict):
        raise ConfigError(f"{where}: key '{key}' must be a table, got {value!r}")
    return value


def _build(section_cls: type, data: dict[str, Any], where: str, prefix: str) -> Any:
    known = {f.name: f for f in fields(section_cls)}
    values = {}
    for key, value in data.items():
        if key not in known:
            raise ConfigError(
                f"{where}: unknown key '{prefix}{key}' (known: {', '.join(sorted(known))})"
            )
        values[key] = _check_type(where, prefix + key, value, known[key].type)
    return section_cls(**values)


def load_config(path: str | Path | None = None) -> Config:
    """Read the config from ``path``, else $TRIGLOT_CONFIG, else ./triglot.toml if present."""
    explicit = path or os.environ.get(CONFIG_ENV)
    if explicit:
        config_path = Path(explicit)
        if not config_path.is_file():
            raise ConfigError(f"{config_path}: config file not found")
    else:
        config_path = Path("triglot.toml")
        if not config_path.is_file():
            return Config()
    try:
        data = tomllib.loads(config_path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{config_path}: not valid TOML: {error}") from error
    where = str(config_path)
    config = Config(path=config_path.resolve())
    for key, value in data.items():
        if key == "db":
            config.db = _check_type(where, "db", value, "str")
        elif key in _SECTIONS:
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: '{key}' must be a table ([{key}])")
            setattr(config, key, _build(_SECTIONS[key], value, where, f"{key}."))
        elif key == "sites":
            for site, table in value.items():
                if not isinstance(table, dict) or set(table) - {"base_url"}:
                    raise ConfigError(f"{where}: [sites.{site}] takes only 'base_url'")
                config.base_urls[site] = _check_type(
                    where, f"sites.{site}.base_url", table["base_url"], "str"
                )
        else:
            raise ConfigError(
                f"{where}: unknown key '{key}' (known: db, sites, {', '.join(sorted(_SECTIONS))})"
            )
    _validate(config, where)
    config.db = config.resolve(config.db)
    config.crawl.profile_dirs = [config.resolve(d) for d in config.crawl.profile_dirs]
    config.alerts.templates_dir = config.resolve(config.alerts.templates_dir)
    config.smtp.ca_file = config.resolve(config.smtp.ca_file)
    return config


def _validate(config: Config, where: str) -> None:
    if config.smtp.security not in {"none", "starttls", "ssl"}:
        raise ConfigError(f"{where}: key 'smtp.security' must be none, starttls or ssl")
    unknown = set(config.alerts.kinds) - {"changed", "missing", "added", "removed", "title"}
    if unknown:
        raise ConfigError(f"{where}: key 'alerts.kinds' has unknown kinds {sorted(unknown)}")
    unknown = set(config.alerts.scopes) - {"language", "version"}
    if unknown:
        raise ConfigError(f"{where}: key 'alerts.scopes' has unknown scopes {sorted(unknown)}")
    for step in config.schedule.steps:
        if not (
            isinstance(step, list)
            and len(step) == 2
            and all(isinstance(x, int | float) and x > 0 for x in step)
        ):
            raise ConfigError(
                f"{where}: key 'schedule.steps' must be a list of [age_hours, delay_minutes]"
            )
    if config.schedule.horizon_days <= 0:
        raise ConfigError(f"{where}: key 'schedule.horizon_days' must be positive")
