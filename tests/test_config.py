"""triglot.toml: defaults without a file, validation messages that name the key and file."""

from __future__ import annotations

import pytest

from triglot.config import Config, ConfigError, load_config


def test_no_config_file_gives_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TRIGLOT_CONFIG", raising=False)
    config = load_config()
    assert config.db == "triglot.db"
    assert config.alerts.kinds == ["changed"]
    assert config.serve.port == 8001


def test_values_and_relative_paths(tmp_path):
    path = tmp_path / "conf" / "triglot.toml"
    path.parent.mkdir()
    path.write_text(
        'db = "data/archive.db"\n[crawl]\nsites = ["rbc"]\ndownload_delay = 2\n'
        '[alerts]\nrecipients = ["desk@example.org"]\n[alerts.site_recipients]\n'
        'rbc = ["rbc@example.org"]\n[sites.rbc]\nbase_url = "http://127.0.0.1:9000"\n',
        encoding="utf-8",
    )
    config = load_config(path)
    assert config.db == str(tmp_path / "conf" / "data" / "archive.db")
    assert config.crawl.download_delay == 2.0
    assert config.alerts.site_recipients == {"rbc": ["rbc@example.org"]}
    assert config.base_urls == {"rbc": "http://127.0.0.1:9000"}


def test_warc_folder_and_size_reach_the_crawl(tmp_path):
    from triglot.crawlstage import crawl_settings

    path = tmp_path / "triglot.toml"
    path.write_text('[warc]\ndir = "captures"\nmax_size_mb = 5\n', encoding="utf-8")
    settings = crawl_settings(load_config(path))
    assert settings["TRIGLOT_WARC_DIR"] == str(tmp_path / "captures")
    assert settings["TRIGLOT_WARC_MAX_BYTES"] == 5_000_000
    assert settings["TRIGLOT_WARC"] is True


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[crawl]\ndownload_dely = 1\n", "unknown key 'crawl.download_dely'"),
        ("[smtp]\nport = 'x'\n", "key 'smtp.port' must be int"),
        ("[smtp]\nsecurity = 'tls'\n", "key 'smtp.security'"),
        ("[alerts]\nkinds = ['changed', 'bogus']\n", "key 'alerts.kinds'"),
        ("[alerts]\nrecipients = 'a@b'\n", "key 'alerts.recipients' must be a list"),
        ("colour = 1\n", "unknown key 'colour'"),
        ("[crawl\n", "not valid TOML"),
        ("[schedule]\nsteps = [[1]]\n", "key 'schedule.steps'"),
        ("[warc]\nmax_size_mb = 0\n", "key 'warc.max_size_mb' must be positive"),
        ("[warc]\nenabled = 'yes'\n", "key 'warc.enabled' must be bool"),
        ("[warc]\nfolder = 'x'\n", "unknown key 'warc.folder'"),
    ],
)
def test_errors_name_the_key_and_the_file(tmp_path, text, message):
    assert_config_error(tmp_path, text, message)


def test_missing_explicit_file_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml")


# Every numeric setting's range, and every shape a newcomer gets wrong (issue 12).
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[crawl]\nconcurrent_requests_per_domain = 0\n", "_per_domain' must be between 1"),
        ("[crawl]\nconcurrent_requests_per_domain = -3\n", "concurrent_requests_per_domain"),
        ("[crawl]\ndownload_delay = -1\n", "'crawl.download_delay' must be between 0"),
        ("[crawl]\ndownload_delay = inf\n", "'crawl.download_delay'"),
        ("[crawl]\ndownload_delay = nan\n", "'crawl.download_delay'"),
        ("[crawl]\ndownload_timeout = 0\n", "'crawl.download_timeout'"),
        ("[crawl]\ndownload_maxsize = 0\n", "'crawl.download_maxsize'"),
        ("[crawl]\nprofile_dirs = [5]\n", "'crawl.profile_dirs' must be a list of strings, got 5"),
        ("[crawl]\nsites = 'rbc'\n", "'crawl.sites' must be a list"),
        ("[smtp]\nport = 0\n", "'smtp.port' must be between 1 and 65535"),
        ("[smtp]\nport = true\n", "'smtp.port' must be a number"),
        ("[serve]\nport = 99999\n", "'serve.port' must be between 1 and 65535"),
        ("[serve]\nsql_time_limit_ms = 0\n", "'serve.sql_time_limit_ms'"),
        ("[serve]\npage_size = 0\n", "'serve.page_size'"),
        ("[serve]\nmax_memory_mb = 16\n", "'serve.max_memory_mb' must be 0 (no"),
        ("[serve]\nmax_value_mb = 0\n", "'serve.max_value_mb'"),
        ("[alerts]\nmax_attempts = 0\n", "'alerts.max_attempts'"),
        ("[alerts]\nmin_relative_difference = -0.5\n", "'alerts.min_relative_difference'"),
        ("[schedule]\nhorizon_days = 0\n", "'schedule.horizon_days'"),
        ("sites = 5\n", "'sites' must be a table"),
        ("[sites]\nrbc = {}\n", "[sites.rbc] takes exactly one key, 'base_url'"),
        ("[sites.rbc]\nbase_url = 'file:///etc'\n", "'sites.rbc.base_url' must be an http(s) URL"),
        ("[alerts]\nrecipients = [5, 6]\n", "'alerts.recipients' must be a list of strings, got 5"),
        ("[alerts]\nrecipients = 'desk@example.org'\n", "'alerts.recipients' must be a list"),
        ("[alerts]\nrecipients = ['nobody']\n", "'nobody' in [alerts] is not an email address"),
        ("[alerts.site_recipients]\nrbc = 'a@x.org'\n", "'alerts.site_recipients.rbc' must be"),
        ("[alerts.site_recipients]\nrbc = [1]\n", "site_recipients.rbc' must be a list of strings"),
    ],
)  # fmt: skip
def test_every_range_and_shape_is_checked(tmp_path, text, message):
    assert_config_error(tmp_path, text, message)


def assert_config_error(tmp_path, text: str, message: str) -> None:
    """The config refuses ``text`` with ``message``, naming its file."""
    path = tmp_path / "triglot.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


def test_display_name_recipients_are_addresses(tmp_path):
    path = tmp_path / "triglot.toml"
    path.write_text("[alerts]\nrecipients = ['News desk <desk@example.org>']\n", encoding="utf-8")
    assert load_config(path).alerts.recipients == ["News desk <desk@example.org>"]


def test_every_entry_point_has_the_same_politeness_defaults():
    """`triglot crawl`/`run` (the config), `python -m crawler.runner` and `scrapy crawl`
    (crawler/settings.py) start from one set of values."""
    from crawler.runner import build_settings
    from triglot.crawlstage import crawl_settings

    scrapy_side = build_settings("x.db")
    for key, value in crawl_settings(Config()).items():
        if key in (
            "USER_AGENT",
            "DOWNLOAD_DELAY",
            "AUTOTHROTTLE_ENABLED",
            "DOWNLOAD_TIMEOUT",
            "CONCURRENT_REQUESTS_PER_DOMAIN",
            "DOWNLOAD_MAXSIZE",
        ):
            assert scrapy_side.get(key) == value, key
    assert scrapy_side.getfloat("DOWNLOAD_DELAY") == 1.0  # the README's documented default
