"""triglot.toml: every key optional, validated at start with messages naming key and file.

Secrets never live here: the SMTP password comes from TRIGLOT_SMTP_PASSWORD.
"""

from __future__ import annotations

import math
import os
import tomllib
from dataclasses import dataclass, field, fields
from email.utils import parseaddr
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crawler import settings as crawl_defaults

CONFIG_ENV = "TRIGLOT_CONFIG"
PASSWORD_ENV = "TRIGLOT_SMTP_PASSWORD"
DEFAULT_DB = "triglot.db"


class ConfigError(Exception):
    """A configuration problem; the message names the file and the key."""


@dataclass
class CrawlConfig:
    # defaults from crawler/settings.py, the one source every entry point reads
    user_agent: str = crawl_defaults.USER_AGENT
    download_delay: float = crawl_defaults.DOWNLOAD_DELAY
    autothrottle: bool = crawl_defaults.AUTOTHROTTLE_ENABLED  # slow down when the site does
    concurrent_requests_per_domain: int = crawl_defaults.CONCURRENT_REQUESTS_PER_DOMAIN
    download_timeout: float = float(crawl_defaults.DOWNLOAD_TIMEOUT)
    download_maxsize: int = crawl_defaults.DOWNLOAD_MAXSIZE
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
    max_returned_rows: int = 1000  # rows one query may return (Datasette's setting)
    max_csv_mb: int = 50  # size of one streamed CSV export
    max_value_mb: int = 16  # longest string or blob a query may build (SQLITE_LIMIT_LENGTH)
    max_memory_mb: int = 1024  # ceiling on the serve process's memory (RLIMIT_DATA); 0 = none


@dataclass
class WarcConfig:
    """Raw captures: rotating .warc.gz files, one response + request record a snapshot."""

    enabled: bool = True
    dir: str = ""  # "" = <archive stem>-warc/ beside the archive
    max_size_mb: float = 1000.0  # a file is rotated once it reaches this size


@dataclass
class Config:
    db: str = DEFAULT_DB
    path: Path | None = None
    crawl: CrawlConfig = field(default_factory=CrawlConfig)
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
    smtp: SmtpConfig = field(default_factory=SmtpConfig)
    alerts: AlertsConfig = field(default_factory=AlertsConfig)
    serve: ServeConfig = field(default_factory=ServeConfig)
    warc: WarcConfig = field(default_factory=WarcConfig)
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
    "warc": WarcConfig,
}


def _check_type(where: str, key: str, value: Any, expected: Any) -> Any:
    expected_type = {"str": str, "int": int, "float": float, "bool": bool}.get(
        expected if isinstance(expected, str) else getattr(expected, "__name__", ""), None
    )
    if expected_type in (int, float) and isinstance(value, bool):
        raise ConfigError(f"{where}: key '{key}' must be a number, got {value!r}")
    if expected_type is float and isinstance(value, int):
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
            if not isinstance(value, dict):
                raise ConfigError(
                    f"{where}: 'sites' must be a table of [sites.NAME] base_url overrides "
                    f"(the sites to crawl are crawl.sites), got {value!r}"
                )
            for site, table in value.items():
                if not isinstance(table, dict) or set(table) != {"base_url"}:
                    raise ConfigError(f"{where}: [sites.{site}] takes exactly one key, 'base_url'")
                base_url = _check_type(where, f"sites.{site}.base_url", table["base_url"], "str")
                if (
                    urlsplit(base_url).scheme not in ("http", "https")
                    or not urlsplit(base_url).netloc
                ):
                    raise ConfigError(
                        f"{where}: key 'sites.{site}.base_url' must be an http(s) URL, "
                        f"got {base_url!r}"
                    )
                config.base_urls[site] = base_url
        else:
            raise ConfigError(
                f"{where}: unknown key '{key}' (known: db, sites, {', '.join(sorted(_SECTIONS))})"
            )
    _validate(config, where)
    config.db = config.resolve(config.db)
    config.crawl.profile_dirs = [config.resolve(d) for d in config.crawl.profile_dirs]
    config.alerts.templates_dir = config.resolve(config.alerts.templates_dir)
    config.smtp.ca_file = config.resolve(config.smtp.ca_file)
    config.warc.dir = config.resolve(config.warc.dir)
    return config


# Every numeric setting's range: (low, high), inclusive; None = unbounded. A value outside
# would hang the crawl (no request slots), never time out, or overflow a port.
RANGES: dict[str, tuple[float | None, float | None]] = {
    "crawl.download_delay": (0, 3600),
    "crawl.concurrent_requests_per_domain": (1, 64),
    "crawl.download_timeout": (1, 3600),
    "crawl.download_maxsize": (1024, 1024**3),
    "schedule.horizon_days": (0.001, 36500),
    "smtp.port": (1, 65535),
    "smtp.timeout": (1, 3600),
    "alerts.min_relative_difference": (0, None),
    "alerts.max_attempts": (1, 1000),
    "serve.port": (1, 65535),
    "serve.sql_time_limit_ms": (1, 600_000),
    "serve.page_size": (1, 1000),
    "serve.max_returned_rows": (1, 100_000),
    "serve.max_csv_mb": (1, 100_000),
    "serve.max_value_mb": (1, 1024),
    "serve.max_memory_mb": (0, 1024 * 1024),
}


def _check_ranges(config: Config, where: str) -> None:
    for key, (low, high) in RANGES.items():
        section, name = key.split(".")
        value = getattr(getattr(config, section), name)
        if (
            not math.isfinite(value)
            or (low is not None and value < low)
            or (high is not None and value > high)
        ):
            bounds = f"at least {low}" if high is None else f"between {low} and {high}"
            raise ConfigError(f"{where}: key '{key}' must be {bounds}, got {value!r}")
    if 0 < config.serve.max_memory_mb < 128:
        raise ConfigError(
            f"{where}: key 'serve.max_memory_mb' must be 0 (no ceiling) or at least 128, "
            f"got {config.serve.max_memory_mb}"
        )
    if config.serve.page_size > config.serve.max_returned_rows:
        raise ConfigError(f"{where}: key 'serve.page_size' must not exceed serve.max_returned_rows")


def _check_strings(where: str, key: str, values: list[Any]) -> None:
    for value in values:
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{where}: key '{key}' must be a list of strings, got {value!r}")


def _validate(config: Config, where: str) -> None:
    _check_ranges(config, where)
    for key, values in (
        ("crawl.profile_dirs", config.crawl.profile_dirs),
        ("crawl.sites", config.crawl.sites),
        ("alerts.recipients", config.alerts.recipients),
        ("alerts.kinds", config.alerts.kinds),
        ("alerts.scopes", config.alerts.scopes),
    ):
        _check_strings(where, key, values)
    for site, addresses in config.alerts.site_recipients.items():
        if not isinstance(addresses, list):
            raise ConfigError(
                f"{where}: key 'alerts.site_recipients.{site}' must be a list of addresses, "
                f"got {addresses!r}"
            )
        _check_strings(where, f"alerts.site_recipients.{site}", addresses)
    addresses = [*config.alerts.recipients, config.alerts.sender]
    addresses += [a for values in config.alerts.site_recipients.values() for a in values]
    for address in addresses:
        if "@" not in parseaddr(address)[1]:
            raise ConfigError(f"{where}: {address!r} in [alerts] is not an email address")
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
    if not config.warc.max_size_mb > 0:
        raise ConfigError(f"{where}: key 'warc.max_size_mb' must be positive")
    if config.schedule.horizon_days <= 0:
        raise ConfigError(f"{where}: key 'schedule.horizon_days' must be positive")
