"""Every rule of the contact routes (portal/model/contacts.py), one small test each: how
data/contacts.yaml is read (a few lines parsed in memory, no build), the tel: link of a number, the
routes of a municipality, and the schema.org data that search engines show. A wrong rule here shows
citizens a number that does not work, hides the way to reach the unit, or publishes a person's own
address, so each test reads as the rule it pins and asserts the exact value or `path:line: message`."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest

from portal.load import sources as load
from portal.load import yamlnodes
from portal.model import contacts
from portal.model.contacts import Contacts, National, Route
from portal.model.site import Collaboration, Municipality, Source
from portal.problems import Problems

PATH = "data/contacts.yaml"
CODES = ("sv", "en")
PAGE = Source("mjolby-page", "Mjölby kommun", "Kontakt", dt.date(2021, 8, 23), "https://www.mjolby.se/34865.html")
OTHER = Source("odeshog-page", "Ödeshögs kommun", None, None, "https://www.odeshog.se/")
KNOWN = {"mjolby-page": PAGE, "odeshog-page": OTHER}

ROUTE = """\
municipalities:
  - municipality: mjolby
    name:
      sv: Växeln
      en: Switchboard
    phone: 0142-859 95
    source: mjolby-page
"""
NATIONAL = """\
national:
  - number: "112"
    use: {sv: Vid nöd., en: In an emergency.}
    runs: {sv: SOS Alarm, en: SOS Alarm}
  - number: 114 14
    use: {sv: Till polisen., en: To the police.}
    runs: {sv: Polisen, en: The police}
    url: https://polisen.se/
