"""The command line: the one place that turns problems into messages and exit codes.

Exit 0: done. Exit 1: the content or data is wrong (every problem printed as
`path:line: message` on stderr). Exit 2: the command line itself is wrong.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import clock, messages, pipeline
from .messages import _, _n, say

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="build.py",
        description="Build the safety and security portal of Mjölby, Boxholm and Ödeshög.",
    )
    p.add_argument("command", nargs="?", default="build", choices=["build", "serve", "check", "new"],
                   help="build (default): write the site; serve: preview with live reload; check: validate, write nothing; "
                        "new news TITLE [--en TITLE]: start a news item in every language")
    p.add_argument("what", nargs="*", help=argparse.SUPPRESS)  # new: the kind and the title
    p.add_argument("--en", metavar="TITLE", help="new news: the item's English title (default: the English file awaits translation)")
    p.add_argument("--out", default="_site", help="output folder (default: _site)")
    p.add_argument("--base-url", help="public address of the site, e.g. https://example.org/trygghet/ (default: data/site.yaml)")
    p.add_argument("--port", type=int, default=8000, help="port for serve (default: 8000)")
    p.add_argument("--host", default="127.0.0.1", help="address serve listens on (default: 127.0.0.1)")
    p.add_argument("--now", help="the build's date, YYYY-MM-DD or an ISO date and time (default: SOURCE_DATE_EPOCH, else today)")
    p.add_argument("--drafts", action="store_true", help="also build drafts and items dated after now, marked as such (serve always does)")
    p.add_argument("--strict", action="store_true", help="warnings fail too (exit 1)")
    p.add_argument("--external", action="store_true",
                   help="check: also ask every link to another site whether it still works (needs the network; bounded in time)")
    p.add_argument("--readability", action="store_true", help="check: also list every page's LIX readability score")
    p.add_argument("--lang", choices=list(messages.LANGUAGES),
                   help="the language of the messages: sv or en (default: from LANG, LC_MESSAGES or LC_ALL; else en)")
    p.add_argument("--format", choices=["text", "github"], default="text",
                   help="text (default): path:line: message; github: GitHub Actions annotations")
    return p


def report(result: pipeline.Result, stream=None, style: str = "text") -> None:
    stream = stream or sys.stderr  # looked up now, not when this module was imported
    for problem in result.problems.sorted():
        print(github_annotation(problem) if style == "github" else problem.text(), file=stream)


def github_annotation(problem) -> str:
    """`::error file=…,line=…::message`, escaped as GitHub Actions' workflow commands want."""
    def escape(text, properties=False):
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return text.replace(":", "%3A").replace(",", "%2C") if properties else text

    kind = "warning" if problem.severity == "warning" else "error"
    where = f"file={escape(problem.path, True)}" + (f",line={problem.line}" if problem.line else "")
    return f"::{kind} {where}::{escape(say(problem.message))}"


def summary(result: pipeline.Result, out: Path) -> str:
    pages = [o for o in result.outputs if o.path.endswith(".html")]
    took = sum(result.timings.values())
    search = say(_(" (search index: {seconds:.2f} s)", seconds=result.timings["search"])) if "search" in result.timings else ""
    return say(_("Built {pages} pages and {files} other files into {out}/ in {seconds:.2f} s{search}",
                 pages=len(pages), files=len(result.outputs) - len(pages), out=out, seconds=took, search=search))


def readability_table(result: pipeline.Result) -> str:
    """check --readability: each content page's LIX, hardest first."""
    rows = sorted(result.readability, key=lambda r: (-r[2].lix, r[0]))
    lines = [say(_("LIX  words  sentences  file"))] + [f"{s.lix:4.0f}  {s.words:5d}  {s.sentences:9d}  {source}" for source, _, s in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    try:
        return run(argv)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - editors get a sentence, not a traceback
        if os.environ.get("PORTAL_DEBUG"):
            raise
        print(say(_("build.py: internal error ({kind}: {exc}). This is a fault in the portal's code, not in your content; "
                    "please report it. Set PORTAL_DEBUG=1 to see the details.", kind=type(exc).__name__, exc=exc)), file=sys.stderr)
        return EXIT_CONTENT


def run(argv: list[str] | None) -> int:
    try:
        args = parser().parse_intermixed_args(argv)
    except SystemExit as exc:  # argparse prints its own message
        return EXIT_OK if exc.code == 0 else EXIT_USAGE
    messages.set_terminal_language(args.lang)
    root = Path.cwd()  # the repository: build.py runs from its top folder
    if args.command != "new" and args.what:
        print(say(_("build.py: unexpected argument(s) after '{command}': {what}", command=args.command, what=" ".join(args.what))), file=sys.stderr)
        return EXIT_USAGE
    try:
        today = clock.today(args.now)
    except clock.BadNow as exc:
        print(f"build.py: {say(exc.args[0])}", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "new":
        return new(root, args.what, today, {"en": args.en} if args.en else None)
    options = pipeline.Options(root=root, out=Path(args.out), base_url=args.base_url, now=today, drafts=args.drafts)
    if args.base_url and not args.base_url.startswith(("http://", "https://")):
        print(say(_("build.py: --base-url should start with http:// or https://, not '{url}'", url=args.base_url)), file=sys.stderr)
        return EXIT_USAGE

    if args.command == "serve":
        from . import serve  # only this command needs livereload

        return serve.serve(options, host=args.host, port=args.port)

    result = pipeline.review(options) if args.command == "check" else pipeline.build(options)
    if args.external and args.command == "check" and result.site is not None:
        from . import external

        sources = {p.output: p.source for p in result.site.pages if p.source}
        external.check(result.external_pages, sources, result.problems)
    report(result, style=args.format)
    if args.readability:
        print(readability_table(result))
    errors, warnings = len(result.problems.errors), len(set(result.problems.warnings))
    if errors or (args.strict and warnings):
        counted = say(_n("{n} error", "{n} errors", errors, n=errors))
        if warnings:
            counted = say(_("{errors} and {warnings}", errors=counted, warnings=_n("{n} warning", "{n} warnings", warnings, n=warnings)))
            counted += " (--strict)" if args.strict else ""
        done = _("{counted}; nothing was written.", counted=counted) if args.command == "build" and errors else f"{counted}."
        print(say(done), file=sys.stderr)
        return EXIT_CONTENT
    if args.command == "build":
        print(summary(result, options.out))
    else:
        also = say(_n(" ({n} warning; --strict makes them fail)", " ({n} warnings; --strict makes them fail)", warnings, n=warnings)) if warnings else ""
        print(say(_("No errors in {files} files{also}.", files=len(result.outputs), also=also)))
    return EXIT_OK


def new(root: Path, what: list[str], today, titles=None) -> int:
    from . import scaffold

    if len(what) != 2 or what[0] not in scaffold.KINDS:
        print(say(_('build.py: usage: python build.py new news "Nyhetens titel" [--en "Title of the item"]')), file=sys.stderr)
        return EXIT_USAGE
    written, error = scaffold.new_news(root, what[1], today, titles)
    if error:
        print(f"build.py new: {say(error)}", file=sys.stderr)
        return EXIT_CONTENT
    for path in written:
        print(say(_("Wrote {path}", path=path.relative_to(root).as_posix())))
    print(say(_("Both files say 'draft: true': write the text in each language, then remove that line to publish.")))
    if not titles:
        print(say(_("The English file has the Swedish title until you translate it: write its title and slug in English "
                    "(or give --en \"English title\" next time).")))
    return EXIT_OK
