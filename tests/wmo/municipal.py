"""Builders of the municipal route (the Voorschoten route) shared by its tests: a melding of a
resident at the Wmo desk, the onderzoek, the goals and the beschikking with an arrangement."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.factories.wmo import MunicipalProductFactory, category
from wmo import services
from wmo.models import Arrangement, Melding

STROKE_GOALS = (
    "Ik wil mijn dagen weer rustig kunnen vullen zonder dat het me te veel wordt.",
    "Ik wil dat mijn vrouw weer tijd voor zichzelf heeft.",
    "Ik wil weer een stukje kunnen wandelen in de buurt.",
    "Ik wil me minder somber voelen.",
)


def arrangement(municipality: Any, *, code: str = "herstel-groei") -> Arrangement:
    product = MunicipalProductFactory(
        municipality=municipality,
        code="07D05",
        name="Dagbesteding prikkelarm",
        category=category("07"),
        unit="16",
    )
    return Arrangement.objects.get_or_create(
        municipality=municipality,
        code=code,
        defaults={
            "name": "Herstel, groei en stabilisatie",
            "product": product,
            "start": dt.date(2020, 1, 1),
        },
    )[0]


def registered(
    *, consultant: Any, municipality: Any, team: Any, on: dt.date, **person: Any
) -> Melding:
    person = {
        "first_name": "Henk",
        "last_name": "Jansen",
        "date_of_birth": dt.date(1958, 4, 2),
    } | person
    return services.melding_register(
        actor=consultant,
        municipality=municipality,
        team=team,
        reported_on=on,
        question="Na mijn beroerte raak ik snel overprikkeld; mijn vrouw is overbelast.",
        reporter="De partner",
        person=person,
        today=on,
    )


def investigated(melding: Melding, consultant: Any, *, on: dt.date) -> Melding:
    services.melding_conversation(
        actor=consultant,
        melding=melding,
        conversation_on=on,
        present="Dhr. Jansen en zijn partner",
        summary="Keukentafelgesprek: dagstructuur en ontlasting van de partner.",
        naaste_name="Ria Jansen",
        naaste_relation="partner",
        zrm_scores={"tijdsbesteding": 2, "huiselijke_relaties": 2, "geestelijke_gezondheid": 3},
        today=on,
    )
    services.melding_goals_set(actor=consultant, melding=melding, texts=STROKE_GOALS, today=on)
    melding.refresh_from_db()
    return melding


def decided(melding: Melding, consultant: Any, *, now: dt.datetime) -> Melding:
    day = now.date()
    services.melding_decide(
        actor=consultant,
        melding=melding,
        arrangement=arrangement(melding.municipality),
        volume=5,
        unit="16",
        frequency="2",
        start=day,
        end=day + dt.timedelta(days=365),
        review_on=day + dt.timedelta(days=61),
        result_areas=[1, 4, 6],
        now=now,
    )
    melding.refresh_from_db()
    return melding
