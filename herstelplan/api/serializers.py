"""API shapes of the herstelplan app: input serializers only parse; services decide."""

from __future__ import annotations

from rest_framework import serializers

from herstelplan.models import (
    Evaluation,
    Goal,
    GoalAction,
    HonosAssessment,
    IrocAssessment,
    Plan,
    RecoveryPhase,
    SignalPlan,
)
from herstelplan.services import SIGNAL_TEXT_FIELDS


class IrocAnswerInSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    score = serializers.IntegerField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class IrocInSerializer(serializers.Serializer):
    date = serializers.DateField()
    filled_in_with = serializers.CharField(allow_blank=True, max_length=200)
    answers = IrocAnswerInSerializer(many=True)


class IrocOutSerializer(serializers.ModelSerializer):
    answers = serializers.SerializerMethodField()
    total = serializers.SerializerMethodField()
    by = serializers.CharField(source="by.get_full_name")

    class Meta:
        model = IrocAssessment
        fields = ["id", "date", "filled_in_with", "by", "total", "answers"]

    def get_answers(self, obj: IrocAssessment) -> list[dict]:
        return [
            {"indicator": a.indicator_id, "score": a.score, "note": a.note}
            for a in obj.answers.all()
        ]

    def get_total(self, obj: IrocAssessment) -> int:
        return sum(a.score for a in obj.answers.all())


HONOS_ITEMS = [f"item_{n}" for n in range(1, 13)]


class HonosInSerializer(serializers.Serializer):
    date = serializers.DateField()
    item_8_problem_type = serializers.CharField(required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")

    def get_fields(self):  # type: ignore[no-untyped-def]
        fields = super().get_fields()
        for name in HONOS_ITEMS:
            fields[name] = serializers.IntegerField(required=False, allow_null=True)
        return fields


class HonosOutSerializer(serializers.ModelSerializer):
    item_8_problem_type = serializers.CharField(read_only=True)
    subscales = serializers.DictField(child=serializers.IntegerField(), read_only=True)
    is_incomplete = serializers.BooleanField(read_only=True)
    rater = serializers.CharField(source="rater.get_full_name")

    class Meta:
        model = HonosAssessment
        fields = [
            "id",
            "date",
            "rater",
            *HONOS_ITEMS,
            "item_8_problem_type",
            "notes",
            "total",
            "valid_item_count",
            "is_incomplete",
            "subscales",
        ]


class PhaseSerializer(serializers.ModelSerializer):
    phase = serializers.IntegerField()
    phase_name = serializers.CharField(source="get_phase_display", read_only=True)

    class Meta:
        model = RecoveryPhase
        fields = ["id", "phase", "phase_name", "date", "set_with", "note"]
        extra_kwargs = {"set_with": {"allow_blank": True}}


class ActionSerializer(serializers.ModelSerializer):
    performer = serializers.CharField(read_only=True)

    class Meta:
        model = GoalAction
        fields = [
            "id",
            "description",
            "performer",
            "worker",
            "organisation",
            "performer_name",
            "frequency",
        ]


class GoalSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    indicators = serializers.SerializerMethodField()
    actions = ActionSerializer(many=True, read_only=True)

    class Meta:
        model = Goal
        fields = [
            "id",
            "text",
            "priority",
            "status",
            "indicators",
            "evaluation_date",
            "closed_on",
            "actions",
        ]

    def get_indicators(self, obj: Goal) -> list[int]:
        return [i.number for i in obj.indicators.all()]


class PlanSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    agreed_how = serializers.CharField(read_only=True)
    goals = GoalSerializer(many=True, read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "version",
            "status",
            "valid_from",
            "review_date",
            "who_i_am",
            "wishes",
            "dreams",
            "strengths",
            "agreed_on",
            "agreed_how",
            "agreed_recorded_by",
            "activated_on",
            "archived_on",
            "lock_version",
            "updated_at",
            "goals",
        ]
        read_only_fields = fields


class LockInSerializer(serializers.Serializer):
    lock_version = serializers.IntegerField()


class PlanUpdateInSerializer(LockInSerializer):
    who_i_am = serializers.CharField(required=False, allow_blank=True)
    wishes = serializers.CharField(required=False, allow_blank=True)
    dreams = serializers.CharField(required=False, allow_blank=True)
    strengths = serializers.CharField(required=False, allow_blank=True)
    valid_from = serializers.DateField(required=False, allow_null=True)
    review_date = serializers.DateField(required=False, allow_null=True)


class AgreementInSerializer(LockInSerializer):
    agreed_on = serializers.DateField()
    agreed_how = serializers.CharField()


class GoalInSerializer(LockInSerializer):
    text = serializers.CharField(required=False, allow_blank=True)
    priority = serializers.IntegerField(required=False)
    indicators = serializers.ListField(child=serializers.IntegerField(), required=False)
    evaluation_date = serializers.DateField(required=False, allow_null=True)


class ActionInSerializer(LockInSerializer):
    description = serializers.CharField(allow_blank=True)
    performer = serializers.CharField()
    worker = serializers.IntegerField(required=False, allow_null=True)
    organisation = serializers.IntegerField(required=False, allow_null=True)
    performer_name = serializers.CharField(required=False, allow_blank=True, default="")
    frequency = serializers.CharField(required=False, allow_blank=True, default="")


class EvaluationSerializer(serializers.ModelSerializer):
    outcome = serializers.CharField(read_only=True)

    class Meta:
        model = Evaluation
        fields = ["id", "goal", "date", "text", "outcome"]
        read_only_fields = fields


class EvaluationInSerializer(serializers.Serializer):
    goal = serializers.IntegerField(required=False, allow_null=True)
    date = serializers.DateField()
    text = serializers.CharField(allow_blank=True)
    outcome = serializers.CharField(required=False, default="continue")
    next_evaluation_date = serializers.DateField(required=False, allow_null=True)


# --- the signaleringsplan ---------------------------------------------------------------


class SignalContactSerializer(serializers.Serializer):
    name = serializers.CharField(allow_blank=True, max_length=200)
    role = serializers.CharField(allow_blank=True, required=False, default="", max_length=100)
    phone = serializers.CharField(allow_blank=True, max_length=30)


class SignalPlanSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    agreed_how = serializers.CharField(read_only=True)
    contacts = SignalContactSerializer(many=True, read_only=True)

    class Meta:
        model = SignalPlan
        fields = [
            "id",
            "version",
            "status",
            *SIGNAL_TEXT_FIELDS,
            "contacts",
            "agreed_on",
            "agreed_how",
            "agreed_recorded_by",
            "archived_on",
            "lock_version",
            "updated_at",
        ]
        read_only_fields = fields


class SignalPlanUpdateInSerializer(LockInSerializer):
    """A PATCH of a draft: any of the texts, and the contacts (the whole list) when given."""

    contacts = SignalContactSerializer(many=True, required=False)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for name in SIGNAL_TEXT_FIELDS:
            fields[name] = serializers.CharField(required=False, allow_blank=True)
        return fields
