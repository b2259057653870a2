"""API shapes of the caseload app. Serializers parse formats; the services hold the rules."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from caseload.constants import (
    ConsultationRequester,
    ContactFunding,
    ContactKind,
    CrisisSetting,
    IntensityLevel,
    NonClientCode,
    NonClientTarget,
)
from caseload.models import (
    Consultation,
    Contact,
    ContactWorker,
    Crisis,
    IntensityChange,
    NonClientTime,
)
from caseload.selectors.contacts import contact_note_visible
from clients.models import Client
from olteams.access import ClientAction, clients_visible_to
from olteams.models import Team, User

_CLIENT_ERRORS = {
    "does_not_exist": "Deze cliënt is niet gevonden of valt buiten uw team.",
    "incorrect_type": "Geef het nummer van een cliënt.",
    "null": "Kies een cliënt.",
    "required": "Kies een cliënt.",
}


@extend_schema_field(OpenApiTypes.INT)
class _ClientField(serializers.PrimaryKeyRelatedField):
    """A client the requesting user may change (or see: ``client_action`` in the context);
    any other id is "not found", a field error (400), the same for missing and not yours."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", _CLIENT_ERRORS)
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        user = getattr(self.context.get("request"), "user", None)
        if user is None:
            return Client.objects.none()
        return clients_visible_to(
            user, action=self.context.get("client_action", ClientAction.CHANGE)
        )


# --- contacts ----------------------------------------------------------------------------


@extend_schema_serializer(component_name="CaseloadContactWorker")
class PresenceSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    organisation = serializers.CharField(source="organisation.short_name")

    class Meta:
        model = ContactWorker
        fields = ["worker", "name", "organisation", "discipline"]
        read_only_fields = fields

    def get_name(self, obj: ContactWorker) -> str:
        return obj.worker.get_full_name() or obj.worker.get_username()


@extend_schema_serializer(component_name="CaseloadContact")
class ContactSerializer(serializers.ModelSerializer):
    """A contact; ``note`` is null and ``note_hidden`` true when the report is shielded."""

    workers = PresenceSerializer(source="presences", many=True, read_only=True)
    goals: Any = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    note = serializers.SerializerMethodField()
    note_hidden = serializers.SerializerMethodField()
    # A plain string: the consent categories' enum is named by the clients app.
    note_category = serializers.CharField(read_only=True)

    class Meta:
        model = Contact
        fields = [
            "id",
            "client",
            "team",
            "starts_at",
            "date",
            "duration_minutes",
            "travel_minutes",
            "kind",
            "workers",
            "naaste_present",
            "goals",
            "note",
            "note_hidden",
            "note_category",
            "funding_stream",
            "funding_proposed",
            "author",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def _visible(self, obj: Contact) -> bool:
        categories = self.context.get("categories", {}).get(obj.client_id, frozenset())
        return contact_note_visible(categories, obj, user_id=self.context.get("user_id"))

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_note(self, obj: Contact) -> str | None:
        return obj.note if self._visible(obj) else None

    def get_note_hidden(self, obj: Contact) -> bool:
        return not self._visible(obj)


class _ContactFieldsSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    duration_minutes = serializers.IntegerField()
    kind = serializers.ChoiceField(ContactKind.choices)
    workers = serializers.ListField(child=serializers.IntegerField(), default=list)
    naaste_present = serializers.BooleanField(default=False)
    goals = serializers.ListField(child=serializers.IntegerField(), default=list)
    note = serializers.CharField(allow_blank=True, default="", trim_whitespace=True)
    travel_minutes = serializers.IntegerField(default=0)
    funding_stream = serializers.ChoiceField(
        ContactFunding.choices, allow_null=True, allow_blank=True, default=None
    )


@extend_schema_serializer(component_name="CaseloadContactCreate")
class ContactCreateSerializer(_ContactFieldsSerializer):
    client = _ClientField()


@extend_schema_serializer(component_name="CaseloadContactUpdate")
class ContactUpdateSerializer(_ContactFieldsSerializer):
    pass


# --- non-client time ---------------------------------------------------------------------


@extend_schema_serializer(component_name="CaseloadNonClientTime")
class NonClientTimeSerializer(serializers.ModelSerializer):
    class Meta:
        model = NonClientTime
        fields = [
            "id",
            "worker",
            "team",
            "organisation",
            "discipline",
            "date",
            "minutes",
            "code",
            "target",
            "explanation",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


@extend_schema_serializer(component_name="CaseloadNonClientTimeCreate")
class NonClientTimeCreateSerializer(serializers.Serializer):
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all())
    worker = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True, default=None
    )
    date = serializers.DateField()
    minutes = serializers.IntegerField()
    code = serializers.ChoiceField(NonClientCode.choices)
    target = serializers.ChoiceField(NonClientTarget.choices, allow_blank=True, default="")
    explanation = serializers.CharField(
        allow_blank=True, default="", max_length=300, trim_whitespace=True
    )


