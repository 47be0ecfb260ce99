"""The `triglot` command: crawl, diff, alert, run, serve, align, figures, demo."""

from __future__ import annotations

import functools
import json
import logging
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from archive.schema import ArchiveRefused
from crawler.profiles import ProfileError
from diffing.langs import LANGUAGES
from triglot import exitcodes
from triglot.config import Config, ConfigError, load_config
from triglot.ports import PortInUse, bind_port

log = logging.getLogger("triglot")
PORT = click.IntRange(1, 65535)


class Context:
    def __init__(self, config: Config, db_path: str):
        self.config = config
        self.db_path = db_path

    def open_db(self):
        import archive

        return archive.open_db(self.db_path)


def common_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--db and --config on every command, as DESIGN.md promises."""

    @click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False),
        default=None,
        help="Archive path (default: the config's db, else ./triglot.db).",
    )
    @click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False),
        default=None,
        envvar="TRIGLOT_CONFIG",
        help="triglot.toml (default: $TRIGLOT_CONFIG, else ./triglot.toml if present).",
    )
    @click.option("-v", "--verbose", count=True, help="More logging (-vv: debug).")
    @functools.wraps(func)
    def wrapper(db_path: str | None, config_path: str | None, verbose: int, **kwargs: Any):
        from triglot.logsetup import configure

        configure(verbose)
        try:
            config = load_config(config_path)
        except ConfigError as error:
            _fail(f"triglot: config error: {error}", exitcodes.CONFIG_ERROR)
        ctx = Context(config, db_path or config.db)
        try:
            return func(ctx, **kwargs)
        except ArchiveRefused as refused:  # another app's file, a typo'd folder, corrupt
            _fail(f"triglot: {refused}", exitcodes.NOTHING_DONE)
        except sqlite3.Error as error:  # read-only file, full disk, not a database...
            _fail(f"triglot: archive {ctx.db_path} cannot be used: {error}", exitcodes.NOTHING_DONE)
        except ProfileError as error:  # a site named in the config without a profile
            _fail(f"triglot: config error: {error}", exitcodes.CONFIG_ERROR)
        except PortInUse as error:
            _fail(f"triglot: {error}", exitcodes.PORT_IN_USE)

    return wrapper


def _fail(message: str, code: int) -> None:
    """The one line an error gets, then its documented exit code."""
    click.echo(" ".join(message.split()), err=True)
    sys.exit(code)


class OneLineErrors(click.Group):
    """click's usage errors as one line ("triglot crawl: --url: ..."), exit code 2."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            return super().main(*args, **kwargs)
        except click.UsageError as error:
            where = error.ctx.command_path if error.ctx else "triglot"
            _fail(f"{where}: {error.format_message()}", exitcodes.USAGE)
        except click.ClickException as error:
            _fail(f"triglot: {error.format_message()}", error.exit_code)
        except click.Abort:
            _fail("triglot: aborted", 1)


profile_dir_option = click.option(
    "--profile-dir",
    "profile_dirs",
    multiple=True,
    type=click.Path(file_okay=False, exists=True),
    help="Extra folder of site profiles (repeatable).",
)


@click.group(cls=OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="triglot")
def main() -> None:
    """Triglot: do the uk, en and ru editions of a news story tell the same numbers?"""


@main.command()
@common_options
@click.option("--site", "sites", multiple=True, help="A site profile to crawl (repeatable).")
@click.option("--url", "urls", multiple=True, help="An article URL to fetch now (repeatable).")
@profile_dir_option
@click.option(
    "--base-url",
    "base_urls",
    multiple=True,
    metavar="SITE=URL",
    help="Override a profile's base_url.",
)
def crawl(ctx: Context, sites, urls, profile_dirs, base_urls) -> None:
    """Fetch new and due articles and all their language editions; store snapshots."""
    from crawler.scope import url_refusal
    from triglot.crawlstage import check_profiles, run_crawl_stage

    overrides = _parse_pairs(base_urls, "--base-url")
    for url in urls:
        refusal = url_refusal(url)
        if refusal:
            raise click.BadParameter(refusal, param_hint="--url")
    check_profiles([], ctx.config.crawl.profile_dirs, {})  # the config's: exit 5
    try:  # names given here are usage errors (exit 2)
        check_profiles(
            list(sites),
            [*ctx.config.crawl.profile_dirs, *profile_dirs],
            {**ctx.config.base_urls, **overrides},
        )
    except ProfileError as error:
        raise click.BadParameter(str(error), param_hint="--site/--base-url") from error
    stats = run_crawl_stage(
        ctx.db_path,
        ctx.config,
        sites=list(sites),
        urls=list(urls),
        profile_dirs=list(profile_dirs),
        base_urls=overrides,
    )
    click.echo(_crawl_line(stats))
    if stats.get("archive_error"):
        click.echo(f"triglot crawl: stopped: {stats['archive_error']}", err=True)
    sys.exit(exitcodes.for_crawl(stats))


