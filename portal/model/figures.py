"""The staffing figures: provenance, consistency, history and the funding split.

Every figure carries the date it applies to (`as_of`) and its source. A figure
may appear more than once with different `as_of` dates: that is its history.
What no source gives stays `None` ("not published"); what the build computes
(a total minus its parts) is marked as derived, never typed.

The checks here are the ones a reader of the site relies on: the parts paid by
the municipalities never add up to more than the total; a share names a known
municipality and a total that exists on the same date; and a value cannot
change without a new `as_of` (two entries with one id and one date must agree).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from portal.load import shape as s
from portal.messages import _
from portal.problems import Problems


@dataclass(frozen=True)
class Figure:
    id: str
    label: dict  # lang -> text
    unit: dict  # lang -> unit text: "heltidstjänster"/"full-time posts"
    value: Decimal | None  # None: the source does not publish it
    as_of: dt.date
    source: object  # model.Source
    municipality: str | None = None
    derived: tuple | None = None  # (total id, (subtracted ids...)) for derived figures
    share_of: str | None = None  # id of the total this figure is a municipality's share of


@dataclass(frozen=True)
class Segment:
    """One part of a funding split: who pays, how much, and whether the owner split is known."""

    municipalities: tuple  # ids; more than one when the source does not split the part between them
    value: Decimal
    known: bool  # False: the part exists, but not how it is split between `municipalities`
    figure: Figure | None  # the published share this segment shows (None for the remainder)


@dataclass(frozen=True)
class Split:
    total: Figure
    segments: tuple  # Segment, published shares first, the unsplit remainder last


@dataclass(frozen=True)
class Period:
    """A row of the unit's history: one agreement and what the sources say the unit had then."""

    agreement: object  # model.Agreement
    served: tuple  # municipality ids served from this agreement on
    total: Figure | None  # None: no source gives the total for this period


@dataclass(frozen=True)
class Staffing:
    figures: tuple  # every entry, history included, derived ones last
    current: tuple  # the latest entry of each figure id, in file order
    splits: tuple  # Split of each total that municipality shares refer to
    history: tuple  # Period, in the agreements' order

    def figure(self, fid: str) -> Figure:
        return next(f for f in self.current if f.id == fid)


EMPTY = Staffing((), (), (), ())


def _shape(codes):
    text = s.PerLanguage(codes)
    return s.Fields(
        figures=s.ListOf(
            s.Fields(
                id=s.Id(),
                label=text,
                unit=text,
                value=s.Field(s.Number(), required=False),
                published=s.Field(s.Bool(), required=False, default=True),
                as_of=s.Date(),
                # References: checked against the known ids below, so a wrong one is told the right ones.
                source=s.Text(),
                municipality=s.Field(s.Text(), required=False),
                share_of=s.Field(s.Id(), required=False),
            ),
            min_items=1,
        ),
        derived=s.Field(
            s.ListOf(s.Fields(id=s.Id(), label=text, unit=text, total=s.Id(), minus=s.ListOf(s.Id(), min_items=1))),
            required=False,
            default=[],
        ),
    )


def build(sources, codes, known_sources, collaboration, problems: Problems) -> Staffing:
    found = sources.data_file("staffing", problems, _("it holds the staffing figures"))
    if found is None:
        return EMPTY
    path, node = found
    ctx = s.Ctx(path, problems)
    data = _shape(codes).convert(node, ctx, "staffing")
    if data is s.INVALID:
        return EMPTY
    municipality_ids = [m.id for m in collaboration.municipalities] if collaboration else None
    given = _given(ctx, data["figures"], known_sources, municipality_ids)
    _check_one_value_per_date(ctx, given)
    _check_shares(ctx, given)
    derived = _derived(ctx, data["derived"], given)
    figures = tuple(f for f, _ in given) + tuple(derived)
    current = _latest(figures)
    splits = tuple(_split(total, figures) for total in current if any(f.share_of == total.id for f in figures))
    history = _history(collaboration, figures, {sp.total.id for sp in splits})
    return Staffing(figures, current, splits, history)


def _given(ctx, records, known_sources, municipality_ids) -> list:
    out = []
    for f in records:
        if f["published"] and f["value"] is None:
            ctx.error(
                f.line,
                _(
                    "figure '{id}' has no value; give one, or write 'published: false' if no source gives it",
                    id=f["id"],
                ),
            )
        if not f["published"] and f["value"] is not None:
            ctx.error(f.line_of("value"), _("figure '{id}' says 'published: false' but has a value", id=f["id"]))
        if f["municipality"] and municipality_ids is not None and f["municipality"] not in municipality_ids:
            ctx.error(
                f.line_of("municipality"),
                _(
                    "unknown municipality '{municipality}' (known: {ids})",
                    municipality=f["municipality"],
                    ids=", ".join(municipality_ids),
                ),
            )
        if f["share_of"] and not f["municipality"]:
            ctx.error(
                f.line_of("share_of"),
                _(
                    "figure '{id}' is a share of '{share_of}' but names no municipality that pays it",
                    id=f["id"],
                    share_of=f["share_of"],
                ),
            )
        source = known_sources.get(f["source"])
        if source is None:
            ctx.error(
                f.line_of("source"),
                _(
                    "unknown source '{source}' (data/sources.yaml has: {known_sources})",
                    source=f["source"],
                    known_sources=", ".join(sorted(known_sources)) or _("none"),
                ),
            )
        value = f["value"] if f["published"] else None
        out.append(
            (
                Figure(
                    f["id"],
                    dict(f["label"]),
                    dict(f["unit"]),
                    value,
                    f["as_of"],
                    source,
                    f["municipality"],
                    None,
                    f["share_of"],
                ),
                f,
            )
        )
    return out


