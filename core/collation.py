"""Sort keys for names, in the order a reader of each language expects.

English names sort alphabetically, ignoring case, accents and punctuation ("Côte d'Ivoire"
comes between "Costa Rica" and "Croatia"). Japanese names sort by their reading in gojūon
order (あいうえお順): kanji carry no order of their own, so a name written in kanji sorts
by the reading stored beside it, and katakana sorts as the same hiragana. Within gojūon,
voiced and small kana count as their plain, full-size kana (が as か, ゃ as や) and the long
vowel mark as the vowel it lengthens (ガーナ reads があな), as Japanese dictionaries sort;
ties are broken by the marks, then by the text itself.

The keys are computed in Python, so lists sorted by them come out in the same order on
every database, whatever its collation.
"""

from __future__ import annotations

import re
import unicodedata

_KATAKANA = range(0x30A1, 0x30F7)  # ァ … ヶ: each is its hiragana + 0x60
_VOICING_MARKS = {"\u3099", "\u309a"}  # combining dakuten and handakuten (after NFD)
_SMALL_KANA = str.maketrans("ぁぃぅぇぉっゃゅょゎゕゖ", "あいうえおつやゆよわかけ")
_LONG_VOWEL = "ー"
_VOWEL_ROWS = {
    "あ": "あかさたなはまやらわ",
    "い": "いきしちにひみりゐ",
    "う": "うくすつぬふむゆる",
    "え": "えけせてねへめれゑ",
    "お": "おこそとのほもよろを",
}
_VOWEL_OF = {kana: vowel for vowel, row in _VOWEL_ROWS.items() for kana in row}
_NOT_WORD = re.compile(r"[^\w\s]")
_SPACES = re.compile(r"\s+")


def to_hiragana(text: str) -> str:
    """`text` with full- and half-width katakana written as hiragana."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(chr(ord(ch) - 0x60) if ord(ch) in _KATAKANA else ch for ch in text)


def japanese_key(text: str) -> tuple[str, str, str]:
    """The gojūon sort key of a reading (hiragana or katakana; other letters sort after kana)."""
    kana = to_hiragana(text)
    primary: list[str] = []
    for ch in unicodedata.normalize("NFD", kana):
        if ch in _VOICING_MARKS:
            continue
        if ch == _LONG_VOWEL:
            vowel = _VOWEL_OF.get(primary[-1], "") if primary else ""
            if vowel:
                primary.append(vowel)
            continue
        ch = ch.translate(_SMALL_KANA)
        if ch.isalnum():
            primary.append(ch.casefold())
    marked = "".join(ch for ch in kana if ch.isalnum() or ch == _LONG_VOWEL)
    return ("".join(primary), marked, text)


def english_key(text: str) -> tuple[str, str]:
    """The alphabetical sort key of a name: no case, accents or punctuation."""
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    letters = _SPACES.sub(" ", _NOT_WORD.sub("", letters)).strip()
    return (letters, text)


def name_key(text: str, language: str) -> tuple[str, ...]:
    """The sort key of a name in `language`: Japanese by reading, any other alphabetically."""
    if language.startswith("ja"):
        return japanese_key(text)
    return english_key(text)
