"""Search keys for Chinese names: either script, full pinyin, or pinyin initials.

Cadres type 盤州 on a Traditional-Chinese keyboard, 盘州 on a Simplified one, or ``pzs`` on a phone;
all three must find 盘州市. Names are folded to Simplified Chinese and stored with their pinyin in
one lowercase ``search_text`` column, so a search is one indexed ``LIKE`` on any database.
"""

from __future__ import annotations

from functools import lru_cache

from opencc import OpenCC
from pypinyin import lazy_pinyin


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
def _syllables(char: str) -> list[str]:
    return lazy_pinyin(char, errors="ignore")


@lru_cache(maxsize=65536)
def search_text(name: str) -> str:
    """The stored search key: simplified name, pinyin initials, full pinyin.

    Read character by character (each character's common reading, cached): a name is not a
    phrase, and segmenting it as one cost ~40 µs a name, most of a million-row import."""
    simplified = "".join(map(_simplified_char, name.strip()))
    syllables = [s for char in simplified for s in _syllables(char)]
    initials = "".join(s[0] for s in syllables if s)
    full = "".join(syllables)
    return f"{simplified} {initials} {full}".lower()


#: Longer than any stored name with its pinyin; longer queries cannot match anything.
MAX_QUERY_LENGTH = 200


def normalise_query(query: str) -> str:
    """A user's query in the form ``search_text`` stores: simplified, lowercase, no spaces."""
    return to_simplified(query).strip().lower().replace(" ", "")
