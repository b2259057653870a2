"""Pages of the Wmo workflow: the team's requests, the consultant's inbox and decision, letters, register."""

from wmo.views.requests import (
    DecisionCreateView,
    RequestFormView,
    client_overview,
    decision_import,
    decision_letter,
    decision_xml,
    inbox,
    indication_list,
    lead_times,
    request_delete,
    request_detail,
    request_list,
    request_review,
    request_submit,
    request_withdraw,
    request_xml,
)

__all__ = [
    "DecisionCreateView",
    "RequestFormView",
    "client_overview",
    "decision_import",
    "decision_letter",
    "decision_xml",
    "inbox",
    "indication_list",
    "lead_times",
    "request_delete",
    "request_detail",
    "request_list",
    "request_review",
    "request_submit",
    "request_withdraw",
    "request_xml",
]