def _check_one_value_per_date(ctx, given):
    """One figure id, one date, one value: a changed value needs its own as_of."""
    seen = {}
    for fig, rec in given:
        key = (fig.id, fig.as_of)
        if key not in seen:
            seen[key] = (fig, rec)
            continue
        first, first_rec = seen[key]
        if first.value != fig.value:
            old = "not published" if first.value is None else str(first.value)
            new = "not published" if fig.value is None else str(fig.value)
            ctx.error(
                rec.line_of("value") if "value" in rec.lines else rec.line,
                _(
                    "figure '{id}' changes from {old} (line {line}) to {new} with the same as_of {as_of}; a changed figure needs a new as_of date",
                    id=fig.id,
                    old=old,
                    line=first_rec.line,
                    new=new,
                    as_of=fig.as_of,
                ),
            )
        else:
            ctx.error(
                rec.line,
                _(
                    "figure '{id}' for {as_of} is given twice (first at line {line})",
                    id=fig.id,
                    as_of=fig.as_of,
                    line=first_rec.line,
                ),
            )


def _check_shares(ctx, given):
    """Municipality shares refer to a total on the same date and never add up to more than it."""
    totals = {(f.id, f.as_of): f for f, _ in given}
    groups = {}
    for fig, rec in given:
        if fig.share_of:
            groups.setdefault((fig.share_of, fig.as_of), []).append((fig, rec))
    for (total_id, as_of), shares in groups.items():
        total = totals.get((total_id, as_of))
        first_rec = shares[0][1]
        if total is None:
            ctx.error(
                first_rec.line_of("share_of"),
                _(
                    "figure '{id}' is a share of '{total_id}' on {as_of}, but '{total_id}' has no entry for that date",
                    id=shares[0][0].id,
                    total_id=total_id,
                    as_of=as_of,
                ),
            )
            continue
        paid = [f for f, _ in shares if f.value is not None]
        if total.value is not None and paid and sum(f.value for f in paid) > total.value:
            parts = " + ".join(f"{f.value} ({f.id})" for f in paid)
            ctx.error(
                first_rec.line,
                _(
                    "the shares of '{total_id}' on {as_of} add up to more than the total: {parts} > {value}",
                    total_id=total_id,
                    as_of=as_of,
                    parts=parts,
                    value=total.value,
                ),
            )
        municipalities = [f.municipality for f, _ in shares]
        for fig, rec in shares:
            if municipalities.count(fig.municipality) > 1:
                ctx.error(
                    rec.line_of("municipality"),
                    _(
                        "'{municipality}' has more than one share of '{total_id}' on {as_of}",
                        municipality=fig.municipality,
                        total_id=total_id,
                        as_of=as_of,
                    ),
                )
                break


def _derived(ctx, records, given) -> list:
    latest = _latest(tuple(f for f, _ in given))
    by_id = {f.id: f for f in latest}
    out = []
    for d in records:
        parts = [d["total"], *d["minus"]]
        missing = [p for p in parts if p not in by_id]
        if missing:
            ctx.error(
                d.line,
                _(
                    "derived figure '{id}' refers to unknown figure(s): {missing}",
                    id=d["id"],
                    missing=", ".join(missing),
                ),
            )
            continue
        inputs = [by_id[p] for p in parts]
        if any(i.value is None for i in inputs):
            ctx.error(d.line, _("derived figure '{id}' is computed from a figure that is not published", id=d["id"]))
            continue
        dates = {i.as_of for i in inputs}
        if len(dates) > 1:
            ctx.error(
                d.line,
                _(
                    "derived figure '{id}' would mix figures of different dates ({dates})",
                    id=d["id"],
                    dates=", ".join(sorted(map(str, dates))),
                ),
            )
            continue
        value = inputs[0].value - sum((i.value for i in inputs[1:]), Decimal(0))
        if value < 0:
            ctx.error(
                d.line,
                _(
                    "derived figure '{id}' comes out negative ({value}): the parts exceed the total",
                    id=d["id"],
                    value=value,
                ),
            )
            continue
        out.append(
            Figure(
                d["id"],
                dict(d["label"]),
                dict(d["unit"]),
                value,
                inputs[0].as_of,
                inputs[0].source,
                None,
                (d["total"], tuple(d["minus"])),
            )
        )
    return out


def _latest(figures) -> tuple:
    """The newest entry of each id, in the order the ids first appear."""
    latest = {}
    for f in figures:
        if f.id not in latest or f.as_of > latest[f.id].as_of:
            latest[f.id] = f
    return tuple(latest.values())


def _split(total: Figure, figures) -> Split:
    """Who pays for the total's posts. The part no source splits between its payers stays one part."""
    shares = [f for f in figures if f.share_of == total.id and f.as_of == total.as_of]
    known = [f for f in shares if f.value is not None]
    segments = [Segment((f.municipality,), f.value, True, f) for f in known]
    if total.value is not None:
        rest = total.value - sum((f.value for f in known), Decimal(0))
        unknown = tuple(f.municipality for f in shares if f.value is None)
        if rest > 0:
            segments.append(Segment(unknown, rest, False, None))
    return Split(total, tuple(segments))


def _history(collaboration, figures, total_ids) -> tuple:
    """The unit over time, one row per agreement: whom it served and its total then.

    A total is shown for a period only when a figure applies from exactly that
    agreement's date. Earlier totals are never worked back from later ones.
    """
    if collaboration is None or len(total_ids) != 1:
        return ()
    (total_id,) = total_ids
    rows, served = [], []
    for a in collaboration.agreements:
        served += [p for p in a.parties if p not in served]
        total = next((f for f in figures if f.id == total_id and a.date is not None and f.as_of == a.date), None)
        rows.append(Period(a, tuple(served), total))
    return tuple(rows)
