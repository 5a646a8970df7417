"""The build's messages in the editor's language (gettext catalogues through Babel).

English is the source language: every message is written in English in the
code, wrapped in `_()` (or `_n()` when it counts), with named placeholders:

    ctx.error(line, _("'{name}' is '{value}', which is not a real date", name=name, value=text))

`_()` returns a `Message`: a str holding the English text (so problems compare,
sort, deduplicate and print in English exactly as before, and tests may assert
English), that also remembers its msgid and values, so `say(message, "sv")`
can say it again in Swedish. Values that are messages themselves are
translated too. A text that is not a Message (or has no translation) stays
English: a message added without a translation is still shown, never lost.

The Swedish catalogue is portal/locale/sv/LC_MESSAGES/portal.po; its compiled
portal.mo is committed next to it, so a checkout needs no build step. After
adding or changing a message (docs/architecture.md, "Messages in two languages"):

    pybabel extract -F babel.cfg -k _ -k _n:1,2 --no-location --omit-header --sort-output -o portal/locale/portal.pot portal
    pybabel update -i portal/locale/portal.pot -d portal/locale -D portal --no-fuzzy-matching --no-wrap --ignore-obsolete
    (translate the new entries in portal.po)
    pybabel compile -d portal/locale -D portal

tests/test_messages.py fails while any message lacks its Swedish translation
or the .mo is older than the .po; tests/test_messages_wrapped.py names any problem
message still written as a bare string, and scripts/wrap_messages.py wraps it.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from portal import formatting

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "portal"
LANGUAGES = ("en", "sv")
SOURCE = "en"

_terminal = [None]  # the language of terminal output; None: from the environment


class Message(str):
    """English text that can be said again in another language (`say`)."""

    msgid: str
    plural: str | None
    count: int | None
    values: dict

    def __new__(cls, msgid: str, values: dict, plural: str | None = None, count: int | None = None):
        source = msgid if plural is None or count == 1 else plural
        obj = super().__new__(cls, source.format(**values) if values else source)
        obj.msgid, obj.plural, obj.count, obj.values = msgid, plural, count, values
        return obj

    def __reduce__(self):  # survives pickling (multiprocessing) with its msgid
        return (Message, (self.msgid, self.values, self.plural, self.count))


def _(msgid: str, **values) -> Message:
    """A message in English, translatable later: `_("unknown source '{id}'", id=sid)`."""
    return Message(msgid, values)


def _n(singular: str, plural: str, count: int, **values) -> Message:
    """A message that counts: `_n("{n} error", "{n} errors", n, n=n)`."""
    return Message(singular, values, plural, count)


@functools.cache
def catalogue(lang: str):
    """The Babel Translations for `lang` (NullTranslations for English or an unknown language)."""
    return formatting.translations(LOCALE_DIR, None if lang == SOURCE else lang, DOMAIN)


def say(text, lang: str | None = None) -> str:
    """`text` in `lang` (default: the terminal's language); plain strings stay as they are."""
    lang = lang or terminal_language()
    if not isinstance(text, Message):
        return str(text)
    if lang == SOURCE:
        return str.__str__(text)
    values = {k: _in_language(v, lang) for k, v in text.values.items()}
    found = catalogue(lang)
    if text.plural is None:
        translated = found.gettext(text.msgid)
    else:
        translated = found.ngettext(text.msgid, text.plural, text.count)
    try:
        return translated.format(**values) if values else translated
    except (KeyError, IndexError, ValueError):  # a broken translation must not hide the message
        return str.__str__(text)


def _in_language(value, lang: str):
    """A message's value as `lang` writes it: a message in that language, a decimal number
    with its decimal sign ("1,25 s" in Swedish); anything else as it is."""
    if isinstance(value, Message):
        return say(value, lang)
    if type(value) is float:
        return _Decimal(value, formatting.decimal_sign(lang))
    return value


class _Decimal(float):
    """A float that formats as Python does, with `sign` in place of the decimal point (the
    message's own format, `{seconds:.2f}`, still says how many decimals)."""

    def __new__(cls, value: float, sign: str):
        number = super().__new__(cls, value)
        number.sign = sign
        return number

    def __format__(self, spec: str) -> str:
        return float.__format__(self, spec).replace(".", self.sign)


def language_from_environment(environ=None) -> str:
    """'sv' when LC_ALL, LC_MESSAGES or LANG (the first one set, as POSIX reads them) is Swedish, else 'en'."""
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return "sv" if value.lower().startswith("sv") else "en"
    return "en"


def set_terminal_language(lang: str | None) -> None:
    _terminal[0] = lang


def terminal_language() -> str:
    return _terminal[0] or language_from_environment()
