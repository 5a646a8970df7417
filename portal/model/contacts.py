"""Contact routes: how a reader reaches the unit and each municipality, and the national numbers.

`data/contacts.yaml` holds each municipality's public switchboard, functional
e-mail address and postal address, each with the source that gives it (and
that source's date, shown beside the number: a number is never timeless). The
unit is reached through its host municipality. Only public routes belong here:
an address that looks like a person's own (first.last@…) is refused, since a
named official's contact details go stale and are personal data.

The file is optional, so a small site without it still builds; the portal has it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from portal.load import shape as s
from portal.messages import _
from portal.problems import Problems

PHONE = r"0\d{1,3}-\d{2,3}(?: \d{2,3})*"  # a Swedish number as written: 0142-859 95
SHORT = r"\d{3}(?: \d{2})*"  # a national short number: 112, 113 13, 114 14
EMAIL = r"[a-z0-9][a-z0-9.+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)+"


@dataclass(frozen=True)
class Route:
    """One municipality's public contact routes, as one source gives them."""

    municipality: str  # id in data/collaboration.yaml
    name: dict  # lang -> what the route is: "Medborgarservice (växel och reception)"
    source: object  # model.Source
    phone: str | None = None  # as written: 0142-859 95
    email: str | None = None  # a functional address, never a person's
    postal: tuple = ()  # the lines of the postal address

    @property
    def tel(self) -> str | None:
        return tel(self.phone) if self.phone else None


@dataclass(frozen=True)
class National:
    """A national number (112, 113 13, 114 14): what it is for and who runs it."""

    number: str
    use: dict  # lang -> when to call it
    runs: dict  # lang -> the authority that runs it
    url: str | None = None

    @property
    def tel(self) -> str:
        return tel(self.number)


@dataclass(frozen=True)
class Contacts:
    routes: tuple = ()  # Route, in the file's order
    national: tuple = ()  # National

    def of(self, municipality: str):
        """The routes of a municipality (a tuple, empty when the file gives none)."""
        return tuple(r for r in self.routes if r.municipality == municipality)


EMPTY = Contacts()


def tel(number: str) -> str:
    """A tel: link's number: 0142-859 95 -> +4614285995; a short number stays as it is (112)."""
    digits = re.sub(r"\D", "", number)
    return "+46" + digits[1:] if digits.startswith("0") else digits


def build(sources, codes, known_sources, collaboration, problems: Problems) -> Contacts:
    if "contacts" not in sources.data:
        return EMPTY
    path, node = sources.data["contacts"]
    ctx = s.Ctx(path, problems)
    text = s.PerLanguage(codes)
    shape = s.Fields(
        municipalities=s.ListOf(
            s.Fields(
                municipality=s.Id(),
                name=text,
                phone=s.Field(
                    s.Text(pattern=PHONE, hint=_("write a Swedish number as the source does, e.g. 0142-859 95")),
                    required=False,
                ),
                email=s.Field(
                    s.Text(pattern=EMAIL, hint=_("write an e-mail address such as kommun@odeshog.se")), required=False
                ),
                postal=s.Field(s.ListOf(s.Text(), min_items=1), required=False),
                source=s.Id(),
            ),
            min_items=1,
        ),
        national=s.Field(
            s.ListOf(
                s.Fields(
                    number=s.Text(pattern=SHORT, hint=_("a national short number such as 112 or 114 14")),
                    use=text,
                    runs=text,
                    url=s.Field(s.Url(), required=False),
                )
            ),
            required=False,
            default=[],
        ),
    )
    data = shape.convert(node, ctx, "contacts")
    if data is s.INVALID:
        return EMPTY
    ids = [m.id for m in collaboration.municipalities] if collaboration else None
    routes = []
    for r in data["municipalities"]:
        if ids is not None and r["municipality"] not in ids:
            ctx.error(
                r.line_of("municipality"),
                _(
                    "unknown municipality '{municipality}' (known: {ids})",
                    municipality=r["municipality"],
                    ids=", ".join(ids),
                ),
            )
        if not (r["phone"] or r["email"] or r["postal"]):
            ctx.error(
                r.line,
                _(
                    "the route of '{municipality}' gives no phone, email or postal address",
                    municipality=r["municipality"],
                ),
            )
        if r["email"] and "." in r["email"].split("@")[0]:
            ctx.error(
                r.line_of("email"),
                _(
                    "'{email}' looks like a person's own address; publish the municipality's functional address instead",
                    email=r["email"],
                ),
            )
        source = known_sources.get(r["source"])
        if source is None:
            ctx.error(
                r.line_of("source"),
                _(
                    "unknown source '{source}' (data/sources.yaml has: {known_sources})",
                    source=r["source"],
                    known_sources=", ".join(sorted(known_sources)) or "none",
                ),
            )
        routes.append(
            Route(r["municipality"], dict(r["name"]), source, r["phone"], r["email"], tuple(r["postal"] or ()))
        )
    national = tuple(National(n["number"], dict(n["use"]), dict(n["runs"]), n["url"]) for n in data["national"])
    return Contacts(tuple(routes), national)


def json_ld(site, lang: str) -> dict:
    """schema.org data for search engines: the unit as a GovernmentOrganization, part of its
    host municipality, with the host's public contact routes and the municipalities it serves."""
    collab = site.collaboration
    host = collab.municipality(collab.host)

    def points(mid):
        out = []
        for r in site.contacts.of(mid):
            point = {"@type": "ContactPoint", "name": r.name[lang], "availableLanguage": "sv"}
            if r.phone:
                point["telephone"] = r.tel
            if r.email:
                point["email"] = r.email
            out.append(point)
        return out

    def organisation(m):
        org = {"@type": "GovernmentOrganization", "name": m.name[lang]}
        if points(m.id):
            org["contactPoint"] = points(m.id)
        route = next((r for r in site.contacts.of(m.id) if r.postal), None)
        if route:
            # A last line of a postcode and a town is given as those; any other line stays
            # in the street address, so nothing the data gives is left out.
            town = re.fullmatch(r"(\d{3} \d{2}) (.+)", route.postal[-1]) if len(route.postal) > 1 else None
            street = route.postal[:-1] if town else route.postal
            address = {"@type": "PostalAddress", "streetAddress": ", ".join(street)}
            if town:
                address.update(postalCode=town[1], addressLocality=town[2], addressCountry="SE")
            org["address"] = address
        return org

    unit = {
        "@context": "https://schema.org",
        "@type": "GovernmentOrganization",
        "name": collab.unit_name[lang],
        "url": site.config.base_url + site.config.language(lang).prefix,
        "parentOrganization": organisation(host),
        "areaServed": [{"@type": "AdministrativeArea", "name": m.name[lang]} for m in collab.municipalities],
    }
    if points(host.id):
        unit["contactPoint"] = points(host.id)
    return unit
