"""Synthetic villages, communities and villager groups for the demo city.

Village-level codes are not published with the township data, so the demo invents them under
the real 27 townships of 盘州市, following the statistics bureau's rule (communities 001–199,
villages 200–399). Names are built from the syllables of Guizhou place names (坪, 箐, 冲, 寨 …);
a fixed seed makes every run produce the same tree, so `make demo` can be run again safely.
"""

from __future__ import annotations

import random

from zhenxing.core.regions.models import Region, RegionKind

#: 451 village cooperatives in the article, "一村一社": one per village.
VILLAGE_TOTAL = 451
SEED = 520281

_FIRST = list("大小上下新老中前后东西南北高长白黑红青黄石水沙松竹杉桃李花龙凤马牛羊鸡茶麻岩海云田")
_MIDDLE = ["", "", "", "家", "子", "坡", "山", "河", "木", "草", "果", "塘", "场", "头"]
_LAST = list("寨坝坡冲沟湾坪营屯铺箐口河山岩田塘场庄堡关垭洞厂桥井")
_COMMUNITY = [
    "东城",
    "西城",
    "南城",
    "北城",
    "新华",
    "和平",
    "育才",
    "民主",
    "光明",
    "幸福",
    "团结",
    "文化",
    "锦华",
    "东湖",
    "玉龙",
    "建设",
    "向阳",
    "胜利",
    "兴隆",
    "人民",
    "沙河",
    "红旗",
    "富源",
    "城关",
    "花园",
    "双龙",
    "安康",
    "振兴",
    "滨河",
    "金山",
    "银湖",
    "碧云",
]
_NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]


def _village_counts(townships: list[Region], rng: random.Random) -> list[int]:
    weights = []
    for t in townships:
        if t.name.endswith("街道"):
            weights.append(rng.uniform(0.35, 0.6))
        elif t.name.endswith("乡"):
            weights.append(rng.uniform(0.7, 1.0))
        else:
            weights.append(rng.uniform(1.0, 1.4))
    total = sum(weights)
    counts = [max(4, round(VILLAGE_TOTAL * w / total)) for w in weights]
    # Nudge the largest towns until the city has exactly the article's number of villages.
    order = sorted(range(len(counts)), key=lambda i: -weights[i])
    i = 0
    while sum(counts) != VILLAGE_TOTAL:
        j = order[i % len(order)]
        counts[j] += 1 if sum(counts) < VILLAGE_TOTAL else -1
        i += 1
    return counts


def demo_region_specs(county: Region) -> list[tuple[str, str, str, str | None]]:
    """``(code, name, kind, parent_code)`` for every synthetic region, parents first."""
    rng = random.Random(SEED)
    townships = list(county.children.filter(kind=RegionKind.TOWNSHIP).order_by("code"))
    used: set[str] = set()
    specs: list[tuple[str, str, str, str | None]] = []
    group_specs: list[tuple[str, str, str, str | None]] = []

    def unique(make: object) -> str:
        for _ in range(1000):
            name = make()  # type: ignore[operator]
            if name not in used:
                used.add(name)
                return name
        raise RuntimeError("ran out of demo names")

    def village_name() -> str:
        return rng.choice(_FIRST) + rng.choice(_MIDDLE) + rng.choice(_LAST) + "村"

    for township, n_villages in zip(townships, _village_counts(townships, rng), strict=True):
        is_subdistrict = township.name.endswith("街道")
        n_communities = rng.randint(3, 7) if is_subdistrict else rng.randint(0, 2)
        stem = township.name[:2]
        for serial in range(1, n_communities + 1):
            code = f"{township.code}{serial:03d}"
            name = unique(
                lambda stem=stem: (
                    rng.choice(_COMMUNITY) + "社区"
                    if rng.random() < 0.7
                    else stem + rng.choice(_COMMUNITY) + "社区"
                )
            )
            specs.append((code, name, RegionKind.COMMUNITY, township.code))
            for g in range(1, rng.randint(3, 6) + 1):
                group_specs.append(
                    (f"{code}{g:03d}", f"第{_NUMERALS[g - 1]}居民小组", RegionKind.GROUP, code)
                )
        for serial in range(200, 200 + n_villages):
            code = f"{township.code}{serial:03d}"
            specs.append((code, unique(village_name), RegionKind.VILLAGE, township.code))
            for g in range(1, rng.randint(4, 10) + 1):
                group_specs.append(
                    (f"{code}{g:03d}", f"{_NUMERALS[g - 1]}组", RegionKind.GROUP, code)
                )
    return specs + group_specs
