"""The project's OpenAPI schema class: the schema says what the API really answers.

drf-spectacular drops ``allow_blank`` from read-only model fields (DRF removes it), so a
blank choice or e-mail that the database allows was documented as impossible; and JSON
Schema's ``time`` format demands a UTC offset that DRF's ``"11:00:00"`` never has.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers

# "11:00" or "11:00:00" (DRF writes seconds, accepts both), 24-hour, no offset.
TIME_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?$"
FORMATS_WITHOUT_BLANK = {"email", "uri", "time"}


def _model_field(field: serializers.Field) -> Any:
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    source = getattr(field, "source", None)
    if model is None or not source or "." in source or source == "*":
        return None
    try:
        return model._meta.get_field(source)
    except FieldDoesNotExist:
        return None


def _may_be_blank(field: serializers.Field) -> bool:
    if getattr(field, "allow_blank", False):
        return True
    model_field = _model_field(field)
    return bool(model_field is not None and model_field.blank and not model_field.null)


class AutoSchema(SpectacularAutoSchema):
    def _map_serializer_field(
        self, field: Any, direction: Any, bypass_extensions: bool = False
    ) -> dict[str, Any]:
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, serializers.TimeField):
            schema.pop("format", None)
            schema["pattern"] = TIME_PATTERN
        if isinstance(field, serializers.BooleanField) and direction == "request":
            schema = _lenient_boolean(field, schema)
        return _allow_blank(field, schema)

    def _insert_field_validators(self, field: Any, schema: dict[str, Any]) -> None:
        # The e-mail and URL validators add their format after the field was mapped.
        super()._insert_field_validators(field, schema)
        _allow_blank(field, schema)


def _lenient_boolean(field: serializers.BooleanField, schema: dict[str, Any]) -> dict[str, Any]:
    """DRF reads 1, "true", "ja"-less literals such as "yes" and "on" as booleans (forms send
    strings): the schema says so, rather than call them invalid."""
    literals = {v for v in field.TRUE_VALUES | field.FALSE_VALUES if isinstance(v, str)}
    rest = {key: value for key, value in schema.items() if key != "type"}
    return {**rest, "oneOf": [{"type": "boolean"}, {"enum": [0, 1, *sorted(literals)]}]}


def _allow_blank(field: serializers.Field, schema: dict[str, Any]) -> dict[str, Any]:
    if schema.get("type") != "string" or not _may_be_blank(field):
        return schema
    if "enum" in schema and "" not in schema["enum"]:
        schema["enum"] = [*schema["enum"], ""]  # becomes BlankEnum in the components
    if schema.get("format") in FORMATS_WITHOUT_BLANK:
        schema.pop("format")
    return schema


HTTP_METHODS = {"get", "put", "post", "patch", "delete"}
DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
# What every operation may answer besides its success: the exception handler's field errors
# (an object of lists, or a list for errors without a field) and DRF's "detail" errors.
ERRORS = {
    "400": ("Ongeldige invoer: fouten per veld.", {"$ref": "#/components/schemas/FieldErrors"}),
    "401": ("Niet aangemeld of ongeldig token.", {"$ref": "#/components/schemas/Detail"}),
    "403": ("Geen toestemming.", {"$ref": "#/components/schemas/Detail"}),
    "404": ("Niet gevonden (of niet van u).", {"$ref": "#/components/schemas/Detail"}),
}


def document_errors(result: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
    """drf-spectacular hook: every operation documents its error answers, and names the
    personal token first among its (alternative) security schemes."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Detail"] = DETAIL
    schemas["FieldErrors"] = {
        "oneOf": [
            {"type": "object", "additionalProperties": {}},
            {"type": "array", "items": {"type": "string"}},
        ]
    }
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in HTTP_METHODS:
                continue
            for parameter in operation.get("parameters", []):
                _allow_empty_filter(parameter)
            if operation.get("security"):
                operation["security"].sort(key=lambda scheme: "tokenAuth" not in scheme)
            responses = operation.setdefault("responses", {})
            for code, (description, schema) in ERRORS.items():
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": schema}},
                    },
                )
    return result


def _allow_empty_filter(parameter: dict[str, Any]) -> None:
    """django-filter ignores an empty filter (``?date_to=``): document it as allowed."""
    schema = parameter.get("schema", {})
    if parameter.get("in") == "query" and schema.get("format") in {"date", "date-time"}:
        parameter["schema"] = {"anyOf": [schema, {"type": "string", "enum": [""]}]}
