"""The portal's sections: the tiles of "Mijn overzicht" and the portal's menu.

A section names the URL it opens, and what a naaste needs to see it: a grant of ``share``,
or nothing at all for ``client_only`` sections (a naaste never sees those).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from clients.constants import PortalShare
from olteams.access import PortalPrincipal


@dataclass(frozen=True)
class Section:
    url_name: str
    label: str | Promise
    description: str | Promise
    order: int
    share: str | None = None
    client_only: bool = False

    def open_to(self, principal: PortalPrincipal, shares: frozenset[str]) -> bool:
        if principal.is_client:
            return True
        if self.client_only:
            return False
        return self.share is None or self.share in shares


# Each portal page adds its own row; ``order`` fixes the place in the menu:
# 10 Mijn plan, 20 Mijn I.ROC, 30 Mijn team, 40 Mijn afspraken, 50 Contacten met het team,
# 60 Wie heeft mijn dossier bekeken, 70 Mijn naasten, 80 Mijn gegevens.
SECTIONS: list[Section] = [
    Section(
        "portal:team",
        _("Mijn team"),
        _("Wie u helpt, hoe u het team bereikt en wie u belt in een crisis."),
        order=30,
        client_only=True,
    ),
    Section(
        "portal:appointments",
        _("Mijn afspraken"),
        _("De afspraken met het team: wanneer, waar en met wie."),
        order=40,
        share=PortalShare.APPOINTMENTS,
    ),
    Section(
        "portal:contacts",
        _("Contacten met het team"),
        _("Wat het team opschreef over elk contact."),
        order=50,
        share=PortalShare.CONTACTS,
    ),
]


@dataclass(frozen=True)
class SectionLink:
    url: str
    label: str | Promise
    description: str | Promise
    current: bool


def section_links(
    principal: PortalPrincipal, shares: frozenset[str], *, path: str = ""
) -> list[SectionLink]:
    links = []
    for section in sorted(SECTIONS, key=lambda section: section.order):
        if not section.open_to(principal, shares):
            continue
        url = reverse(section.url_name)
        links.append(SectionLink(url, section.label, section.description, path.startswith(url)))
    return links
