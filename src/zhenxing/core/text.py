"""Search keys for Chinese names: either script, full pinyin, or pinyin initials.

Cadres type 盤州 on a Traditional-Chinese keyboard, 盘州 on a Simplified one, or ``pzs`` on a phone;
all three must find 盘州市. Names are folded to Simplified Chinese and stored with their pinyin in
one lowercase ``search_text`` column, so a search is one indexed ``LIKE`` on any database.

A character with more than one reading is stored under each (长 in 张长春 is chang and zhang:
``zcc`` and ``zzc``, ``zhangchangchun`` and ``zhangzhangchun`` all find him), and a name's first
character also under its reading as a surname (单 shan, 曾 zeng, 解 xie), up to
``MAX_VARIANTS`` spellings a name.
"""

from __future__ import annotations

import itertools
from functools import lru_cache

from opencc import OpenCC
from pypinyin import Style, pinyin

#: Surnames whose reading as a surname differs from the character's common reading
#: (百家姓 readings: 单 shàn, 曾 zēng, 解 xiè, 仇 qiú, 朴 piáo, 查 zhā, 区 ōu, 盖 gě, 乐 yuè,
#: 尉 yù, 覃 qín, 缪 miào, 召 shào, 曲 qū, 种 chóng, 眭 suī, 黑 hè, 员 yùn, 秘 bì, 重 chóng).
SURNAME_READINGS = {
    "单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "朴": "piao", "查": "zha",
    "区": "ou", "盖": "ge", "乐": "yue", "尉": "yu", "覃": "qin", "缪": "miao", "召": "shao",
    "曲": "qu", "种": "chong", "眭": "sui", "黑": "he", "员": "yun", "秘": "bi", "重": "chong",
}  # fmt: skip
#: At most this many spellings of one name are stored (most names have one or two), and at
#: most this many readings of one character (the common ones: rare readings only add noise).
MAX_VARIANTS = 8
MAX_READINGS = 2


@lru_cache(maxsize=1)
def _t2s() -> OpenCC:
    return OpenCC("t2s")


@lru_cache(maxsize=65536)
def to_simplified(text: str) -> str:
    """Fold Traditional characters to Simplified; other text passes unchanged.

    Cached: imports fold the same few words (headers, 汉族, 户主, 是) a million times."""
    return _t2s().convert(text)


@lru_cache(maxsize=16384)
def _simplified_char(char: str) -> str:
    # A name folded character by character, like its pinyin below: the phrase converter costs
    # tens of microseconds a name, and a name holds no phrases to convert.
    return to_simplified(char)


@lru_cache(maxsize=16384)
def _readings(char: str) -> tuple[str, ...]:
    """Every reading of one character, the common one first (none for a non-Chinese one)."""
    readings = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
    seen: dict[str, None] = {}
    for group in readings:
        for reading in group:
            if reading:
                seen.setdefault(reading.lower(), None)
    return tuple(seen)[:MAX_READINGS]


def _spellings(simplified: str) -> list[tuple[str, ...]]:
    """The name's readings, one tuple of syllables each, the common reading first."""
    choices = [_readings(char) for char in simplified]
    if simplified and simplified[0] in SURNAME_READINGS:
        surname = SURNAME_READINGS[simplified[0]]
        common = next((r for r in choices[0] if r != surname), None)
        choices[0] = (surname, common) if common else (surname,)
    choices = [c for c in choices if c]
    return list(itertools.islice(itertools.product(*choices), MAX_VARIANTS))


@lru_cache(maxsize=65536)
def search_text(name: str) -> str:
    """The stored search key: simplified name, then each spelling's pinyin initials and full
    pinyin (``"张长春 zzc zhangzhangchun zcc zhangchangchun"``).

    Read character by character (each character's readings, cached): a name is not a phrase,
    and segmenting it as one cost ~40 µs a name, most of a million-row import."""
    simplified = "".join(map(_simplified_char, name.strip()))
    keys = [simplified]
    for syllables in _spellings(simplified):
        for key in ("".join(s[0] for s in syllables), "".join(syllables)):
            if key not in keys:
                keys.append(key)
    return " ".join(keys).lower()


#: Longer than any stored name with its pinyin; longer queries cannot match anything.
MAX_QUERY_LENGTH = 200


def normalise_query(query: str) -> str:
    """A user's query in the form ``search_text`` stores: simplified, lowercase, no spaces."""
    return to_simplified(query).strip().lower().replace(" ", "")
