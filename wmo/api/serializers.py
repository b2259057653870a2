"""API shapes of the Wmo workflow. Serializers parse formats; the services hold the rules."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from wmo.constants import DecisionKind, ResultArea, ZrmDomain
from wmo.models import Decision, Indication, IndicationRequest, RequestGoal, RequestZrmScore


@extend_schema_serializer(component_name="WmoIndication")
class IndicationSerializer(serializers.ModelSerializer):
    product_code = serializers.CharField(source="product.code")
    category = serializers.CharField(source="product.category_id")
    municipality = serializers.CharField(source="municipality.name")

    class Meta:
        model = Indication
        fields = [
            "id",
            "toewijzing_number",
            "toewijzing_date",
            "municipality",
            "category",
            "product_code",
            "volume",
            "unit",
            "frequency",
            "start",
            "end",
            "is_temporary",
            "decision",
        ]
        read_only_fields = fields


@extend_schema_serializer(component_name="WmoDecision")
class DecisionSerializer(serializers.ModelSerializer):
    indication = IndicationSerializer(read_only=True, default=None, allow_null=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "request",
            "kind",
            "reason",
            "decided_on",
            "beschikking_number",
            "source",
            "indication",
        ]
        read_only_fields = fields


@extend_schema_serializer(component_name="WmoGoal")
class GoalSerializer(serializers.ModelSerializer):
    class Meta:
        model = RequestGoal
        fields = ["plan_goal_id", "text", "priority"]
        read_only_fields = fields


@extend_schema_serializer(component_name="WmoZrm")
class ZrmSerializer(serializers.ModelSerializer):
    class Meta:
        model = RequestZrmScore
        fields = ["domain", "score"]
        read_only_fields = fields


@extend_schema_serializer(component_name="WmoRequest")
class RequestSerializer(serializers.ModelSerializer):
    client = serializers.IntegerField(source="client_id")
    team = serializers.CharField(source="team.name")
    municipality = serializers.CharField(source="municipality.name")
    product_code = serializers.CharField(source="product.code")
    category = serializers.CharField(source="product.category_id")
    days_left = serializers.SerializerMethodField()
    goals = GoalSerializer(many=True, read_only=True)
    zrm_scores = ZrmSerializer(many=True, read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)

    class Meta:
        model = IndicationRequest
        fields = [
            "id",
            "reference",
            "client",
            "team",
            "municipality",
            "status",
            "category",
            "product_code",
            "volume",
            "unit",
            "frequency",
            "start",
            "end",
            "result_areas",
            "motivation",
            "is_temporary",
            "client_authorised",
            "submitted_on",
            "deadline",
            "is_overdue",
            "days_left",
            "goals",
            "zrm_scores",
            "decisions",
        ]
        read_only_fields = fields

    def get_days_left(self, obj: IndicationRequest) -> int | None:
        return obj.days_left(self.context["today"])


@extend_schema_serializer(component_name="WmoInboxRow")
class InboxRowSerializer(serializers.ModelSerializer):
    """The inbox: what a consultant needs to pick the next request, nothing more."""

    client_name = serializers.CharField(source="client.full_name")
    client = serializers.IntegerField(source="client_id")
    team = serializers.CharField(source="team.name")
    product_code = serializers.CharField(source="product.code")
    days_left = serializers.SerializerMethodField()

    class Meta:
        model = IndicationRequest
        fields = [
            "id",
            "reference",
            "client",
            "client_name",
            "team",
            "status",
            "product_code",
            "is_temporary",
            "submitted_on",
            "deadline",
            "is_overdue",
            "days_left",
        ]
        read_only_fields = fields

    def get_days_left(self, obj: IndicationRequest) -> int | None:
        return obj.days_left(self.context["today"])


@extend_schema_serializer(component_name="WmoRequestWrite")
class RequestWriteSerializer(serializers.Serializer):
    product_code = serializers.CharField(max_length=5)
    volume = serializers.IntegerField()
    unit = serializers.CharField(max_length=2)
    frequency = serializers.CharField(max_length=1)
    start = serializers.DateField()
    end = serializers.DateField(required=False, allow_null=True, default=None)
    result_areas = serializers.ListField(child=serializers.ChoiceField(ResultArea.choices))
    motivation = serializers.CharField(allow_blank=True)
    is_temporary = serializers.BooleanField(default=False)
    client_authorised = serializers.BooleanField(default=False)
    goal_ids = serializers.ListField(child=serializers.IntegerField(), default=list)
    zrm_scores = serializers.DictField(child=serializers.IntegerField(), default=dict)

    def validate_zrm_scores(self, value: dict) -> dict:
        if not set(value) <= set(ZrmDomain.values):
            raise serializers.ValidationError("Onbekend ZRM-domein.")
        return value


@extend_schema_serializer(component_name="WmoDecisionWrite")
class DecisionWriteSerializer(serializers.Serializer):
    request = serializers.IntegerField()
    kind = serializers.ChoiceField(DecisionKind.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    volume = serializers.IntegerField(required=False, allow_null=True, default=None)
    unit = serializers.CharField(required=False, allow_null=True, default=None, max_length=2)
    frequency = serializers.CharField(required=False, allow_null=True, default=None, max_length=1)
    start = serializers.DateField(required=False, allow_null=True, default=None)
    end = serializers.DateField(required=False, allow_null=True, default=None)
