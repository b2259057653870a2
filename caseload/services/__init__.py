"""Writes of the caseload app: contacts, non-client time, consultations, intensity, crises.

Every function is keyword-only, takes the acting user, owns its transaction and raises
``ValidationError`` with Dutch field errors (or ``PermissionDenied``) on bad input, so the
browser, the API and the demo seed behave the same.
"""

from caseload.services.appointments import (
    Recurrence,
    appointment_cancel,
    appointment_contact_log,
    appointment_plan,
    appointment_update,
)
from caseload.services.calendar_feed import (
    calendar_feed_create,
    calendar_feed_revoke,
    calendar_feed_user,
)
from caseload.services.contacts import (
    can_change_contact,
    contact_log,
    contact_update,
    funding_stream_propose,
    note_category_for,
)
from caseload.services.documents import document_action, document_delete, document_upload
from caseload.services.events import (
    crisis_end,
    crisis_record,
    intensity_change_record,
    intensity_end,
)
from caseload.services.outflow import OutflowResult, client_outflow
from caseload.services.time import consultation_log, non_client_time_log

__all__ = [
    "OutflowResult",
    "Recurrence",
    "appointment_cancel",
    "appointment_contact_log",
    "appointment_plan",
    "appointment_update",
    "calendar_feed_create",
    "calendar_feed_revoke",
    "calendar_feed_user",
    "can_change_contact",
    "client_outflow",
    "consultation_log",
    "contact_log",
    "contact_update",
    "crisis_end",
    "crisis_record",
    "document_action",
    "document_delete",
    "document_upload",
    "funding_stream_propose",
    "intensity_change_record",
    "intensity_end",
    "non_client_time_log",
    "note_category_for",
]
