"""The command line: the one place that turns problems into messages and exit codes.

Exit 0: done. Exit 1: the content or data is wrong (every problem printed as
`path:line: message` on stderr). Exit 2: the command line itself is wrong.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from portal import __version__, clock, messages, uptodate
from portal.messages import _, _n, say

if TYPE_CHECKING:
    from portal import pipeline

# The engine (portal.pipeline and what it imports: 0.15 s) is imported when a build runs, not
# before a build that has nothing to do (uptodate.py) has said so; `new`'s scaffold (and the
# YAML loader it reads the site with: 0.05 s) when an item is started.

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


COMMANDS = ("build", "serve", "check", "new")
NEW_KINDS = ("news",)  # what `new` starts (scaffold.py)


def parser() -> argparse.ArgumentParser:
    """The command line: `build.py [COMMAND] [options]`; no command means build."""
    talk = argparse.ArgumentParser(add_help=False)  # -q/-v, accepted before or after the command
    talk.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        default=argparse.SUPPRESS,
        help="print only problems, no summary or progress",
    )
    talk.add_argument(
        "-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="also print how long each stage took"
    )
    talk.add_argument(
        "--lang",
        choices=list(messages.LANGUAGES),
        default=argparse.SUPPRESS,
        help="the language of the messages: sv or en (default: from LC_ALL, LC_MESSAGES or LANG; else en)",
    )
    when = argparse.ArgumentParser(add_help=False)
    when.add_argument(
        "--now", help="the build's date, YYYY-MM-DD or an ISO date and time (default: SOURCE_DATE_EPOCH, else today)"
    )
    site = argparse.ArgumentParser(add_help=False)
    site.add_argument(
        "--base-url",
        help="public address of the site, e.g. https://example.org/trygghet/ (default: base_url in data/site.yaml)",
    )
    site.add_argument(
        "--drafts", action="store_true", help="also build drafts and items dated after now, marked as such"
    )
    site.add_argument(
        "-j",
        "--jobs",
        type=int,
        metavar="N",
        help="processes that render pages at once (default: the number of cores this build may use; "
        "1: no other process, and the least memory; a small build renders in its own and converts only "
        "its markdown in them, and reads its cache and makes its feeds and sitemap beside the rest)",
    )

    p = argparse.ArgumentParser(
        prog="build.py" if sys.argv[0].endswith("build.py") else "portal",
        parents=[talk],
        description="Build the safety and security portal of Mjölby, Boxholm and Ödeshög. Without a command: build.",
        epilog="Exit codes: 0 done; 1 the content or data is wrong (each problem as path:line: message); "
        "2 the command line is wrong. Set NO_COLOR to turn colour off.",
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = p.add_subparsers(dest="command", metavar="COMMAND", title="commands")

    build = commands.add_parser(
        "build",
        parents=[talk, when, site],
        help="write the site (the default)",
        description="Build the site into a folder; the previous one stays if anything is wrong.",
    )
    build.add_argument("--out", default="_site", help="output folder (default: _site)")
    build.add_argument(
        "--no-search", action="store_true", help="do not make the search index (quicker; the search page finds nothing)"
    )
    build.add_argument(
        "--no-cache",
        action="store_true",
        help="render every page, and neither read nor keep the build cache in .cache/ (safe to delete at any time)",
    )

    serve = commands.add_parser(
        "serve",
        parents=[talk, when],
        help="preview with live reload",
        description="Build, serve on this machine and rebuild after every save. "
        "Drafts and scheduled items are shown, marked as such.",
    )
    serve.add_argument("--out", default="_site", help="output folder (default: _site)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0: any free port)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--open", action="store_true", help="open the site in the web browser")

    check = commands.add_parser(
        "check",
        parents=[talk, when, site],
        help="validate everything, write nothing",
        description="Everything a build checks, and what a reviewer would: translations, "
        "headings, link text, alt text.",
    )
    check.add_argument("--strict", action="store_true", help="warnings fail too (exit 1)")
    check.add_argument(
        "--format",
        choices=["text", "github"],
        default="text",
        help="text (default): path:line: message; github: GitHub Actions annotations",
    )
    check.add_argument(
        "--external",
        action="store_true",
        help="also ask every link to another site whether it still works (needs the network; bounded in time)",
    )
    check.add_argument("--readability", action="store_true", help="also list every page's LIX readability score")

    new = commands.add_parser(
        "new",
        parents=[talk, when],
        help="start a news item in every language",
        description='Start a news item: build.py new news "Title of the item".',
    )
    new.add_argument("kind", choices=NEW_KINDS, help="what to start (news)")
    new.add_argument("title", help="the title, in the site's first language")
    new.add_argument(
        "--en", metavar="TITLE", help="the item's English title (default: the English file awaits translation)"
    )
    return p


def parse(argv: list[str]) -> argparse.Namespace:
    """Arguments with 'build' assumed when no command is named (`build.py --out DIR`)."""
    if not any(word in COMMANDS or word in ("-h", "--help", "--version") for word in argv):
        argv = ["build", *argv]
    args = parser().parse_args(argv)
    args.quiet = getattr(args, "quiet", False)
    args.verbose = getattr(args, "verbose", False)
    args.lang = getattr(args, "lang", None)
    return args


def report(result: pipeline.Result, stream=None, style: str = "text", colour: bool = False) -> None:
    stream = stream or sys.stderr  # looked up now, not when this module was imported
    for problem in result.problems.sorted():
        if style == "github":
            print(github_annotation(problem), file=stream)
        elif colour:  # the same words; the place in bold, the kind of problem coloured
            hue = "33" if problem.severity == "warning" else "31"
            where = problem.path if problem.line is None else f"{problem.path}:{problem.line}"
            message = problem.text()[len(where) + 2 :]
            print(f"\x1b[1m{where}:\x1b[0m \x1b[{hue}m{message}\x1b[0m", file=stream)
        else:
            print(problem.text(), file=stream)


def notices(result: pipeline.Result, stream=None) -> None:
    """What the person building should know though nothing is wrong (problems.py), before the problems."""
    stream = stream or sys.stderr
    for message in result.problems.notices:
        print(f"build.py: {say(message)}", file=stream)


def github_annotation(problem) -> str:
    """`::error file=…,line=…::message`, escaped as GitHub Actions' workflow commands want."""

    def escape(text, properties=False):
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return text.replace(":", "%3A").replace(",", "%2C") if properties else text

    kind = "warning" if problem.severity == "warning" else "error"
    where = f"file={escape(problem.path, True)}" + (f",line={problem.line}" if problem.line else "")
    return f"::{kind} {where}::{escape(say(problem.message))}"