def _parse_pairs(pairs: tuple[str, ...], what: str) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name or not value:
            raise click.BadParameter(f"{pair!r}: expected NAME=VALUE", param_hint=what)
        out[name] = value
    return out


def _crawl_line(stats: dict[str, Any]) -> str:
    keys = ("pages", "editions_stored", "new_snapshots", "failures", "listing_failures")
    return "crawl: " + ", ".join(f"{k.replace('_', ' ')} {stats.get(k, 0)}" for k in keys)


@main.command()
@common_options
@click.option("--all", "everything", is_flag=True, help="Re-derive every article.")
def diff(ctx: Context, everything: bool) -> None:
    """Align and compare what changed since the last diff (or everything)."""
    from triglot.diffstage import run_diff

    report = run_diff(ctx.open_db(), everything=everything)
    click.echo(
        f"diff: {report.articles} articles, {report.language_divergences_new} new language "
        f"divergences, {report.version_divergences_new} new version divergences, "
        f"{report.errors} errors, {report.seconds:.2f}s"
    )
    sys.exit(exitcodes.PARTIAL if report.errors else exitcodes.OK)


@main.command()
@common_options
@click.option("--dry-run", is_flag=True, help="Print the email instead of sending it.")
@click.option(
    "--to-file",
    type=click.Path(file_okay=False),
    default=None,
    help="Write .eml files to this folder instead of sending.",
)
def alert(ctx: Context, dry_run: bool, to_file: str | None) -> None:
    """Send the digest of new divergences."""
    from triglot.alerts import run_alerts

    report = run_alerts(
        ctx.open_db(), ctx.config, dry_run=dry_run, to_file=to_file, echo=click.echo
    )
    click.echo(
        f"alert: {report.created} new, {report.sent} sent, {report.failed} failed, "
        f"{report.pending} pending"
        + (f", written {len(report.written)} file(s) to {to_file}" if to_file else "")
    )
    sys.exit(exitcodes.PARTIAL if report.pending or report.failed else exitcodes.OK)


_PROFILE_DIRS = click.option(
    "--profile-dir",
    "profile_dirs",
    multiple=True,
    type=click.Path(file_okay=False),
    help="Extra folder of site profiles (repeatable).",
)
_BASE_URLS = click.option(
    "--base-url", "base_urls", multiple=True, metavar="SITE=URL", help="Override a base_url."
)
_REDIS = click.option("--redis", "redis_url", required=True, help="redis://HOST:6379/0")
_IDLE = click.option(
    "--exit-when-idle",
    type=float,
    default=None,
    metavar="SECONDS",
    help="Stop once the fleet has had nothing to do for this long (default: run until stopped).",
)


@main.command()
@common_options
@_REDIS
@click.option("--site", "sites", multiple=True, help="A site profile to crawl (repeatable).")
@click.option("--url", "urls", multiple=True, help="An article URL to fetch (repeatable).")
@_PROFILE_DIRS
@_BASE_URLS
@_IDLE
@click.option("--interval", type=float, default=900.0, help="Seconds between crawl rounds.")
@click.option("--batch", type=int, default=200, help="Items stored per archive transaction.")
@click.option(
    "--to-file",
    type=click.Path(file_okay=False),
    default=None,
    help="Write alert .eml files to this folder instead of sending.",
)
def coordinator(
    ctx: Context,
    redis_url,
    sites,
    urls,
    profile_dirs,
    base_urls,
    exit_when_idle,
    interval,
    batch,
    to_file,
) -> None:
    """Scale-out: queue rounds on Redis, store the workers' items, diff and alert."""
    from crawler.fleet.redisconn import RedisUnavailable
    from crawler.profiles import ProfileError
    from triglot.coordinator import Coordinator
    from triglot.lock import LockHeld, LockUnavailable, RunLock

    runner = Coordinator(
        redis_url,
        ctx.db_path,
        ctx.config,
        sites=list(sites),
        urls=list(urls),
        profile_dirs=list(profile_dirs),
        base_urls=_parse_pairs(base_urls, "--base-url"),
        exit_when_idle=exit_when_idle,
        interval=interval,
        batch=batch,
        to_file=to_file,
        echo=click.echo,
    )
    failures = {  # one line and a documented code each, never a traceback
        RedisUnavailable: exitcodes.REDIS_UNAVAILABLE,
        ProfileError: exitcodes.CONFIG_ERROR,
        LockHeld: exitcodes.LOCKED,
        LockUnavailable: exitcodes.NOTHING_DONE,
    }
    try:
        with RunLock(ctx.db_path):
            code = runner.run()
    except tuple(failures) as error:
        click.echo(f"triglot coordinator: {error}", err=True)
        code = next(c for kind, c in failures.items() if isinstance(error, kind))
    sys.exit(code)