# --- intensity and crises ----------------------------------------------------------------


@extend_schema_serializer(component_name="CaseloadIntensityChange")
class IntensityChangeSerializer(serializers.ModelSerializer):
    direction = serializers.CharField(read_only=True)

    class Meta:
        model = IntensityChange
        fields = [
            "id",
            "client",
            "team",
            "date",
            "level",
            "previous_level",
            "direction",
            "reason",
            "by",
            "created_at",
        ]
        read_only_fields = fields


@extend_schema_serializer(component_name="CaseloadIntensityChangeCreate")
class IntensityChangeCreateSerializer(serializers.Serializer):
    date = serializers.DateField()
    level = serializers.ChoiceField(IntensityLevel.choices)
    reason = serializers.CharField(allow_blank=True, trim_whitespace=True)


@extend_schema_serializer(component_name="CaseloadCrisis")
class CrisisSerializer(serializers.ModelSerializer):
    """A crisis; ``reason`` is null and ``reason_withheld`` explains why when the client did
    not consent to share crisis notes with the reader (the view's ``crisis_withheld``)."""

    reason = serializers.SerializerMethodField()
    reason_withheld = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_reason(self, obj: Crisis) -> str | None:
        return None if self.context.get("crisis_withheld") else obj.reason

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_reason_withheld(self, obj: Crisis) -> str | None:
        return self.context.get("crisis_withheld") or None

    class Meta:
        model = Crisis
        fields = [
            "id",
            "client",
            "team",
            "started_on",
            "ended_on",
            "setting",
            "setting_other",
            "reason",
            "reason_withheld",
            "admission_prevented",
            "by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


@extend_schema_serializer(component_name="CaseloadCrisisCreate")
class CrisisCreateSerializer(serializers.Serializer):
    started_on = serializers.DateField()
    setting = serializers.ChoiceField(CrisisSetting.choices)
    setting_other = serializers.CharField(
        allow_blank=True, default="", max_length=100, trim_whitespace=True
    )
    reason = serializers.CharField(allow_blank=True, trim_whitespace=True)
    admission_prevented = serializers.BooleanField(default=False)
    ended_on = serializers.DateField(required=False, allow_null=True, default=None)


@extend_schema_serializer(component_name="CaseloadCrisisEnd")
class CrisisEndSerializer(serializers.Serializer):
    ended_on = serializers.DateField()
    admission_prevented = serializers.BooleanField(required=False, allow_null=True, default=None)


# --- consultations -----------------------------------------------------------------------


@extend_schema_serializer(component_name="CaseloadConsultation")
class ConsultationSerializer(serializers.ModelSerializer):
    # The client only when the reader may see that client (see selectors.consultation_list).
    client = serializers.SerializerMethodField()

    def get_client(self, obj: Consultation) -> int | None:
        return obj.client_id if getattr(obj, "client_visible", False) else None

    class Meta:
        model = Consultation
        fields = [
            "id",
            "team",
            "worker",
            "organisation",
            "discipline",
            "date",
            "requester_kind",
            "requester_name",
            "client",
            "about",
            "minutes",
            "note",
            "created_at",
        ]
        read_only_fields = fields


@extend_schema_serializer(component_name="CaseloadConsultationCreate")
class ConsultationCreateSerializer(serializers.Serializer):
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all())
    date = serializers.DateField()
    requester_kind = serializers.ChoiceField(ConsultationRequester.choices)
    requester_name = serializers.CharField(
        allow_blank=True, default="", max_length=200, trim_whitespace=True
    )
    client = _ClientField(required=False, allow_null=True, default=None)
    about = serializers.CharField(
        allow_blank=True, default="", max_length=200, trim_whitespace=True
    )
    minutes = serializers.IntegerField()
    note = serializers.CharField(allow_blank=True, default="", trim_whitespace=True)
