"""Dates and numbers in the reader's language, by babel (the only module that imports it:
the build's own message catalogues, messages.py, are loaded here too).

Swedish writes 4,7 and 26 september 2019; English (en_GB) 4.7 and
26 September 2019. Numbers keep the precision they were given with (1.135
stays 1.135): the figures are exact decimals, not floats.
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal

from babel import Locale
from babel.core import get_global
from babel.dates import format_date
from babel.numbers import format_decimal, get_decimal_symbol
from babel.support import NullTranslations, Translations


@functools.cache
def _locale(name: str) -> Locale:
    # Parsed once: babel parses a locale given by name on every call, and its parse compares
    # the name with every locale it knows (a quarter of a large build's time, before this).
    return Locale.parse(name)


def decimal_sign(locale: str) -> str:
    """The sign between a number's whole part and its decimals in `locale` ("," in Swedish)."""
    return get_decimal_symbol(_locale(locale))


def number(value: Decimal | int, locale: str) -> str:
    if isinstance(value, Decimal):
        places = max(0, -value.as_tuple().exponent)
        pattern = "#,##0" + ("." + "0" * places if places else "")
        return format_decimal(value, format=pattern, locale=_locale(locale), decimal_quantization=False)
    return format_decimal(value, locale=_locale(locale))


@functools.lru_cache(maxsize=4096)  # a news archive shows the same few hundred dates on many pages
def date(value: dt.date, locale: str) -> str:
    return format_date(value, format="long", locale=_locale(locale))


def iso(value: dt.date) -> str:
    return value.isoformat()


def join_names(names: list, word: str) -> str:
    """Names as a list in words: "Mjölby, Boxholm and Ödeshög", `word` the language's "and" (or "or")."""
    return "".join(names) if len(names) < 2 else ", ".join(names[:-1]) + f" {word} " + names[-1]


def in_sentence(name: str) -> str:
    """A name written as it begins a sentence, for the middle of one: "The safety and security
    unit" → "the safety and security unit". An abbreviation ("MSB") keeps its capitals."""
    return name if name[1:2].isupper() else name[:1].lower() + name[1:]


def sentence(text: str) -> str:
    """The text with its first letter a capital, for where it starts a table cell or a line
    ("inte publicerat" → "Inte publicerat"); the interface strings stay as they are used
    mid-sentence ("Betalas av Mjölby kommun: inte publicerat")."""
    return text[:1].upper() + text[1:]


@functools.cache  # on every page; a few locales
def og_locale(locale: str) -> str:
    """Open Graph's form of a locale, language_TERRITORY: "sv" → "sv_SE", "en_GB" → "en_GB".
    A locale without a territory gets the one CLDR finds likeliest for its language."""
    parsed = _locale(locale)
    territory = parsed.territory
    if not territory:
        likely = get_global("likely_subtags").get(parsed.language)
        territory = _locale(likely).territory if likely else None
    return f"{parsed.language}_{territory}" if territory else parsed.language


def translations(folder, lang: str | None, domain: str):
    """The gettext catalogue of `domain` in `lang` under `folder` (messages.py); None: no
    translation (the source language), which says every message as it is written."""
    return NullTranslations() if lang is None else Translations.load(str(folder), [lang], domain)
