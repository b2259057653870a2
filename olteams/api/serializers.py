from __future__ import annotations

import copy
from typing import Any

from rest_framework import serializers

from olteams.models import ApiToken, Membership, Notification, User

# Fields that hold other fields (a child, a nested serializer): their parts are bound to
# them, so an instance needs a copy all the way down, as DRF makes.
_NESTED_FIELDS = (
    serializers.BaseSerializer,
    serializers.ManyRelatedField,
    serializers.ListField,
    serializers.DictField,
)


def copy_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Each serializer instance's own copies of fields kept on its class.

    DRF deep-copies every declared field for every serializer instance, which builds each
    field anew from its arguments (about 40 µs a field, 0.8 ms for a registration's two
    serializers). A flat field needs less: its arguments, choices and validators are only
    read after construction, and ``bind()`` sets the attributes that differ per instance
    (name, parent, source, label) on the copy. So a flat field is copied shallowly and only
    a field that holds other fields deeply."""
    return {
        name: copy.deepcopy(field) if isinstance(field, _NESTED_FIELDS) else copy.copy(field)
        for name, field in fields.items()
    }


class FlatFieldsSerializer(serializers.Serializer):
    """A Serializer whose declared fields are copied per instance with ``copy_fields``."""

    def get_fields(self) -> dict[str, Any]:
        return copy_fields(self._declared_fields)


class FieldsOnceModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose fields follow from its ``Meta`` alone (nothing per request or
    per instance). DRF works them out from the model for every serializer instance (about
    0.7 ms for a client's 23 fields, once per registration's response); this builds them
    once per class and gives each instance its own copies (``copy_fields``)."""

    def get_fields(self) -> dict[str, Any]:
        cls = type(self)
        built = cls.__dict__.get("_fields_built_once")
        if built is None:
            built = super().get_fields()
            cls._fields_built_once = built  # type: ignore[attr-defined]
        return copy_fields(built)


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


class ApiTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "scope", "created_at", "expires_at", "revoked_at",
                  "last_used_at"]  # fmt: skip
        read_only_fields = fields


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    key = serializers.CharField(read_only=True, help_text="Shown once; store it safely.")

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "key"]
        read_only_fields = fields


class ApiTokenInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    scope = serializers.ChoiceField(choices=ApiToken.Scope.choices)
    days = serializers.IntegerField(min_value=1, max_value=90, default=30)