@main.command()
@common_options
@_REDIS
@click.option("--processes", type=int, default=1, help="Crawler processes on this machine.")
@_PROFILE_DIRS
@_BASE_URLS
@click.option("--set", "settings", multiple=True, metavar="KEY=VALUE", help="Scrapy setting.")
@_IDLE
def worker(ctx: Context, redis_url, processes, profile_dirs, base_urls, settings, exit_when_idle):
    """Scale-out: crawl from the shared Redis frontier; items go back to the coordinator."""
    from crawler.runner import _parse_value
    from triglot.fleetcmd import run_workers

    overrides = {k: _parse_value(v) for k, v in _parse_pairs(settings, "--set").items()}
    sys.exit(
        run_workers(
            redis_url,
            ctx.config,
            processes=processes,
            exit_when_idle=exit_when_idle,
            profile_dirs=list(profile_dirs),
            base_urls=_parse_pairs(base_urls, "--base-url"),
            settings=overrides,
        )
    )


@main.command()
@common_options
@click.option(
    "--to-file",
    type=click.Path(file_okay=False),
    default=None,
    help="Write alert .eml files to this folder instead of sending.",
)
def run(ctx: Context, to_file: str | None) -> None:
    """crawl + diff + alert: the one line cron calls."""
    from triglot.crawlstage import check_profiles
    from triglot.lock import LockHeld, LockUnavailable
    from triglot.runstage import run_all

    config = ctx.config  # a site without a profile is a config error before the lock
    check_profiles(config.crawl.sites, config.crawl.profile_dirs, config.base_urls)
    try:
        code = run_all(ctx.db_path, ctx.config, to_file=to_file, echo=click.echo)
    except LockHeld as held:
        click.echo(f"triglot run: {held}", err=True)
        code = exitcodes.LOCKED
    except LockUnavailable as error:
        click.echo(f"triglot run: {error}", err=True)
        code = exitcodes.NOTHING_DONE
    sys.exit(code)


@main.command()
@common_options
@click.option(
    "--every",
    default="15m",
    show_default=True,
    help="How often: 15m, 1h, 2h (minutes must divide 60, hours 24).",
)
@click.option(
    "--log",
    "log_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Log file (default: triglot-cron.log beside the archive).",
)
def cron(ctx: Context, every: str, log_path: str | None) -> None:
    """Print a ready crontab line for this installation."""
    from triglot.runstage import crontab_line

    try:
        click.echo(crontab_line(ctx.db_path, ctx.config, every=every, log_path=log_path))
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--every") from error


@main.command()
@common_options
@click.option("--port", type=PORT, default=None, help="Port (default: the config's, 8001).")
@click.option("--host", default=None, help="Host (default 127.0.0.1).")
def serve(ctx: Context, port: int | None, host: str | None) -> None:
    """Datasette over the archive, read-only, with datasette_config/."""
    import archive

    # a corrupt, foreign or too-new file is refused here, not answered with 500s later
    archive.check_archive_file(ctx.db_path)
    if not Path(ctx.db_path).exists() or not Path(ctx.db_path).stat().st_size:
        archive.open_db(ctx.db_path)  # an empty archive with the schema, to browse
    from triglot.serve import serve_datasette

    serve_datasette(ctx.db_path, ctx.config, host=host, port=port, echo=click.echo)


