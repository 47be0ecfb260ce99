"""Scrapy settings for the Triglot crawl. Polite by default; every value can be overridden
from the runner (`--set KEY=VALUE`), `scrapy crawl -s`, or triglot's config."""

BOT_NAME = "triglot"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = "Triglot/0.1 (+https://github.com/triglot/triglot)"

# Politeness: the one set of defaults. triglot/config.py's [crawl] defaults are read from
# here, so `triglot crawl`/`run`, `python -m crawler.runner` and `scrapy crawl` agree.
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_DELAY = 1.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
COOKIES_ENABLED = False
# Items a response yields, processed in parallel. Scrapy starts this many asyncio tasks for
# every callback, whatever it yields; an article yields one item (the archive pipeline is
# synchronous, so more parallelism buys nothing) and Scrapy's default of 100 costs about a
# millisecond of event-loop time per page.
CONCURRENT_ITEMS = 4
TELNETCONSOLE_ENABLED = False
# Scrapy's remote-control endpoint (on by default since 2.19) runs code sent with its token
# and leaves job files behind after a kill: a crawler of untrusted pages needs neither.
REMOTE_CONTROL_ENABLED = False

# Limits: one huge or hanging page must not hold the crawl.
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
DOWNLOAD_TIMEOUT = 30
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]

# Always fetch fresh: the archive, not a cache, decides what changed.
HTTPCACHE_ENABLED = False

ITEM_PIPELINES = {"crawler.pipelines.ArchivePipeline": 300}
EXTENSIONS = {"crawler.progress.ProgressLine": 500}
# Conditional GETs from the archive's ETag / Last-Modified: a 304 records a check only.
DOWNLOADER_MIDDLEWARES = {
    # port-aware scope and no private addresses after DNS, before robots.txt (100) is asked
    "crawler.scope.ScopeMiddleware": 50,
    # robots.txt also for the requests that wait while it is fetched (see the middleware)
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.WaitingRobotsTxtMiddleware": 100,
    "crawler.middlewares.ConditionalRequestMiddleware": 560,
    # a redirect loop or off-domain redirect becomes a recorded failure, not a silent drop
    "crawler.middlewares.RedirectGuardMiddleware": 650,
    # the raw response for its WARC record: after redirects (600), before decoding (590)
    "crawler.middlewares.CaptureMiddleware": 595,
}

# Triglot's own settings
TRIGLOT_DB = "triglot.db"  # the archive the pipeline writes to
TRIGLOT_DB_MAX_PAGES = 0  # cap on the archive's pages (PRAGMA max_page_count); 0 = none
TRIGLOT_PROFILE_DIRS = []  # extra profile directories, searched before the built-in ones
TRIGLOT_BASE_URLS = {}  # {profile name: base URL} overrides
TRIGLOT_SECTION_DEPTH = 1  # how deep to follow section pages from a start page
TRIGLOT_MAX_ARTICLES_PER_START = 0  # 0 = no limit
TRIGLOT_MAX_PARAGRAPHS = 10_000  # paragraphs stored per snapshot; the rest are dropped
TRIGLOT_PROGRESS = False  # a progress line on stderr (triglot sets it for a terminal)
TRIGLOT_SHUTDOWN_GRACE = 10.0  # seconds a SIGTERM waits for in-flight requests, then forces
# Worker processes that read pages (extraction, language check) while the reactor keeps
# downloading: None = one per spare core, at most 2; 0 = read in the crawl process.
TRIGLOT_EXTRACT_WORKERS = None

# Raw captures (WARC): every page that becomes a new snapshot is kept as received.
TRIGLOT_WARC = True  # False: no captures (snapshots then cannot be re-read)
TRIGLOT_WARC_DIR = ""  # "" = <archive stem>-warc/ beside the archive
TRIGLOT_WARC_MAX_BYTES = 1_000_000_000  # a file is rotated once it reaches this size

LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
