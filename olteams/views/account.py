"""The user's own account: notification e-mail, the self-service password reset, and the
functional administrator's reset of a lost second factor."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from olteams.audit import audit_record, client_ip
from olteams.constants import AuditEventType
from olteams.forms import add_service_errors
from olteams.models import NotificationEmailPreference, User
from olteams.services import notification_email_mode, notification_email_mode_set
from olteams.services.accounts import otp_devices_reset, password_reset_allowed
from olteams.types import AuthenticatedHttpRequest


class EmailPreferenceForm(forms.Form):
    mode = forms.ChoiceField(
        label=gettext_lazy("Meldingen per e-mail"),
        choices=NotificationEmailPreference.Mode.choices,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "De e-mail zegt alleen dát er iets te zien is, met een link naar uw meldingen: "
            "nooit een naam van een cliënt of de inhoud."
        ),
        error_messages={"required": gettext_lazy("Kies uit, direct of dagelijks overzicht.")},
    )


def email_preference(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Meldingen per e-mail: uit, direct of één keer per dag een overzicht."""
    data = request.POST if request.method == "POST" else None
    form = EmailPreferenceForm(data, initial={"mode": notification_email_mode(user=request.user)})
    if data is not None and form.is_valid():
        try:
            notification_email_mode_set(user=request.user, mode=form.cleaned_data["mode"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Uw keuze voor meldingen per e-mail is opgeslagen."))
            return redirect("olteams:email-preference")
    return render(
        request,
        "olteams/email_preference.html",
        {"form": form, "has_email": bool(request.user.email)},
        status=400 if data is not None else 200,
    )


# --- self-service password reset ------------------------------------------------------------


class PasswordResetRequestView(auth_views.PasswordResetView):
    """Ask for a reset link by e-mail address. The answer is the same whether or not the
    address belongs to an account; requests are limited per IP address and per account."""

    template_name = "olteams/password_reset_form.html"
    email_template_name = "olteams/email/password_reset.txt"
    subject_template_name = "olteams/email/password_reset_subject.txt"
    success_url = reverse_lazy("olteams:password-reset-done")

    def form_valid(self, form: Any) -> HttpResponse:
        # The link starts with the configured address, never with the request's Host header.
        self.extra_email_context = {"site_url": settings.SITE_URL}
        ip_ok, account_ok = password_reset_allowed(
            ip=client_ip(self.request), email=form.cleaned_data.get("email", "")
        )
        if not ip_ok:
            form.add_error(
                None,
                _("Te veel aanvragen vanaf deze verbinding. Probeer het over een uur opnieuw."),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        if not account_ok:  # silently: the page must not tell that the account exists
            return redirect(self.success_url)
        return super().form_valid(form)


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    """The link from the e-mail: works once (the token changes with the password) and
    expires (PASSWORD_RESET_TIMEOUT). No sign-in afterwards: the user signs in with the new
    password and the second factor."""

    template_name = "olteams/password_reset_confirm.html"
    success_url = reverse_lazy("olteams:password-reset-complete")
    post_reset_login = False

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        audit_record(
            user=form.user,
            event_type=AuditEventType.UPDATE,
            request=self.request,
            obj=form.user,
            detail="wachtwoord hersteld via e-maillink",
        )
        return response


password_reset = login_not_required(PasswordResetRequestView.as_view())
password_reset_done = login_not_required(
    auth_views.PasswordResetDoneView.as_view(template_name="olteams/password_reset_done.html")
)
password_reset_confirm = login_not_required(PasswordResetConfirm.as_view())
password_reset_complete = login_not_required(
    auth_views.PasswordResetCompleteView.as_view(
        template_name="olteams/password_reset_complete.html"
    )
)


# --- the functional administrator: reset a lost second factor --------------------------------


def _require_functional_admin(request: AuthenticatedHttpRequest) -> None:
    if not (request.user.is_functional_admin and request.user.is_verified()):
        raise PermissionDenied


def otp_user_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Users with their second factor (search by name or user name), for the reset."""
    _require_functional_admin(request)
    query = (request.GET.get("q") or "").strip()[:100]
    users = User.objects.filter(is_active=True).annotate(
        devices=Count("totpdevice", filter=Q(totpdevice__confirmed=True), distinct=True)
        + Count("staticdevice", distinct=True)
    )
    if query:
        users = users.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
        )
    return render(
        request,
        "olteams/otp_user_list.html",
        {"users": users.order_by("last_name", "first_name", "username")[:100], "q": query},
    )


class OtpResetForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reden"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Bijvoorbeeld: telefoon kwijt, nieuwe telefoon. Komt in het auditlog."
        ),
        error_messages={"required": gettext_lazy("Geef de reden, bijvoorbeeld: telefoon kwijt.")},
    )


def otp_reset(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    """Remove a user's second-factor devices, with a reason (audited); they enrol again at
    their next sign-in."""
    _require_functional_admin(request)
    target = get_object_or_404(User, pk=user_id, is_active=True)
    data = request.POST if request.method == "POST" else None
    form = OtpResetForm(data)
    if data is not None and form.is_valid():
        try:
            removed = otp_devices_reset(
                actor=request.user, user=target, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "De tweede factor van %(name)s is gereset (%(n)s verwijderd). Bij de volgende "
                    "aanmelding stelt %(name)s de authenticator-app opnieuw in."
                )
                % {"name": target.get_full_name() or target.username, "n": removed},
            )
            return redirect("olteams:otp-user-list")
    return render(
        request,
        "olteams/otp_reset.html",
        {"form": form, "target": target},
        status=400 if data is not None else 200,
    )
