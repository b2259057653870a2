"""API shapes of the clients app. Output serializers are read-only; input serializers only
parse — the rules are in the services."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clients.constants import (
    AssignmentRole,
    DecisionKind,
    DisputedPart,
    FiledVia,
    FundingStream,
    Gender,
    NaasteRole,
    Phase,
    PrivacyDecision,
    PrivacyRequestKind,
    ReferralSource,
    ShareScope,
    Urgency,
)
from clients.models import (
    Assignment,
    CareEpisode,
    Client,
    Consent,
    Intake,
    InvolvedOrganisation,
    Naaste,
    PhaseTransition,
    PrivacyRequest,
    Referral,
    ReferralDecision,
)
from olteams.api.serializers import FieldsOnceModelSerializer, FlatFieldsSerializer
from olteams.constants import ConsentPurpose, DataCategory, OrganisationKind
from olteams.models import Municipality, Organisation, Team, User


class ClientListSerializer(serializers.ModelSerializer):
    """List rows: the BSN only masked."""

    masked_bsn = serializers.CharField(read_only=True)
    phase = serializers.CharField(read_only=True, allow_null=True)
    casemanager_name = serializers.CharField(read_only=True, allow_null=True)
    team = serializers.CharField(source="team.name", read_only=True)

    class Meta:
        model = Client
        fields = [
            "id",
            "first_name",
            "name_prefix",
            "last_name",
            "date_of_birth",
            "masked_bsn",
            "team",
            "municipality",
            "phase",
            "casemanager_name",
        ]
        read_only_fields = fields


class ClientSerializer(FieldsOnceModelSerializer):  # the registration's answer
    class Meta:
        model = Client
        fields = [
            "id",
            "team",
            "bsn",
            "initials",
            "first_name",
            "name_prefix",
            "last_name",
            "date_of_birth",
            "gender",
            "address",
            "postcode",
            "city",
            "neighbourhood",
            "municipality",
            "phone",
            "email",
            "gp_practice",
            "gp_name",
            "registering_organisation",
            "insurer",
            "merged_into",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ClientInputSerializer(FlatFieldsSerializer):
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all(), required=False)
    bsn = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=15)
    initials = serializers.CharField(required=False, allow_blank=True, max_length=20)
    first_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    name_prefix = serializers.CharField(required=False, allow_blank=True, max_length=20)
    last_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, allow_blank=True)
    address = serializers.CharField(required=False, allow_blank=True, max_length=200)
    postcode = serializers.CharField(required=False, allow_blank=True, max_length=7)
    city = serializers.CharField(required=False, allow_blank=True, max_length=100)
    neighbourhood = serializers.CharField(required=False, allow_blank=True, max_length=100)
    municipality = serializers.PrimaryKeyRelatedField(
        queryset=Municipality.objects.all(), required=False, allow_null=True
    )
    phone = serializers.CharField(required=False, allow_blank=True, max_length=20)
    email = serializers.EmailField(required=False, allow_blank=True)
    gp_practice = serializers.CharField(required=False, allow_blank=True, max_length=200)
    gp_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    registering_organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    insurer = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(kind=OrganisationKind.ZORGVERZEKERAAR),
        required=False,
        allow_null=True,
    )
    referral = serializers.PrimaryKeyRelatedField(queryset=Referral.objects.all(), required=False)
    allow_possible_duplicate = serializers.BooleanField(required=False, default=False)


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReferralDecision
        fields = ["id", "kind", "destination", "note", "decided_by", "decided_at"]
        read_only_fields = fields


class ReferralSerializer(serializers.ModelSerializer):
    decisions = DecisionSerializer(many=True, read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "team",
            "client",
            "person_name",
            "referred_on",
            "source",
            "referrer_name",
            "referrer_organisation",
            "question",
            "urgency",
            "status",
            "created_at",
            "decisions",
        ]
        read_only_fields = fields


class ReferralInputSerializer(serializers.Serializer):
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all())
    referred_on = serializers.DateField()
    # DRF's metaclass moves declared fields off the class; the stubs see Field.source here.
    source = serializers.ChoiceField(choices=ReferralSource.choices)  # type: ignore[assignment]
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    person_name = serializers.CharField(allow_blank=True, default="", max_length=200)
    question = serializers.CharField(allow_blank=True, default="")
    referrer_name = serializers.CharField(allow_blank=True, default="", max_length=200)
    referrer_organisation = serializers.CharField(allow_blank=True, default="", max_length=200)


class DecisionInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DecisionKind.choices)
    destination = serializers.CharField(allow_blank=True, default="", max_length=200)
    note = serializers.CharField(allow_blank=True, default="")


class TransitionSerializer(serializers.ModelSerializer):
    # Plain strings: both hold a Phase value; one enum per field would name one set twice.
    from_phase = serializers.CharField(read_only=True)
    to_phase = serializers.CharField(read_only=True)

    class Meta:
        model = PhaseTransition
        fields = ["from_phase", "to_phase", "on", "by", "note"]
        read_only_fields = fields


class IntakeSerializer(serializers.ModelSerializer):
    """An intake; ``outcome_notes`` is null and ``outcome_notes_withheld`` explains why when
    the client did not consent to share the intake with the reader's organisation (the
    view passes ``intake_withheld``, the explanation, in the context)."""

    outcome_notes = serializers.SerializerMethodField()
    outcome_notes_withheld = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_outcome_notes(self, obj: Intake) -> str | None:
        return None if self.context.get("intake_withheld") else obj.outcome_notes

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_outcome_notes_withheld(self, obj: Intake) -> str | None:
        return self.context.get("intake_withheld") or None

    class Meta:
        model = Intake
        fields = [
            "id",
            "planned_on",
            "planned_time",
            "location",
            "workers",
            "naaste_invited",
            "letter_generated_at",
            "outcome_notes",
            "outcome_notes_withheld",
            "naaste_present",
            "completed_at",
        ]
        read_only_fields = fields


class EpisodeSerializer(serializers.ModelSerializer):
    transitions = TransitionSerializer(many=True, read_only=True)
    intake = IntakeSerializer(read_only=True, allow_null=True)

    class Meta:
        model = CareEpisode
        fields = [
            "id",
            "client",
            "referral",
            "phase",
            "started_on",
            "ended_on",
            "outflow_reason",
            "outflow_destination",
            "reopened_from",
            "plan_review_required",
            "voorzorg_contact_on",
            "transitions",
            "intake",
        ]
        read_only_fields = fields


class WaitingSerializer(serializers.ModelSerializer):
    client_name = serializers.CharField(source="client.full_name", read_only=True)
    waiting_since = serializers.DateField(read_only=True)
    days_waited = serializers.IntegerField(read_only=True)
    urgency = serializers.CharField(source="referral.urgency", read_only=True, default=None)
    # DRF's metaclass moves declared fields off the class; the stubs see Field.source here.
    source = serializers.CharField(source="referral.source", read_only=True, default=None)  # type: ignore[assignment]
    voorzorg_contact = serializers.SerializerMethodField()

    class Meta:
        model = CareEpisode
        fields = [
            "id",
            "client",
            "client_name",
            "phase",
            "waiting_since",
            "days_waited",
            "urgency",
            "source",
            "voorzorg_contact",
            "voorzorg_contact_on",
        ]
        read_only_fields = fields

    def get_voorzorg_contact(self, obj: CareEpisode) -> bool:
        return obj.voorzorg_contact_on is not None


class TransitionInputSerializer(serializers.Serializer):
    to_phase = serializers.ChoiceField(choices=Phase.choices)
    on = serializers.DateField()
    note = serializers.CharField(allow_blank=True, default="", max_length=300)


class OutflowInputSerializer(serializers.Serializer):
    on = serializers.DateField()
    reason = serializers.CharField(allow_blank=True, default="")
    destination = serializers.CharField(allow_blank=True, default="", max_length=200)
    note = serializers.CharField(allow_blank=True, default="", max_length=300)


class ReentryInputSerializer(serializers.Serializer):
    on = serializers.DateField()
    casemanager = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True, default=None
    )
    note = serializers.CharField(allow_blank=True, default="", max_length=300)


class IntakePlanInputSerializer(serializers.Serializer):
    planned_on = serializers.DateField()
    planned_time = serializers.TimeField()
    location = serializers.CharField(allow_blank=True, max_length=200)
    workers = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), many=True)
    invited_naasten = serializers.PrimaryKeyRelatedField(
        queryset=Naaste.objects.all(), many=True, required=False, default=list
    )


class OrganisationFundingSerializer(serializers.Serializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    funding_stream = serializers.ChoiceField(
        choices=FundingStream.choices, default=FundingStream.NONE
    )


class IntakeCompleteInputSerializer(serializers.Serializer):
    completed_on = serializers.DateField()
    outcome_notes = serializers.CharField(allow_blank=True, default="")
    casemanager = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), allow_null=True, default=None
    )
    regiebehandelaar = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), allow_null=True, default=None
    )
    naaste_present = serializers.BooleanField(default=False)
    present_naasten = serializers.PrimaryKeyRelatedField(
        queryset=Naaste.objects.all(), many=True, required=False, default=list
    )
    organisations = OrganisationFundingSerializer(many=True, required=False, default=list)


class AssignmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Assignment
        fields = ["id", "worker", "role", "start_date", "end_date", "cross_team_reason"]
        read_only_fields = fields


class AssignmentInputSerializer(serializers.Serializer):
    worker = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    role = serializers.ChoiceField(choices=AssignmentRole.choices)
    start_date = serializers.DateField()
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=300,
        help_text="Required when the worker is not in the client's team (team lead only).",
    )


class InvolvedOrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = InvolvedOrganisation
        fields = ["id", "organisation", "start_date", "end_date", "funding_stream", "note"]
        read_only_fields = fields


class InvolvedOrganisationInputSerializer(serializers.Serializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    funding_stream = serializers.ChoiceField(
        choices=FundingStream.choices, default=FundingStream.NONE
    )
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(allow_blank=True, default="", max_length=300)


class NaasteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Naaste
        fields = [
            "id",
            "name",
            "relation",
            "phone",
            "email",
            "role",
            "invited_to_intake",
            "present_at_intake",
            "share_scope",
            "share_note",
            "zag_due_on",
            "ended_on",
        ]
        read_only_fields = fields


class NaasteInputSerializer(serializers.Serializer):
    name = serializers.CharField(allow_blank=True, max_length=200)
    relation = serializers.CharField(allow_blank=True, max_length=100)
    role = serializers.ChoiceField(choices=NaasteRole.choices)
    phone = serializers.CharField(allow_blank=True, required=False, max_length=20)
    email = serializers.EmailField(allow_blank=True, required=False)
    share_scope = serializers.ChoiceField(choices=ShareScope.choices, required=False)
    share_note = serializers.CharField(allow_blank=True, required=False, max_length=300)
    invited_to_intake = serializers.BooleanField(required=False)
    present_at_intake = serializers.BooleanField(required=False)
    zag_due_on = serializers.DateField(required=False, allow_null=True)
    ended_on = serializers.DateField(required=False, allow_null=True)


class ConsentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Consent
        fields = [
            "id",
            "recipient_organisation",
            "recipient_municipality",
            "recipient_role",
            "category",
            "purpose_kind",
            "purpose",
            "given_on",
            "withdrawn_on",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class ConsentInputSerializer(serializers.Serializer):
    recipient_organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True, default=None
    )
    recipient_municipality = serializers.PrimaryKeyRelatedField(
        queryset=Municipality.objects.all(), required=False, allow_null=True, default=None
    )
    recipient_role = serializers.CharField(allow_blank=True, default="", max_length=100)
    category = serializers.ChoiceField(choices=DataCategory.choices)
    purpose_kind = serializers.ChoiceField(
        choices=ConsentPurpose.choices, default=ConsentPurpose.CARE
    )
    purpose = serializers.CharField(allow_blank=True, default="", max_length=300)
    given_on = serializers.DateField()


class WithdrawInputSerializer(serializers.Serializer):
    withdrawn_on = serializers.DateField()


# --- privacy requests (AVG) -----------------------------------------------------------------


class PrivacyRequestSerializer(serializers.ModelSerializer):
    deadline = serializers.DateField(read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = PrivacyRequest
        fields = [
            "id",
            "client",
            "kind",
            "description",
            "disputed_part",
            "disputed_other",
            "received_on",
            "filed_via",
            "filed_by",
            "filed_by_label",
            "due_on",
            "extended_until",
            "extension_reason",
            "extension_told_on",
            "deadline",
            "overdue",
            "status",
            "decision",
            "decision_reason",
            "decided_by",
            "decided_at",
            "withdrawn_at",
        ]
        read_only_fields = fields

    def get_overdue(self, obj: PrivacyRequest) -> bool:
        from django.utils import timezone

        return obj.status == "open" and obj.deadline < timezone.localdate()


class PrivacyRequestInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PrivacyRequestKind.choices)
    description = serializers.CharField(max_length=5000)
    disputed = serializers.ChoiceField(choices=DisputedPart.choices)
    disputed_other = serializers.CharField(
        allow_blank=True, required=False, default="", max_length=200
    )
    received_on = serializers.DateField()
    filed_via = serializers.ChoiceField(
        choices=[(v, label) for v, label in FiledVia.choices if v != FiledVia.PORTAL]
    )


class PrivacyDecideInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=PrivacyDecision.choices)
    reason = serializers.CharField(max_length=5000)
