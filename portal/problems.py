"""Problems are values: a path, a line and a plain message.

Every stage collects them instead of raising, so one run reports all of them
together; `cli` alone turns them into an exit code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from portal.messages import Message, _, say

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int | None
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        prefix = "warning: " if self.severity == WARNING else ""
        return f"{where}: {prefix}{self.message}"

    def text(self, lang: str | None = None) -> str:
        """`path:line: message` with the message in `lang` (default: the terminal's); path:line: never changes."""
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        prefix = say(_("warning: "), lang) if self.severity == WARNING else ""
        return f"{where}: {prefix}{say(self.message, lang)}"


@dataclass
class Problems:
    """A list of problems that a stage appends to and the next stage reads.

    Beside them, notices: what the person running the build should know although nothing
    in the site's files is wrong (the web editor cannot be made here). A stage never
    prints; the command line says each notice once, and it never fails a build.
    """

    items: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def error(self, path: str, line: int | None, message: str) -> None:
        self.items.append(Problem(path, line, message, ERROR))

    def warn(self, path: str, line: int | None, message: str) -> None:
        self.items.append(Problem(path, line, message, WARNING))

    def notice(self, message: str) -> None:
        if message not in self.notices:
            self.notices.append(message)

    def extend(self, other: Problems) -> None:
        self.items.extend(other.items)
        for message in other.notices:
            self.notice(message)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == WARNING]

    def sorted(self) -> list[Problem]:
        # Dedupe: the same problem can be seen by two stages (e.g. check and build).
        return sorted(set(self.items), key=lambda p: (p.path, p.line or 0, p.message))


class BuildFailed(Exception):
    """Raised by a stage that cannot go on; carries every problem found so far."""

    def __init__(self, problems: Problems):
        super().__init__(f"{len(problems.errors)} error(s)")
        self.problems = problems


# --- problems kept between builds (the build cache, the last build's outcome) ---------------
# A message is kept with its msgid and values, so it is said again in the reader's language.


def _text(value) -> str:
    if type(value) is not str:
        raise ValueError("not a text")
    return value


def message_json(message):
    if isinstance(message, Message):
        return {
            "msgid": message.msgid,
            "plural": message.plural,
            "count": message.count,
            "values": {k: message_json(v) for k, v in message.values.items()},
        }
    if message is None or type(message) in (str, int, bool, float):
        return message
    if isinstance(message, str):
        return str(message)
    raise TypeError(type(message).__name__)


def message_from_json(value):
    if isinstance(value, dict):
        values = {_text(k): message_from_json(v) for k, v in value["values"].items()}
        plural, count = value["plural"], value["count"]
        if plural is not None:
            _text(plural)
        if count is not None and type(count) is not int:
            raise ValueError("not a count")
        return Message(_text(value["msgid"]), values, plural, count)
    if value is None or type(value) in (str, int, bool, float):
        return value
    raise ValueError("not a message")


def problem_json(problem: Problem) -> list:
    return [problem.path, problem.line, message_json(problem.message), problem.severity]


def problem_from_json(value) -> Problem:
    path, line, message, severity = value
    if line is not None and type(line) is not int or severity not in ("error", "warning"):
        raise ValueError("not a problem")
    return Problem(_text(path), line, message_from_json(message), severity)