@main.command()
@common_options
@click.option("--json", "as_json", is_flag=True, help="The JSON document of DESIGN.md.")
@click.argument("sources", nargs=-1, required=True)
def align(ctx: Context, as_json: bool, sources: tuple[str, ...]) -> None:
    """Offline: align saved pages or .txt files and print their divergences.

    SOURCE is PATH or LANG=PATH; PATH is an HTML page or a .txt file whose paragraphs
    are separated by blank lines.
    """
    from triglot.offline import align_sources, format_alignment

    try:
        document = align_sources(sources)
    except (OSError, ValueError) as error:
        click.echo(f"triglot align: {error}", err=True)
        sys.exit(exitcodes.NOTHING_DONE)
    if as_json:
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        click.echo(format_alignment(document))


@main.command()
@common_options
@click.option("--url", default=None, help="Read the pages as if fetched from this URL.")
@click.option("--json", "as_json", is_flag=True, help="A JSON list, one record per file.")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def extract(ctx: Context, url: str | None, as_json: bool, files: tuple[str, ...]) -> None:
    """Offline: what the extractor reads from saved pages (.html, .html.gz), and why."""
    from triglot.extractcmd import ExtractError, extract_file, format_record

    records, failed = [], 0
    for name in files:
        try:
            records.append(
                extract_file(Path(name), url, ctx.config.crawl.profile_dirs, ctx.db_path)
            )
        except ExtractError as error:
            failed += 1
            click.echo(f"triglot extract: {error}", err=True)
            continue
        if not as_json:
            click.echo(format_record(records[-1]))
    if as_json:
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
    sys.exit(
        exitcodes.OK if not failed else exitcodes.PARTIAL if records else exitcodes.NOTHING_DONE
    )


@main.command()
@common_options
@click.option("--json", "as_json", is_flag=True, help="A JSON list of figure records.")
@click.option("--lang", required=True, type=click.Choice(LANGUAGES))
@click.argument("text")
def figures(ctx: Context, as_json: bool, lang: str, text: str) -> None:
    """Offline: the figures a text states, normalised (TEXT '-' reads stdin)."""
    from diffing.figures import extract_figures

    if text == "-":
        text = sys.stdin.read()
    found = [f.to_dict() for f in extract_figures(text, lang)]
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    for fig in found:
        extra = " ".join(
            f"{k}={fig[k]}" for k in ("high", "unit", "qualifier") if fig.get(k) is not None
        )
        click.echo(f"{fig['raw']!r:32} {fig['kind']:8} {fig['value']:g} {extra}".rstrip())


@main.command()
@common_options
@click.option("--port", type=PORT, default=8001, help="Datasette port.")
@click.option("--site-port", type=PORT, default=8765, help="Sample site port.")
@click.option("--no-serve", is_flag=True, help="Build the demo archive and stop.")
def demo(ctx: Context, port: int, site_port: int, no_serve: bool) -> None:
    """The bundled sample sites on loopback, crawled, diffed, alerted to files, served."""
    from triglot.config import DEFAULT_DB
    from triglot.demo import run_demo

    explicit = ctx.config.path is not None or ctx.db_path != DEFAULT_DB
    wanted = [(site_port, "demo sample site (--site-port)")]
    if not no_serve:
        wanted.append((port, "demo Datasette (--port)"))
    for number, what in wanted:  # a busy port fails here, before anything is built
        bind_port("127.0.0.1", number, what).close()
    run_demo(
        db_path=ctx.db_path if explicit else None,
        port=port,
        site_port=site_port,
        serve=not no_serve,
        echo=click.echo,
    )


@main.command()
@common_options
@click.option("--site", default=None, help="Only this site's captures.")
@click.option("--since", default=None, metavar="T", help="Only captures fetched at or after T.")
@click.option("--all", "everything", is_flag=True, help="Also captures read by this extractor.")
@profile_dir_option
def reextract(ctx: Context, site, since, everything, profile_dirs) -> None:
    """Re-read stored raw captures with the current extractor; re-derive what changed."""
    from triglot.warccmd import run_reextract

    sys.exit(run_reextract(ctx, site, since, everything, list(profile_dirs), click.echo))


@main.group()
def export() -> None:
    """Export from the archive."""


@export.command("warc")
@common_options
@click.option("--site", default=None, help="Only this site's captures.")
@click.option("--since", default=None, metavar="T", help="Only captures fetched at or after T.")
@click.argument("out", type=click.Path(dir_okay=False))
def export_warc_command(ctx: Context, site, since, out) -> None:
    """Write the raw captures as one WARC file (warcinfo first) for pywb / ReplayWeb.page."""
    from triglot.warccmd import run_export

    sys.exit(run_export(ctx, out, site, since, click.echo))


if __name__ == "__main__":
    main()
