"""Retention of the medical file (Wgbo art. 7:454): 20 years after the last care.

*Last care* of a client is the latest of: the end date of their last closed care episode and
the day of their last contact (caseload.Contact, by model label); when neither exists (a
registration that never led to care), the day the client was registered. A client with an
open episode is in care: none of their records is ever a candidate, however old.

The term has passed on the day ``last care + 20 years`` (that day included). The other apps'
clinical kinds (herstelplan, caseload) use ``clients_past_medical_term`` for their records.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from django.apps import apps
from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils.translation import gettext_lazy as _

from clients.models import (
    CareEpisode,
    Client,
    Consent,
    ExternalParty,
    Intake,
    Naaste,
    NaasteGrant,
    PortalAccount,
    PrivacyRequest,
    Referral,
)
from olteams import retention
from olteams.constants import RetentionAction

MEDICAL_FILE_YEARS = retention.MEDICAL_FILE_YEARS
ANONYMISED_NAME = "Geanonimiseerd"
WIPED = "—"  # a wiped required text


def _with_last_care(queryset: QuerySet) -> QuerySet:
    contact_model = apps.get_model("caseload", "Contact")
    last_end = Subquery(
        CareEpisode.objects.filter(client=OuterRef("pk"), ended_on__isnull=False)
        .order_by("-ended_on")
        .values("ended_on")[:1]
    )
    last_contact = Subquery(
        contact_model.objects.filter(client=OuterRef("pk")).order_by("-date").values("date")[:1]
    )
    registered = TruncDate("created_at")
    return queryset.annotate(
        in_care=Exists(CareEpisode.objects.filter(client=OuterRef("pk"), ended_on__isnull=True)),
        last_care=Greatest(
            Coalesce(last_end, last_contact, registered),
            Coalesce(last_contact, last_end, registered),
        ),
    )


def client_last_care(client_id: int) -> dt.date | None:
    """The client's day of last care (None while in care)."""
    row = _with_last_care(Client.objects.filter(pk=client_id)).values("in_care", "last_care")
    found = row.first()
    if found is None or found["in_care"]:
        return None
    return found["last_care"]


def client_in_care(client_id: int) -> bool:
    return CareEpisode.objects.filter(client_id=client_id, ended_on__isnull=True).exists()


def clients_past_medical_term(
    today: dt.date, *, include_anonymised: bool = False
) -> dict[int, dt.date]:
    """Clients not in care whose last care lies 20 years or more before ``today``: their id
    and the day the term passed."""
    cutoff = retention.years_before(today, MEDICAL_FILE_YEARS)
    clients = _with_last_care(Client.objects.all()).filter(in_care=False, last_care__lte=cutoff)
    if not include_anonymised:
        clients = clients.filter(anonymised_on__isnull=True)
    return {
        pk: retention.years_after(last_care, MEDICAL_FILE_YEARS)
        for pk, last_care in clients.values_list("pk", "last_care")
    }


def count_per_client(
    querysets: Iterable[tuple[QuerySet, str]], client_ids: Iterable[int]
) -> Counter[int]:
    """Rows per client over several querysets (each with the path to the client id)."""
    ids = list(client_ids)
    counts: Counter[int] = Counter()
    if not ids:
        return counts
    for queryset, path in querysets:
        rows = (
            queryset.filter(**{f"{path}__in": ids})
            .values(path)
            .annotate(n=Count("pk"))
            .values_list(path, "n")
        )
        for client_id, n in rows:
            counts[client_id] += n
    return counts


def medical_candidates(
    today: dt.date, querysets: list[tuple[QuerySet, str]]
) -> list[retention.Candidate]:
    """The candidates of a clinical kind: clients past the medical term with rows left."""
    due = clients_past_medical_term(today, include_anonymised=True)
    counts = count_per_client(querysets, due)
    return [
        retention.Candidate(object_id=pk, client_id=pk, due_on=due[pk], record_count=counts[pk])
        for pk in sorted(due)
        if counts[pk]
    ]


def request_candidates(
    client_id: int, querysets: list[tuple[QuerySet, str]], kept_reason: str = ""
) -> list[retention.Candidate]:
    """A destruction request's candidate of a kind: the client's rows, whatever their age;
    nothing while the client is in care."""
    if client_in_care(client_id):
        return []
    n = count_per_client(querysets, [client_id])[client_id]
    return [
        retention.Candidate(
            object_id=client_id, client_id=client_id, record_count=n, kept_reason=kept_reason
        )
    ]


