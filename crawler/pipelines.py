"""Hand crawled items to the archive: one transaction per edition, failures recorded.

The pipeline is the crawl's single writer; a storage error on one item is logged and the
crawl goes on (the item is dropped, the rest are stored).
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.exceptions import DropItem

import archive
from crawler.items import EditionItem, FetchFailureItem, NotModifiedItem

logger = logging.getLogger(__name__)


class ArchivePipeline:
    def __init__(self, db_path: str, stats: Any) -> None:
        self.db_path = db_path
        self.stats = stats
        self.db = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> ArchivePipeline:
        return cls(crawler.settings.get("TRIGLOT_DB") or "triglot.db", crawler.stats)

    def open_spider(self) -> None:
        self.db = archive.open_db(self.db_path)
        logger.info("archiving into %s", self.db_path)

    def close_spider(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None

    def process_item(self, item: Any) -> Any:
        try:
            if isinstance(item, EditionItem):
                result = archive.save_edition(self.db, dict(item))
                self.stats.inc_value("triglot/editions_stored")
                self.stats.inc_value(f"triglot/outcome/{result.outcome}")
                if result.new_snapshot:
                    self.stats.inc_value("triglot/new_snapshots")
            elif isinstance(item, NotModifiedItem):
                archive.record_not_modified(self.db, item["url"], checked_at=item["fetched_at"])
                self.stats.inc_value("triglot/outcome/not_modified")
            elif isinstance(item, FetchFailureItem):
                archive.record_fetch_failure(self.db, dict(item))
                self.stats.inc_value("triglot/failures_recorded")
        except Exception as exc:
            self.stats.inc_value("triglot/store_errors")
            logger.exception("could not store %s", item.get("url"))
            raise DropItem(f"archive error for {item.get('url')}: {exc}") from exc
        return item
