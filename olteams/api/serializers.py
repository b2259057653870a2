from __future__ import annotations

from rest_framework import serializers

from olteams.models import Membership, Notification, User


class MembershipSerializer(serializers.ModelSerializer):
    team = serializers.CharField(source="team.name")
    organisation = serializers.CharField(source="organisation.short_name")

    class Meta:
        model = Membership
        fields = [
            "id",
            "team",
            "organisation",
            "discipline",
            "role",
            "fte",
            "valid_from",
            "valid_to",
        ]


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.ListField(child=serializers.CharField())
    memberships = MembershipSerializer(many=True)

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "email", "roles", "memberships"]


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at", "due_on"]
        read_only_fields = fields


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, max_length=1000
    )
