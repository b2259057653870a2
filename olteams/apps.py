from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The empty first option of every select Django builds (model choices, ModelChoiceField):
# Django 6.1's "- Select an option -" has no Dutch translation yet.
BLANK_CHOICE_LABEL = _("— Kies —")


class OlteamsConfig(AppConfig):
    name = "olteams"
    verbose_name = _("Teams en organisaties")

    def ready(self) -> None:
        from django.db.models import fields

        # Django documents overriding this constant from an app's ready().
        fields.BLANK_CHOICE_LABEL = BLANK_CHOICE_LABEL

        from django.db.models.signals import pre_save

        from olteams.text import refuse_control_characters, refuse_implausible_dates

        # Every model of the project: no control characters in stored text and only
        # plausible dates (olteams.text).
        pre_save.connect(refuse_control_characters, dispatch_uid="olteams.no-control-characters")
        pre_save.connect(refuse_implausible_dates, dispatch_uid="olteams.plausible-dates")

        from django.contrib.auth.signals import user_logged_in

        from olteams.middleware import mark_session_fresh

        user_logged_in.connect(mark_session_fresh, dispatch_uid="olteams-session-fresh")

        # The audit log's own retention rule (olteams.retention; NEN 7513: at least 5 years).
        from olteams.services.retention import register_audit_kind

        register_audit_kind()

        # get_FOO_display with Django's result, its labels translated once per language.
        from olteams import choice_display

        choice_display.install()