def count_files(result: pipeline.Result) -> tuple[int, int]:
    """(pages, other files) of a build. The web editor's page (admin/) is a tool, not a page of the site."""
    pages = [o for o in result.outputs if o.path.endswith(".html") and not o.path.startswith("admin/")]
    return len(pages), len(result.outputs) - len(pages)


def summary(result: pipeline.Result, out: Path, took: float) -> str:
    pages, files = count_files(result)
    search = (
        say(_(" (search index: {seconds:.2f} s)", seconds=result.timings["search"]))
        if "search" in result.timings
        else ""
    )
    return say(
        _(
            "Built {pages} pages and {files} other files into {out}/ in {seconds:.2f} s{search}",
            pages=pages,
            files=files,
            out=out,
            seconds=took,
            search=search,
        )
    )


def up_to_date(args, outcome: uptodate.Outcome, out: Path, took: float) -> int:
    """A build with nothing to do: the last build's warnings and notices again, and that the
    output is up to date (uptodate.py)."""
    for message in outcome.problems.notices:
        print(f"build.py: {say(message)}", file=sys.stderr)
    report(outcome, colour=colour_on(sys.stderr))
    if args.verbose:
        print(f"  unchanged: {took:.2f} s", file=sys.stderr)
    if not args.quiet:
        print(
            say(
                _(
                    "Nothing has changed since the last build: {out}/ is up to date ({pages} pages and {files} other files; checked in {seconds:.2f} s)",
                    out=out,
                    pages=outcome.pages,
                    files=outcome.files,
                    seconds=took,
                )
            )
        )
    return EXIT_OK


