"""The client's own door: portal accounts for clients and their naasten, and the naaste's
grants, which the client gives and withdraws per category.

A person is identified the Dutch way: DigiD gives a BSN, which opens the account of the
client with that BSN (``Client.bsn``) or of the naaste with that BSN (``PortalAccount.bsn``).
A client with no BSN on record is invited by the casemanager with a one-time activation
code and then signs in with a second factor (``totp_key``). Portal accounts are not staff
users: they never carry a staff role, and their sessions are separate (olteams.portal).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clients.constants import PortalAccountKind, PortalShare


class PortalAccount(models.Model):
    """One door into the portal: the client's own, or one naaste's into one client's file."""

    kind = models.CharField(_("soort"), max_length=10, choices=PortalAccountKind.choices)
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="portal_accounts"
    )
    naaste = models.ForeignKey(
        "clients.Naaste",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="portal_accounts",
    )
    # A naaste's own BSN (DigiD); a client's is ``Client.bsn``.
    bsn = models.CharField(_("BSN"), max_length=9, blank=True)
    # A one-time activation code (stored hashed, like a password) for a client without BSN.
    activation_code_hash = models.CharField(max_length=128, blank=True)
    activation_expires_at = models.DateTimeField(null=True, blank=True)
    # The second factor (TOTP secret, hex) of an account that signs in with a code.
    totp_key = models.CharField(max_length=80, blank=True)
    totp_confirmed = models.BooleanField(default=False)
    # The last accepted authenticator time step: a code is good for one sign-in only.
    totp_last_step = models.BigIntegerField(null=True, blank=True)
    # The lasting sign-in of an activated account without BSN: a login name shown once at
    # activation, a password the client chose (hashed) and the authenticator code.
    login_name = models.CharField(_("inlognaam"), max_length=40, blank=True)
    password = models.CharField(max_length=128, blank=True)
    activated_at = models.DateTimeField(_("geactiveerd op"), null=True, blank=True)
    is_active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    last_login_at = models.DateTimeField(_("laatst aangemeld"), null=True, blank=True)

    class Meta:
        verbose_name = _("portaalaccount")
        verbose_name_plural = _("portaalaccounts")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=PortalAccountKind.CLIENT) & Q(naaste__isnull=True) & Q(bsn=""))
                | (Q(kind=PortalAccountKind.NAASTE) & Q(naaste__isnull=False)),
                name="portal_account_kind_matches",
            ),
            models.CheckConstraint(
                condition=Q(bsn="") | Q(bsn__regex=r"^\d{9}$"),
                name="portal_account_bsn_nine_digits",
            ),
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(kind=PortalAccountKind.CLIENT),
                name="portal_account_one_per_client",
            ),
            models.UniqueConstraint(
                fields=["naaste"],
                condition=Q(kind=PortalAccountKind.NAASTE),
                name="portal_account_one_per_naaste",
            ),
            models.UniqueConstraint(
                fields=["login_name"],
                condition=~Q(login_name=""),
                name="portal_account_login_name_unique",
            ),
            models.UniqueConstraint(
                fields=["activation_code_hash"],
                condition=~Q(activation_code_hash=""),
                name="portal_account_activation_code_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["bsn"], condition=~Q(bsn=""), name="portal_account_bsn"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"


class PortalSignInFailure(models.Model):
    """One wrong sign-in attempt without DigiD (activation code, password or authenticator
    code): counted per address and per account to lock guessing out for a while."""

    at = models.DateTimeField(db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    account = models.ForeignKey(
        PortalAccount, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("mislukte aanmelding in het portaal")
        verbose_name_plural = _("mislukte aanmeldingen in het portaal")
        indexes = [models.Index(fields=["ip_address", "at"], name="portal_failure_ip_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.ip_address}"


class NaasteGrant(models.Model):
    """The client lets one naaste read one category, from ``granted_at`` until withdrawn."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="naaste_grants"
    )
    naaste = models.ForeignKey("clients.Naaste", on_delete=models.CASCADE, related_name="grants")
    category = models.CharField(_("wat"), max_length=20, choices=PortalShare.choices)
    granted_at = models.DateTimeField(_("gegeven op"))
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    # Given by the client in the portal (no staff user) or recorded by staff on paper.
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("toegang voor een naaste")
        verbose_name_plural = _("toegang voor naasten")
        ordering = ["client", "naaste", "category", "-granted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["naaste", "category"],
                condition=Q(withdrawn_at__isnull=True),
                name="naaste_grant_one_open_per_category",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True)
                | Q(withdrawn_at__gte=models.F("granted_at")),
                name="naaste_grant_period_order",
            ),
        ]
        indexes = [
            models.Index(
                fields=["client", "naaste"],
                condition=Q(withdrawn_at__isnull=True),
                name="naaste_grant_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.naaste_id} → {self.get_category_display()}"
