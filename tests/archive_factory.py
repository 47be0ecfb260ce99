"""A small, realistic archive for the Datasette tests, built through the archive's own writes.

Articles, editions, snapshots and paragraphs go through ``archive.save_edition`` (and
``record_fetch_failure``) exactly as the crawler stores them; figures, alignments and
divergences are inserted in the shape the diff stage writes them. Every story and number
here is invented for these tests.

What it plants, so tests can assert on it:

* HARVEST (site "ledger"): uk, en and ru editions. Row 0 states the harvest: uk
  "427 тисяч", en "427,000", ru "472 тысячи" (a planted language divergence against
  both uk and en). Row 2 is a weak row and its paragraphs carry a ``<script>`` tag. Row 3
  exists in uk and ru only (a gap in en) and its figure is a "missing" divergence. The uk
  edition has two versions: the first said "419 тисяч" (a version divergence).
* ENERGY (site "courier"): uk and en stored; the ru edition's fetch failed.
* BRIDGE (site "courier"): three editions; the en edition's text is Ukrainian
  (lang_ok = 0).
* PORT (site "ledger"): three editions, one language divergence detected a week earlier.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import archive

T0 = "2025-03-03T08:00:00+00:00"  # a Monday
T1 = "2025-03-04T09:30:00+00:00"
T2 = "2025-03-05T10:15:00+00:00"
T_DIFF = "2025-03-05T10:20:00+00:00"
T_EARLIER_DIFF = "2025-02-25T12:00:00+00:00"  # the week before

SCRIPT = "<script>alert('pwned')</script>"

HARVEST_V1 = {
    "uk": [
        "Аграрії Дніпропетровщини зібрали 419 тисяч тонн зерна станом на 1 серпня.",
        "Це на 12% більше, ніж торік, повідомила обласна адміністрація.",
        f"{SCRIPT} Експорт зерна через дунайські порти зріс удвічі.",
        "Середня врожайність пшениці склала 41 центнер з гектара.",
    ],
}
HARVEST = {
    "uk": [
        "Аграрії Дніпропетровщини зібрали 427 тисяч тонн зерна станом на 1 серпня.",
        "Це на 12% більше, ніж торік, повідомила обласна адміністрація.",
        f"{SCRIPT} Експорт зерна через дунайські порти зріс удвічі.",
        "Середня врожайність пшениці склала 41 центнер з гектара.",
    ],
    "en": [
        "Farmers in Dnipropetrovsk region have harvested 427,000 tonnes of grain as of 1 August.",
        "That is 12% more than last year, the regional administration said.",
        f"{SCRIPT} Grain exports through the Danube ports doubled.",
    ],
    "ru": [
        "Аграрии Днепропетровщины собрали 472 тысячи тонн зерна по состоянию на 1 августа.",
        "Это на 12% больше, чем в прошлом году, сообщила областная администрация.",
        f"{SCRIPT} Экспорт зерна через дунайские порты вырос вдвое.",
        "Средняя урожайность пшеницы составила 41 центнер с гектара.",
    ],
}
HARVEST_TITLES = {
    "uk": "На Дніпропетровщині зібрали рекордний урожай",
    "en": "Dnipropetrovsk region gathers a record harvest",
    "ru": "На Днепропетровщине собрали рекордный урожай",
}
# (raw, value, unit, kind) of the figures each paragraph states
HARVEST_FIGURES: dict[str, list[list[tuple[str, float, str | None, str]]]] = {
    "uk": [
        [("427 тисяч", 427000, None, "count"), ("1 серпня", 801, None, "date")],
        [("12%", 12, "percent", "percent")],
        [],
        [("41 центнер", 41, "centner", "count")],
    ],
    "en": [
        [("427,000", 427000, None, "count"), ("1 August", 801, None, "date")],
        [("12%", 12, "percent", "percent")],
        [],
    ],
    "ru": [
        [("472 тысячи", 472000, None, "count"), ("1 августа", 801, None, "date")],
        [("12%", 12, "percent", "percent")],
        [],
        [("41 центнер", 41, "centner", "count")],
    ],
}
HARVEST_V1_FIGURES = [[("419 тисяч", 419000, None, "count"), ("1 серпня", 801, None, "date")]]

ENERGY = {
    "uk": [
        "Графіки відключень світла скасовано у 14 областях.",
        "Енергетики відновили 2,3 ГВт потужності за тиждень.",
    ],
    "en": [
        "Power outage schedules have been cancelled in 14 regions.",
        "Engineers restored 2.3 GW of capacity within a week.",
    ],
}
BRIDGE = {
    "uk": ["Міст через Ірпінь відкриють 15 травня.", "Ремонт коштував 180 млн гривень."],
    # the "en" page serves Ukrainian text: its language check fails
    "en": ["Міст через Ірпінь відкриють 15 травня.", "Ремонт коштував 180 млн гривень."],
    "ru": ["Мост через Ирпень откроют 15 мая.", "Ремонт стоил 180 млн гривен."],
}
TITLES = {
    "energy": {
        "uk": "Графіки відключень скасовано у 14 областях",
        "en": "Outage schedules cancelled in 14 regions",
    },
    "bridge": {
        "uk": "Міст через Ірпінь відкриють у травні",
        "en": "Міст через Ірпінь відкриють у травні",
        "ru": "Мост через Ирпень откроют в мае",
    },
    "port": {
        "uk": "Ізмаїльський порт прийняв рекордну кількість суден",
        "en": "Izmail port handles a record number of vessels",
        "ru": "Измаильский порт принял рекордное число судов",
    },
}
PORT = {
    "uk": ["Порт Ізмаїл прийняв 35 суден за добу."],
    "en": ["The port of Izmail handled 35 vessels in a day."],
    "ru": ["Порт Измаил принял 53 судна за сутки."],
}


@dataclass
class SampleArchive:
    """Where the factory put things, so tests need not look them up."""

    path: Path
    harvest_id: int = 0
    energy_id: int = 0
    bridge_id: int = 0
    port_id: int = 0
    paragraph_ids: dict[str, list[int]] = field(default_factory=dict)  # HARVEST current
    snapshot_ids: dict[str, int] = field(default_factory=dict)  # HARVEST current
    harvest_uk_v1_snapshot: int = 0


def _url(site: str, slug: str, lang: str) -> str:
    return f"https://{site}.example.test/{lang}/news/{slug}.html"


def _save(db, site: str, slug: str, lang: str, paragraphs: list[str], **extra: Any):
    alternates = {other: _url(site, slug, other) for other in ("uk", "en", "ru") if other != lang}
    item = {
        "site": site,
        "article_key": f"{site}:{slug}",
        "url": _url(site, slug, lang),
        "lang": lang,
        "lang_declared": lang,
        "lang_detected": lang,
        "lang_confidence": 0.99,
        "title": extra.pop("title", f"{slug} ({lang})"),
        "paragraphs": paragraphs,
        "alternates": alternates,
        "fetched_at": extra.pop("fetched_at", T0),
        "extraction": "profile",
        **extra,
    }
    return archive.save_edition(db, item)


def _paragraph_ids(db, snapshot_id: int) -> list[int]:
    return [
        row[0]
        for row in db.execute(
            "select id from paragraphs where snapshot_id = ? order by idx", [snapshot_id]
        )
    ]


def _insert_figures(db, paragraph_id: int, text: str, figures) -> None:
    for raw, value, unit, kind in figures:
        start = text.index(raw)
        db.execute(
            'insert into figures (paragraph_id, raw, value, unit, kind, start, "end") '
            "values (?, ?, ?, ?, ?, ?, ?)",
            [paragraph_id, raw, value, unit, kind, start, start + len(raw)],
        )


def _insert_alignment(db, article_id: int, rows: list[dict[str, Any]]) -> None:
    for number, row in enumerate(rows):
        for lang, ids in row["members"].items():
            for paragraph_id in ids:
                db.execute(
                    "insert into alignments (article_id, row, lang, paragraph_id, score, weak) "
                    "values (?, ?, ?, ?, ?, ?)",
                    [article_id, number, lang, paragraph_id, row["score"], int(row["weak"])],
                )


def _insert_divergence(db, article_id: int, detected_at: str, **columns: Any) -> int:
    columns.setdefault("deepdiff", json.dumps({"values_changed": {"root": {}}}))
    columns.setdefault("fingerprint", f"{article_id}-{len(columns)}-{sorted(columns.items())}")
    names = ", ".join(f'"{name}"' for name in columns)
    marks = ", ".join("?" for _ in columns)
    cursor = db.execute(
        f"insert into divergences (article_id, detected_at, {names}) values (?, ?, {marks})",
        [article_id, detected_at, *columns.values()],
    )
    return cursor.lastrowid


def build_sample_archive(path: str | Path) -> SampleArchive:
    """Create the sample archive at ``path`` (which must not exist yet)."""
    path = Path(path)
    db = archive.open_db(path)
    sample = SampleArchive(path=path)

    # HARVEST: uk version 1, then all three current editions
    v1 = _save(
        db, "ledger", "harvest", "uk", HARVEST_V1["uk"], title=HARVEST_TITLES["uk"], fetched_at=T0
    )
    sample.harvest_id = v1.article_id
    sample.harvest_uk_v1_snapshot = v1.snapshot_id
    v1_ids = _paragraph_ids(db, v1.snapshot_id)
    _insert_figures(db, v1_ids[0], HARVEST_V1["uk"][0], HARVEST_V1_FIGURES[0])
    for lang in ("uk", "en", "ru"):
        saved = _save(
            db,
            "ledger",
            "harvest",
            lang,
            HARVEST[lang],
            title=HARVEST_TITLES[lang],
            fetched_at=T1 if lang != "uk" else T2,
            published="2025-03-03T07:45:00+02:00",
        )
        assert saved.article_id == sample.harvest_id
        sample.snapshot_ids[lang] = saved.snapshot_id
        ids = _paragraph_ids(db, saved.snapshot_id)
        sample.paragraph_ids[lang] = ids
        for paragraph_id, text, figures in zip(
            ids, HARVEST[lang], HARVEST_FIGURES[lang], strict=True
        ):
            _insert_figures(db, paragraph_id, text, figures)
    # a re-check of the current uk version (an unchanged fetch adds only a check)
    _save(db, "ledger", "harvest", "uk", HARVEST["uk"], title=HARVEST_TITLES["uk"], fetched_at=T2)
    ids = sample.paragraph_ids
    _insert_alignment(
        db,
        sample.harvest_id,
        [
            {"members": {lang: [ids[lang][0]] for lang in ids}, "score": 0.97, "weak": False},
            {"members": {lang: [ids[lang][1]] for lang in ids}, "score": 0.93, "weak": False},
            {"members": {lang: [ids[lang][2]] for lang in ids}, "score": 0.41, "weak": True},
            {
                "members": {"uk": [ids["uk"][3]], "en": [], "ru": [ids["ru"][3]]},
                "score": 0.88,
                "weak": False,
            },
        ],
    )
    snaps = sample.snapshot_ids
    for lang_a, raw_a in (("uk", "427 тисяч"), ("en", "427,000")):
        _insert_divergence(
            db,
            sample.harvest_id,
            T_DIFF,
            scope="language",
            kind="changed",
            lang_a=lang_a,
            lang_b="ru",
            snapshot_a=snaps[lang_a],
            snapshot_b=snaps["ru"],
            row=0,
            paragraph_a=ids[lang_a][0],
            paragraph_b=ids["ru"][0],
            raw_a=raw_a,
            raw_b="472 тысячи",
            value_a=427000,
            value_b=472000,
            figure_kind="count",
            fingerprint=f"harvest-{lang_a}-ru",
        )
    _insert_divergence(
        db,
        sample.harvest_id,
        T_DIFF,
        scope="language",
        kind="missing",
        lang_a="uk",
        lang_b="en",
        snapshot_a=snaps["uk"],
        snapshot_b=snaps["en"],
        row=3,
        paragraph_a=ids["uk"][3],
        raw_a="41 центнер",
        value_a=41,
        unit_a="centner",
        figure_kind="count",
        fingerprint="harvest-uk-en-missing",
    )
    _insert_divergence(
        db,
        sample.harvest_id,
        T_DIFF,
        scope="version",
        kind="changed",
        lang_a="uk",
        lang_b="uk",
        snapshot_a=sample.harvest_uk_v1_snapshot,
        snapshot_b=snaps["uk"],
        row=0,
        paragraph_a=v1_ids[0],
        paragraph_b=ids["uk"][0],
        raw_a="419 тисяч",
        raw_b="427 тисяч",
        value_a=419000,
        value_b=427000,
        figure_kind="count",
        fingerprint="harvest-uk-version",
    )

    # ENERGY: uk and en stored, the ru fetch failed
    for lang in ("uk", "en"):
        saved = _save(
            db, "courier", "energy", lang, ENERGY[lang], title=TITLES["energy"][lang], fetched_at=T1
        )
    sample.energy_id = saved.article_id
    archive.record_fetch_failure(
        db,
        {
            "site": "courier",
            "article_key": "courier:energy",
            "url": _url("courier", "energy", "ru"),
            "status": 503,
            "error": "HTTP 503 Service Unavailable",
            "lang_hint": "ru",
            "fetched_at": T2,
        },
    )

    # BRIDGE: the en edition is really Ukrainian text
    for lang in ("uk", "en", "ru"):
        extra = {"lang_detected": "uk", "lang_confidence": 0.97} if lang == "en" else {}
        saved = _save(
            db,
            "courier",
            "bridge",
            lang,
            BRIDGE[lang],
            title=TITLES["bridge"][lang],
            fetched_at=T1,
            **extra,
        )
    sample.bridge_id = saved.article_id

    # PORT: one divergence a week earlier
    port_snaps = {}
    for lang in ("uk", "en", "ru"):
        saved = _save(
            db,
            "ledger",
            "port",
            lang,
            PORT[lang],
            title=TITLES["port"][lang],
            fetched_at="2025-02-24T09:00:00+00:00",
        )
        port_snaps[lang] = saved.snapshot_id
    sample.port_id = saved.article_id
    _insert_divergence(
        db,
        sample.port_id,
        T_EARLIER_DIFF,
        scope="language",
        kind="changed",
        lang_a="uk",
        lang_b="ru",
        snapshot_a=port_snaps["uk"],
        snapshot_b=port_snaps["ru"],
        row=0,
        raw_a="35 суден",
        raw_b="53 судна",
        value_a=35,
        value_b=53,
        figure_kind="count",
        fingerprint="port-uk-ru",
    )
    db.execute("update articles set needs_diff = 0, next_check = ?", ["2025-03-06T10:00:00+00:00"])
    db.conn.commit()
    db.conn.close()
    return sample


if __name__ == "__main__":  # build one by hand: python tests/archive_factory.py PATH
    import sys

    print(build_sample_archive(sys.argv[1]))
