"""Scale-out: many crawler processes on a shared Redis frontier, one archive writer.

Worker side (Scrapy components on scrapy-redis): the frontier (queue with leases, a
per-round duplicate filter), fleet-wide politeness, the item codec and the worker spider.
The coordinator (triglot/coordinator.py) feeds the frontier and drains the item stream.
Nothing here is imported by the single-process crawl, so redis stays optional there.
"""