# --- the clients app's own kinds ----------------------------------------------------------


def _file_querysets() -> list[tuple[QuerySet, str]]:
    return [
        (Consent.objects.all(), "client_id"),
        (Naaste.objects.all(), "client_id"),
        (ExternalParty.objects.all(), "client_id"),
        (PortalAccount.objects.all(), "client_id"),
        (NaasteGrant.objects.all(), "client_id"),
        (PrivacyRequest.objects.all(), "client_id"),
        (Intake.objects.all(), "episode__client_id"),
        (Referral.objects.exclude(question=WIPED), "client_id"),
    ]


def _file_destroy(client_ids: list[int]) -> int:
    """Intakes, naasten (with their portal accounts and grants), external parties, consents,
    privacy requests and the client's own portal account destroyed; the referral's free text (the question in
    the client's words, names) wiped, its date and source kept."""
    n = 0
    for model in (NaasteGrant, PortalAccount, PrivacyRequest, Consent, Naaste, ExternalParty):
        n += model.objects.filter(client_id__in=client_ids).delete()[1].get(model._meta.label, 0)
    n += (
        Intake.objects.filter(episode__client_id__in=client_ids)
        .delete()[1]
        .get(Intake._meta.label, 0)
    )
    n += Referral.objects.filter(client_id__in=client_ids).update(
        question=WIPED, person_name="", referrer_name=""
    )
    return n


def _identity_querysets() -> list[tuple[QuerySet, str]]:
    return [(Client.objects.filter(anonymised_on__isnull=True), "pk")]


def _identity_anonymise(client_ids: list[int]) -> int:
    """Strip what identifies the client; the row stays (team, municipality, gender and the
    episodes' dates feed the statistics and the closed monthly accounts)."""
    from django.utils import timezone

    CareEpisode.objects.filter(client_id__in=client_ids).update(outflow_destination="")
    return Client.objects.filter(pk__in=client_ids, anonymised_on__isnull=True).update(
        bsn=None,
        initials="",
        first_name=ANONYMISED_NAME,
        name_prefix="",
        last_name=ANONYMISED_NAME,
        date_of_birth=None,
        address="",
        postcode="",
        city="",
        neighbourhood="",
        phone="",
        email="",
        gp_practice="",
        gp_name="",
        anonymised_on=timezone.localdate(),
        updated_at=timezone.now(),
    )


def _identity_expired(today: dt.date) -> list[retention.Candidate]:
    """Past the medical term and no record the law still keeps names the client (a
    municipality's Wmo decision within its own term: ``identity_hold_reason``)."""
    return [
        retention.Candidate(object_id=pk, client_id=pk, due_on=due, record_count=1)
        for pk, due in sorted(clients_past_medical_term(today).items())
        if not retention.identity_hold_reason(pk, today)
    ]


def _identity_for_client(client_id: int, today: dt.date) -> list[retention.Candidate]:
    hold = retention.identity_hold_reason(client_id, today)
    kept = ""
    if hold:
        kept = str(
            _("%(hold)s Naam en BSN blijven daarom bij die gegevens bewaard.") % {"hold": hold}
        )
    return request_candidates(client_id, _identity_querysets(), kept_reason=kept)


def register() -> None:
    retention.register_kind(
        retention.RecordKind(
            key="clients.file",
            label=_(
                "Dossier: intake, naasten, externe partijen, toestemmingen, aanmeldtekst, "
                "toegang tot Mijn Optimaal Leven, privacyverzoeken"
            ),
            rule=_("20 jaar na de laatste zorg (Wgbo art. 7:454)"),
            action=RetentionAction.DESTROY,
            order=80,
            expired=lambda today: medical_candidates(today, _file_querysets()),
            apply=_file_destroy,
            for_client=lambda client_id, today: request_candidates(client_id, _file_querysets()),
        )
    )
    retention.register_kind(
        retention.RecordKind(
            key="clients.identity",
            label=_("Cliëntgegevens (naam, BSN, adres, geboortedatum, contactgegevens)"),
            rule=_(
                "20 jaar na de laatste zorg (Wgbo art. 7:454), en pas als de gemeente geen "
                "Wmo-gegevens van de cliënt meer hoeft te bewaren"
            ),
            action=RetentionAction.ANONYMISE,
            order=90,
            expired=_identity_expired,
            apply=_identity_anonymise,
            for_client=_identity_for_client,
        )
    )