"""
NAME = {"sv": "Växeln", "en": "Switchboard"}


def route(municipality="mjolby", source="mjolby-page", **fields) -> str:
    """One route of `municipalities:`, its first line `- municipality:`, then the given fields."""
    text = f"  - municipality: {municipality}\n    name: {{sv: Växeln, en: Switchboard}}\n"
    text += "".join(f"    {key}: {value}\n" for key, value in fields.items())
    return text + f"    source: {source}\n"


def routes(*entries) -> str:
    return "municipalities:\n" + "".join(entries)


def collaboration(*ids, host="mjolby") -> Collaboration:
    municipalities = tuple(
        Municipality(mid, {"sv": f"{mid.capitalize()} kommun", "en": f"{mid.capitalize()} Municipality"}, "partner")
        for mid in ids
    )
    return Collaboration({"sv": "Enheten", "en": "The unit"}, host, municipalities, ())


def run(text, known=KNOWN, collab=None):
    problems = Problems()
    sources = load.Sources(root=Path("."), data={"contacts": (PATH, yamlnodes.parse(text))})
    found = contacts.build(sources, CODES, known, collab, problems)
    return found, [str(p) for p in problems.items]


def problems_of(text, **kwargs) -> list:
    return run(text, **kwargs)[1]


# --- the tel: link of a number --------------------------------------------------------------------


@pytest.mark.parametrize(
    "number, link",
    [("0142-859 95", "+4614285995"), ("08-123 45 67", "+4681234567"), ("0144-350 00", "+4614435000")],
)
def test_a_swedish_number_is_called_in_the_international_form(number, link):
    assert contacts.tel(number) == link


@pytest.mark.parametrize("number, link", [("112", "112"), ("113 13", "11313"), ("114 14", "11414")])
def test_a_short_number_keeps_its_digits_only(number, link):
    assert contacts.tel(number) == link


def test_a_route_has_a_tel_link_only_with_a_phone_number():
    assert Route("mjolby", NAME, PAGE, phone="0142-859 95").tel == "+4614285995"
    assert Route("mjolby", NAME, PAGE, email="kommun@mjolby.se").tel is None


def test_a_national_number_has_its_tel_link():
    assert National("113 13", {}, {}).tel == "11313"


# --- the routes of a municipality -----------------------------------------------------------------


def test_the_routes_of_a_municipality_are_its_own_in_the_file_order():
    first, second = Route("mjolby", NAME, PAGE, phone="0142-859 95"), Route("mjolby", NAME, PAGE, email="a@b.se")
    found = Contacts((first, Route("boxholm", NAME, PAGE, phone="0142-895 00"), second))
    assert found.of("mjolby") == (first, second)
    assert found.of("odeshog") == ()


def test_no_contacts_have_no_routes_and_no_national_numbers():
    assert contacts.EMPTY == Contacts((), ()) and contacts.EMPTY.of("mjolby") == ()


# --- reading data/contacts.yaml -------------------------------------------------------------------


def test_a_site_without_the_contacts_file_has_no_contacts():
    problems = Problems()
    assert contacts.build(load.Sources(root=Path(".")), CODES, KNOWN, None, problems) is contacts.EMPTY
    assert problems.items == []


def test_a_route_is_read_as_written_with_its_source():
    found, problems = run(ROUTE)
    assert problems == []
    assert found == Contacts((Route("mjolby", NAME, PAGE, "0142-859 95", None, ()),), ())
    assert type(found.routes[0].name) is dict


def test_a_route_may_give_all_three_routes_and_the_postal_address_as_lines():
    found, problems = run(
        routes(route(phone="0144-350 00", email="kommun@odeshog.se", postal="[Stora torget 3, 599 80 Ödeshög]"))
    )
    assert problems == []
    assert found.routes == (
        Route("mjolby", NAME, PAGE, "0144-350 00", "kommun@odeshog.se", ("Stora torget 3", "599 80 Ödeshög")),
    )


@pytest.mark.parametrize("field", ["phone: 0142-859 95", "email: kommun@mjolby.se", "postal: [Box 1]"])
def test_any_one_of_phone_email_and_postal_address_is_enough(field):
    key, value = field.split(": ")
    found, problems = run(routes(route(**{key: value})))
    assert problems == [] and len(found.routes) == 1


def test_a_route_without_phone_email_or_postal_address_is_an_error_at_its_first_line():
    found, problems = run("# Contacts\n" + routes(route(municipality="boxholm")))
    assert problems == [f"{PATH}:3: the route of 'boxholm' gives no phone, email or postal address"]
    assert found.routes == (Route("boxholm", NAME, PAGE),)


def test_the_routes_keep_the_file_order():
    found, problems = run(routes(route("odeshog", phone="0144-350 00"), route("boxholm", phone="0142-895 00")))
    assert problems == []
    assert [(r.municipality, r.phone) for r in found.routes] == [("odeshog", "0144-350 00"), ("boxholm", "0142-895 00")]


def test_the_file_needs_a_route():
    assert run("municipalities: []\n") == (contacts.EMPTY, [f"{PATH}:1: 'municipalities' needs at least 1 item(s)"])


def test_the_name_is_needed_in_every_site_language():
    text = ROUTE.replace("      en: Switchboard\n", "")
    assert run(text) == (contacts.EMPTY, [f"{PATH}:4: 'name' has no text in 'en'"])


@pytest.mark.parametrize("phone", ["0142-859 95", "08-123 45 67", "0142-85 95", "0142-859", "0142-859 95 12"])
def test_a_phone_number_is_written_as_the_source_does(phone):
    found, problems = run(routes(route(phone=phone)))
    assert problems == [] and found.routes[0].phone == phone


@pytest.mark.parametrize("phone", ["0142 859 95", "014285995", "142-859 95", "+46 142-859 95", "0142-8 95"])
def test_another_way_of_writing_a_phone_number_is_refused_with_a_hint(phone):
    assert run(routes(route(phone=phone))) == (
        contacts.EMPTY,
        [f"{PATH}:4: 'phone' is '{phone}': write a Swedish number as the source does, e.g. 0142-859 95"],
    )


@pytest.mark.parametrize("email", ["kommun@odeshog.se", "medborgar-service@mjolby.se", "kontakt+1@kommun.example.se"])
def test_a_functional_email_address_is_taken(email):
    found, problems = run(routes(route(email=email)))
    assert problems == [] and found.routes[0].email == email


@pytest.mark.parametrize("email", ["Kommun@odeshog.se", "kommun@odeshog", "kommun odeshog.se", "-kommun@odeshog.se"])
def test_an_email_address_that_is_not_one_is_refused_with_a_hint(email):
    assert run(routes(route(email=email))) == (
        contacts.EMPTY,
        [f"{PATH}:4: 'email' is '{email}': write an e-mail address such as kommun@odeshog.se"],
    )


def test_a_persons_own_address_is_refused_at_its_line_but_the_route_is_kept():
    found, problems = run(routes(route(phone="0142-859 95", email="anna.andersson@mjolby.se")))
    assert problems == [
        f"{PATH}:5: 'anna.andersson@mjolby.se' looks like a person's own address; "
        "publish the municipality's functional address instead"
    ]
    assert found.routes[0].email == "anna.andersson@mjolby.se"


def test_a_dot_after_the_at_sign_is_no_sign_of_a_person():
    assert problems_of(routes(route(email="kommun@kommun.odeshog.se"))) == []


def test_a_postal_address_has_at_least_one_line():
    assert run(routes(route(postal="[]"))) == (contacts.EMPTY, [f"{PATH}:4: 'postal' needs at least 1 item(s)"])


def test_an_unknown_source_is_an_error_at_its_line_naming_the_known_ones_in_order():
    found, problems = run(routes(route(phone="0142-859 95", source="mjolby-2021")))
    assert problems == [f"{PATH}:5: unknown source 'mjolby-2021' (data/sources.yaml has: mjolby-page, odeshog-page)"]
    assert found.routes[0].source is None


def test_an_unknown_source_without_any_sources_says_none():
    assert problems_of(ROUTE, known={}) == [f"{PATH}:7: unknown source 'mjolby-page' (data/sources.yaml has: none)"]


def test_the_source_is_an_id():
    assert run(routes(route(phone="0142-859 95", source="Mjölby"))) == (
        contacts.EMPTY,
        [f"{PATH}:5: 'source' is 'Mjölby': use lower-case letters a-z, digits and hyphens"],
    )


def test_a_municipality_is_one_the_collaboration_names_at_its_line():
    collab = collaboration("mjolby", "odeshog")
    assert problems_of(routes(route(phone="0142-859 95")), collab=collab) == []
    found, problems = run(routes(route("linkoping", phone="013-20 60 00")), collab=collab)
    assert problems == [f"{PATH}:2: unknown municipality 'linkoping' (known: mjolby, odeshog)"]
    assert found.routes[0].municipality == "linkoping"


def test_an_unknown_municipality_is_reported_at_its_own_line_wherever_it_stands_in_the_route():
    text = "municipalities:\n  - name: {sv: Växeln, en: Switchboard}\n    phone: 0142-859 95\n"
    text += "    municipality: linkoping\n    source: mjolby-page\n"
    assert problems_of(text, collab=collaboration("mjolby")) == [
        f"{PATH}:4: unknown municipality 'linkoping' (known: mjolby)"
    ]


def test_without_a_collaboration_any_municipality_is_taken():
    assert problems_of(routes(route("linkoping", phone="013-20 60 00"))) == []


def test_the_municipality_is_an_id():
    assert run(routes(route("Mjölby", phone="0142-859 95"))) == (
        contacts.EMPTY,
        [f"{PATH}:2: 'municipality' is 'Mjölby': use lower-case letters a-z, digits and hyphens"],
    )


def test_every_error_of_a_route_is_reported():
    collab = collaboration("mjolby")
    assert problems_of(routes(route("boxholm", source="x")), known={}, collab=collab) == [
        f"{PATH}:2: unknown municipality 'boxholm' (known: mjolby)",
        f"{PATH}:2: the route of 'boxholm' gives no phone, email or postal address",
        f"{PATH}:4: unknown source 'x' (data/sources.yaml has: none)",
    ]


def test_a_file_that_is_not_a_mapping_gives_no_contacts():
    assert run("- mjolby\n") == (contacts.EMPTY, [f"{PATH}:1: 'contacts' should be a mapping (key: value), not a list"])


# --- the national numbers -------------------------------------------------------------------------


def test_the_national_numbers_are_read_in_the_file_order_with_their_use_and_who_runs_them():
    found, problems = run(ROUTE + NATIONAL)
    assert problems == []
    assert found.national == (
        National("112", {"sv": "Vid nöd.", "en": "In an emergency."}, {"sv": "SOS Alarm", "en": "SOS Alarm"}),
        National(
            "114 14",
            {"sv": "Till polisen.", "en": "To the police."},
            {"sv": "Polisen", "en": "The police"},
            "https://polisen.se/",
        ),
    )
    assert type(found.national[0].use) is dict and type(found.national[0].runs) is dict


def test_the_national_numbers_are_optional():
    assert run(ROUTE) == (Contacts((Route("mjolby", NAME, PAGE, "0142-859 95"),), ()), [])


@pytest.mark.parametrize("number", ["0142-859 95", "11", "1121", "113  13", "113 1"])
def test_a_national_number_is_a_short_number(number):
    text = ROUTE + NATIONAL.replace('"112"', f'"{number}"')
    assert run(text) == (
        contacts.EMPTY,
        [f"{PATH}:9: 'number' is '{number}': a national short number such as 112 or 114 14"],
    )


def test_a_national_numbers_address_is_a_full_one():
    text = ROUTE + NATIONAL.replace("https://polisen.se/", "polisen.se")
    assert run(text) == (
        contacts.EMPTY,
        [f"{PATH}:15: 'url' is 'polisen.se': write a full address starting with https:// or http://"],
    )


def test_what_a_national_number_is_for_and_who_runs_it_are_needed_in_every_site_language():
    text = ROUTE + NATIONAL.replace("en: SOS Alarm}", "fi: SOS Alarm}")
    assert problems_of(text) == [
        f"{PATH}:11: 'runs' has text in 'fi', which is not a site language (sv, en)",
        f"{PATH}:11: 'runs' has no text in 'en'",
    ]


# --- schema.org data for search engines -----------------------------------------------------------


def site(*found, base_url="https://example.se/portal/", ids=("mjolby", "boxholm", "odeshog")):
    prefixes = {"sv": "", "en": "en/"}
    config = SimpleNamespace(base_url=base_url, language=lambda code: SimpleNamespace(prefix=prefixes[code]))
    return SimpleNamespace(collaboration=collaboration(*ids), contacts=Contacts(tuple(found)), config=config)


MJOLBY = Route("mjolby", NAME, PAGE, phone="0142-859 95", email="medborgarservice@mjolby.se")
SWITCHBOARD = {"@type": "ContactPoint", "name": "Växeln", "availableLanguage": "sv"}


def test_the_unit_is_described_as_a_government_organisation_of_its_host_serving_every_municipality():
    assert contacts.json_ld(site(MJOLBY), "sv") == {
        "@context": "https://schema.org",
        "@type": "GovernmentOrganization",
        "name": "Enheten",
        "url": "https://example.se/portal/",
        "parentOrganization": {
            "@type": "GovernmentOrganization",
            "name": "Mjolby kommun",
            "contactPoint": [SWITCHBOARD | {"telephone": "+4614285995", "email": "medborgarservice@mjolby.se"}],
        },
        "areaServed": [
            {"@type": "AdministrativeArea", "name": "Mjolby kommun"},
            {"@type": "AdministrativeArea", "name": "Boxholm kommun"},
            {"@type": "AdministrativeArea", "name": "Odeshog kommun"},
        ],
        "contactPoint": [SWITCHBOARD | {"telephone": "+4614285995", "email": "medborgarservice@mjolby.se"}],
    }


def test_the_data_is_in_the_pages_language_at_its_address_the_routes_always_in_swedish():
    data = contacts.json_ld(site(MJOLBY), "en")
    assert data["name"] == "The unit" and data["url"] == "https://example.se/portal/en/"
    assert data["parentOrganization"]["name"] == "Mjolby Municipality"
    assert data["areaServed"][1] == {"@type": "AdministrativeArea", "name": "Boxholm Municipality"}
    assert data["contactPoint"] == [
        {
            "@type": "ContactPoint",
            "name": "Switchboard",
            "availableLanguage": "sv",
            "telephone": "+4614285995",
            "email": "medborgarservice@mjolby.se",
        }
    ]


def test_a_route_gives_only_the_numbers_and_addresses_it_has():
    phone_only = dataclasses.replace(MJOLBY, email=None)
    email_only = dataclasses.replace(MJOLBY, phone=None)
    data = contacts.json_ld(site(phone_only, email_only), "sv")
    assert data["contactPoint"] == [
        SWITCHBOARD | {"telephone": "+4614285995"},
        SWITCHBOARD | {"email": "medborgarservice@mjolby.se"},
    ]


def test_only_the_hosts_routes_are_the_units():
    data = contacts.json_ld(site(Route("boxholm", NAME, PAGE, phone="0142-895 00")), "sv")
    assert "contactPoint" not in data and "contactPoint" not in data["parentOrganization"]


def test_a_postal_address_is_the_first_one_given_with_its_postcode_and_town():
    given = dataclasses.replace(MJOLBY, postal=("Stora torget 3", "Box 1", "599 80 Ödeshög"))
    later = dataclasses.replace(MJOLBY, postal=("Torget 1", "595 80 Mjölby"))
    data = contacts.json_ld(site(given, later), "sv")
    assert data["parentOrganization"]["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "Stora torget 3, Box 1",
        "postalCode": "599 80",
        "addressLocality": "Ödeshög",
        "addressCountry": "SE",
    }
    assert "address" not in data


def test_a_route_without_a_postal_address_does_not_hide_a_later_one():
    postal = Route("mjolby", NAME, PAGE, postal=("Torget 1", "595 80 Mjölby"))
    data = contacts.json_ld(site(MJOLBY, postal), "sv")
    assert data["parentOrganization"]["address"]["streetAddress"] == "Torget 1"


def test_a_postal_address_of_two_lines_is_a_street_address_a_postcode_and_a_town():
    data = contacts.json_ld(site(dataclasses.replace(MJOLBY, postal=("Box 1", "595 80 Mjölby"))), "sv")
    assert data["parentOrganization"]["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "Box 1",
        "postalCode": "595 80",
        "addressLocality": "Mjölby",
        "addressCountry": "SE",
    }


def test_a_postal_address_of_one_line_is_its_street_address_alone():
    data = contacts.json_ld(site(dataclasses.replace(MJOLBY, postal=("595 80 Mjölby",))), "sv")
    assert data["parentOrganization"]["address"] == {"@type": "PostalAddress", "streetAddress": "595 80 Mjölby"}


def test_a_last_line_that_is_not_a_postcode_and_town_stays_in_the_street_address():
    for last in ("Mjölby", "59580 Mjölby", "595 80", "595 80 Mjölby x\n"):
        data = contacts.json_ld(site(dataclasses.replace(MJOLBY, postal=("Torget 1", last))), "sv")
        address = data["parentOrganization"]["address"]
        assert address["@type"] == "PostalAddress", last
        assert not {"postalCode", "addressLocality", "addressCountry"} & set(address), last
        assert address["streetAddress"] == f"Torget 1, {last}", last  # the line is not left out


def test_without_routes_the_unit_has_no_contact_point_and_no_address():
    data = contacts.json_ld(site(), "sv")
    assert data["parentOrganization"] == {"@type": "GovernmentOrganization", "name": "Mjolby kommun"}
    assert "contactPoint" not in data