def readability_table(result: pipeline.Result) -> str:
    """check --readability: each content page's LIX, hardest first."""
    rows = sorted(result.readability, key=lambda r: (-r[2].lix, r[0]))
    lines = [say(_("LIX  words  sentences  file"))]
    lines += [f"{score.lix:4.0f}  {score.words:5d}  {score.sentences:9d}  {source}" for source, _lang, score in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    try:
        return run(sys.argv[1:] if argv is None else argv)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - editors get a sentence, not a traceback
        if os.environ.get("PORTAL_DEBUG"):
            raise
        print(
            say(
                _(
                    "build.py: internal error ({kind}: {exc}). This is a fault in the portal's code, not in your content; "
                    "please report it. Set PORTAL_DEBUG=1 to see the details.",
                    kind=type(exc).__name__,
                    exc=exc,
                )
            ),
            file=sys.stderr,
        )
        return EXIT_CONTENT


def run(argv: list[str]) -> int:
    try:
        args = parse(argv)
    except SystemExit as exc:  # argparse prints its own message (and --help, --version)
        return EXIT_OK if exc.code == 0 else EXIT_USAGE
    messages.set_terminal_language(args.lang)
    root = Path.cwd()  # the repository: build.py runs from its top folder
    try:
        today = clock.today(args.now)
        moment = clock.moment(args.now)  # read once, with the date: one build, one "now"
    except clock.BadNow as exc:
        print(f"build.py: {say(exc.args[0])}", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "new":
        return new(root, args.title, today, {"en": args.en} if args.en else None)
    base_url = getattr(args, "base_url", None)
    if base_url and not base_url.startswith(("http://", "https://")):
        print(
            say(_("build.py: --base-url should start with http:// or https://, not '{url}'", url=base_url)),
            file=sys.stderr,
        )
        return EXIT_USAGE
    jobs = getattr(args, "jobs", None)
    if jobs is not None and jobs < 1:
        print(say(_("build.py: --jobs should be 1 or more, not {jobs}", jobs=jobs)), file=sys.stderr)
        return EXIT_USAGE
    started = time.perf_counter()
    remembered = None
    if args.command == "build" and not args.no_cache:
        settings = [str(args.out), base_url, args.drafts, not args.no_search, str(today)]
        remembered = uptodate.key(root, settings)
        outcome = uptodate.nothing_to_do(root, Path(args.out), remembered, moment)
        if outcome is not None:
            return up_to_date(args, outcome, Path(args.out), time.perf_counter() - started)
    from portal import pipeline

    progress = Progress(sys.stderr) if not args.quiet and sys.stderr.isatty() else None
    options = pipeline.Options(
        root=root,
        out=Path(getattr(args, "out", "_site")),
        base_url=base_url,
        now=today,
        drafts=getattr(args, "drafts", False),
        moment=moment,
        progress=progress,
        jobs=jobs or cores(),
        search=not getattr(args, "no_search", False),
        cache=not getattr(args, "no_cache", False),
        once=args.command != "serve",
    )

    if args.command == "serve":
        from portal.preview import serve  # only this command needs livereload and tornado

        return serve.serve(options, host=args.host, port=args.port, open_browser=args.open)

    result = pipeline.review(options) if args.command == "check" else pipeline.build(options)
    if remembered is not None and not result.problems.errors:  # for the next build: nothing to do?
        outcome = uptodate.Outcome(result.problems, *count_files(result))
        uptodate.remember(root, options.out, remembered, result.moment, result.site.alert_schedule, outcome)
    took = time.perf_counter() - started
    if progress:
        progress.done()
    notices(result)
    if getattr(args, "external", False) and result.site is not None:
        from portal.review import external

        sources = {p.output: p.source for p in result.site.pages if p.source}
        external.check(result.external_pages, sources, result.problems)
    style = getattr(args, "format", "text")
    report(result, style=style, colour=style == "text" and colour_on(sys.stderr))
    if getattr(args, "readability", False):
        print(readability_table(result))
    strict = getattr(args, "strict", False)
    errors, warnings = len(result.problems.errors), len(set(result.problems.warnings))
    if errors or (strict and warnings):
        counted = say(_n("{n} error", "{n} errors", errors, n=errors))
        if warnings:
            counted = say(
                _(
                    "{errors} and {warnings}",
                    errors=counted,
                    warnings=_n("{n} warning", "{n} warnings", warnings, n=warnings),
                )
            )
            counted += " (--strict)" if strict else ""
        done = (
            _("{counted}; nothing was written.", counted=counted)
            if args.command == "build" and errors
            else f"{counted}."
        )
        print(say(done), file=sys.stderr)
        return EXIT_CONTENT
    if args.verbose:
        for stage, seconds in result.timings.items():
            print(f"  {stage}: {seconds:.2f} s", file=sys.stderr)
    if args.quiet:
        return EXIT_OK
    if args.command == "build":
        print(summary(result, options.out, took))
    else:
        also = (
            say(
                _n(
                    " ({n} warning; --strict makes them fail)",
                    " ({n} warnings; --strict makes them fail)",
                    warnings,
                    n=warnings,
                )
            )
            if warnings
            else ""
        )
        print(say(_("No errors in {files} files{also}.", files=len(result.outputs), also=also)))
    return EXIT_OK


def cores() -> int:
    """The cores this process may run on (its CPU affinity, as a container or `taskset` sets it)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def colour_on(stream) -> bool:
    """Colour only for a person at a terminal, and never when NO_COLOR is set (no-color.org)."""
    return stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


class Progress:
    """One line on a terminal, rewritten in place: the stage, and pages done of all.

    Shown only once a build has taken a second, so a quick build prints nothing extra.
    """

    AFTER = 1.0  # seconds before the line first appears

    def __init__(self, stream):
        self.stream, self.started, self.shown, self.last = stream, time.perf_counter(), False, 0.0

    def __call__(self, stage: str, done: int | None = None, total: int | None = None) -> None:
        now = time.perf_counter()
        if now - self.started < self.AFTER or (done and now - self.last < 0.1 and done != total):
            return
        self.last, self.shown = now, True
        count = f" {done} of {total} pages" if total else ""
        self.stream.write(f"\r\x1b[K{stage}…{count}")
        self.stream.flush()

    def done(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def new(root: Path, title: str, today, titles=None) -> int:
    from portal import scaffold

    written, error = scaffold.new_news(root, title, today, titles)
    if error:
        print(f"build.py new: {say(error)}", file=sys.stderr)
        return EXIT_CONTENT
    for path in written:
        print(say(_("Wrote {path}", path=path.relative_to(root).as_posix())))
    print(say(_("Both files say 'draft: true': write the text in each language, then remove that line to publish.")))
    if not titles:
        print(
            say(
                _(
                    "The English file has the Swedish title until you translate it: write its title and slug in English "
                    '(or give --en "English title" next time).'
                )
            )
        )
    return EXIT_OK
