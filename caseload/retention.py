"""Retention of the team's records of a client (olteams.retention), 20 years after the last
care (clients.retention): crises, documents (and their files), MDO items, tasks and
appointments are destroyed; contacts, intensity changes and consultations are anonymised:
their text goes, their date, minutes, kind and funding stay for the accounts and statistics
(a closed monthly account holds only totals, never a client)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from caseload.models import (
    Consultation,
    Contact,
    Crisis,
    Document,
    IntensityChange,
    MdoItem,
    Task,
)
from caseload.models_appointments import Appointment, AppointmentSeries
from clients.retention import WIPED, medical_candidates, request_candidates
from olteams import retention
from olteams.constants import RetentionAction


def _destroyed_querysets() -> list[tuple[QuerySet, str]]:
    return [
        (Crisis.objects.all(), "client_id"),
        (Document.objects.all(), "client_id"),
        (MdoItem.objects.all(), "client_id"),
        (Task.objects.all(), "client_id"),
        (Appointment.objects.all(), "client_id"),
        (AppointmentSeries.objects.all(), "client_id"),
    ]


def _destroy(client_ids: list[int]) -> int:
    files = [
        (d.file.storage, str(d.file.name))
        for d in Document.objects.filter(client_id__in=client_ids).only("file")
        if d.file
    ]
    n = 0
    steps: list[QuerySet] = [
        Task.objects.filter(Q(client_id__in=client_ids) | Q(mdo_item__client_id__in=client_ids)),
        MdoItem.objects.filter(client_id__in=client_ids),
        Appointment.objects.filter(client_id__in=client_ids),
        AppointmentSeries.objects.filter(client_id__in=client_ids),
        Crisis.objects.filter(client_id__in=client_ids),
        Document.objects.filter(client_id__in=client_ids),
    ]
    for queryset in steps:
        n += queryset.delete()[1].get(queryset.model._meta.label, 0)

    def remove_files() -> None:  # only once the rows are gone for good
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(remove_files)
    return n


def _anonymised_querysets() -> list[tuple[QuerySet, str]]:
    return [
        (Contact.objects.exclude(note=""), "client_id"),
        (IntensityChange.objects.exclude(reason=WIPED), "client_id"),
        (Consultation.objects.exclude(note="", requester_name=""), "client_id"),
    ]


def _anonymise(client_ids: list[int]) -> int:
    return (
        Contact.objects.filter(client_id__in=client_ids).exclude(note="").update(note="")
        + IntensityChange.objects.filter(client_id__in=client_ids)
        .exclude(reason=WIPED)
        .update(reason=WIPED)
        + Consultation.objects.filter(client_id__in=client_ids)
        .exclude(note="", requester_name="")
        .update(note="", requester_name="")
    )


def register() -> None:
    rule = _("20 jaar na de laatste zorg (Wgbo art. 7:454)")
    retention.register_kind(
        retention.RecordKind(
            key="caseload.clinical",
            label=_("Crises, documenten, MDO-besluiten, taken en afspraken"),
            rule=rule,
            action=RetentionAction.DESTROY,
            order=20,
            expired=lambda today: medical_candidates(today, _destroyed_querysets()),
            apply=_destroy,
            for_client=lambda client_id, today: request_candidates(
                client_id, _destroyed_querysets()
            ),
        )
    )
    retention.register_kind(
        retention.RecordKind(
            key="caseload.contacts",
            label=_("Verslagen van contacten, op- en afschalen en consultaties"),
            rule=_(
                "20 jaar na de laatste zorg (Wgbo art. 7:454); datum, minuten en soort blijven "
                "voor de verantwoording"
            ),
            action=RetentionAction.ANONYMISE,
            order=21,
            expired=lambda today: medical_candidates(today, _anonymised_querysets()),
            apply=_anonymise,
            for_client=lambda client_id, today: request_candidates(
                client_id, _anonymised_querysets()
            ),
        )
    )
