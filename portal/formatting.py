"""Dates and numbers in the reader's language, by babel.

Swedish writes 4,7 and 26 september 2019; English (en_GB) 4.7 and
26 September 2019. Numbers keep the precision they were given with (1.135
stays 1.135): the figures are exact decimals, not floats.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_decimal


def number(value: Decimal | int, locale: str) -> str:
    if isinstance(value, Decimal):
        places = max(0, -value.as_tuple().exponent)
        pattern = "#,##0" + ("." + "0" * places if places else "")
        return format_decimal(value, format=pattern, locale=locale, decimal_quantization=False)
    return format_decimal(value, locale=locale)


def date(value: dt.date, locale: str) -> str:
    return format_date(value, format="long", locale=locale)


def iso(value: dt.date) -> str:
    return value.isoformat()
