"""The municipal route (the Voorschoten route): a melding at the Wmo desk, the onderzoek with
the ZRM and the support goals in the resident's words, the beschikking with an arrangement,
the team's intake and casusregisseur, the links from the Herstelplan's goals to the
municipality's goals, and goal attainment with the client's satisfaction.

The consultant writes the "what" (support goals); the team writes the "how" (the
Herstelplan) and accounts for goals reached and satisfaction, never for clinical notes."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clients import services as client_services
from clients.constants import AssignmentRole, NaasteRole, Phase
from clients.models import Client, Naaste
from herstelplan.constants import PlanStatus
from herstelplan.models import Goal
from olteams.access import ClientAction, active_on, municipality_ids_for, require_client
from olteams.constants import NotificationKind, TeamRole
from olteams.models import Membership, Municipality, Organisation, Team, User
from olteams.services import notification_create
from wmo.constants import (
    INTAKE_WORKING_DAYS,
    STATUTORY_DECISION_DAYS,
    DecisionKind,
    Frequency,
    GoalResult,
    MeldingStatus,
    RequestStatus,
    ResultArea,
    Satisfaction,
    Unit,
    ZrmDomain,
)
from wmo.models import (
    Arrangement,
    Decision,
    GoalAttainment,
    GoalReview,
    IndicationRequest,
    Melding,
    MeldingZrmScore,
    MunicipalRouteSettings,
    PlanGoalLink,
    SupportGoal,
)
from wmo.services.decisions import decision_record
from wmo.services.requests import _new_reference

logger = logging.getLogger(__name__)

MAX_SUPPORT_GOALS = 6
PERSON_FIELDS = (
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
    "phone",
    "email",
)


def _fmt(day: dt.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def melding_url(melding: Melding) -> str:
    return reverse("wmo:melding-detail", kwargs={"client_id": melding.client_id, "pk": melding.pk})


def add_working_days(day: dt.date, days: int) -> dt.date:
    """``days`` working days (Monday to Friday) after ``day``."""
    current = day
    left = days
    while left > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current


def intake_working_days(municipality_id: int) -> int:
    """The municipality's term for the team's intake (default 5 working days)."""
    settings = MunicipalRouteSettings.objects.filter(municipality_id=municipality_id).first()
    return settings.intake_working_days if settings else INTAKE_WORKING_DAYS


def _require_consultant(actor: User, municipality_id: int, today: dt.date) -> None:
    if municipality_id not in municipality_ids_for(actor, today=today):
        raise PermissionDenied(_("U bent geen Wmo-consulent van deze gemeente."))


def _lock(melding: Melding) -> Melding:
    return (
        Melding.objects.select_for_update(of=("self",))
        .select_related("client", "municipality", "team")
        .get(pk=melding.pk)
    )


def _require_open(melding: Melding) -> None:
    if melding.status not in (MeldingStatus.GEMELD, MeldingStatus.ONDERZOEK):
        raise ValidationError(
            {"melding": _("Over deze melding is al besloten; het onderzoek is afgesloten.")}
        )


def _check_providers(team: Team, providers: Iterable[Organisation], day: dt.date) -> list[Any]:
    providers = list(providers)
    staffed = set(
        Membership.objects.filter(active_on(day), team=team).values_list(
            "organisation_id", flat=True
        )
    )
    if any(p.pk not in staffed for p in providers):
        raise ValidationError(
            {"providers": _("Kies alleen organisaties die in dit team samenwerken.")}
        )
    return providers


@transaction.atomic
def melding_register(
    *,
    actor: User,
    municipality: Municipality,
    team: Team,
    reported_on: dt.date,
    question: str,
    reporter: str = "",
    providers: Iterable[Organisation] = (),
    client: Client | None = None,
    person: Mapping[str, Any] | None = None,
    allow_possible_duplicate: bool = False,
    today: dt.date | None = None,
) -> Melding:
    """A consultant registers a resident's melding: for a known resident (``client``) or a
    new one (``person``: the identity fields; the same duplicate check as every
    registration: a BSN match links the known record, a name + birth date match asks to
    confirm). The team is the one the beschikking will go to (it must work in the
    municipality); ``providers`` narrow it to a consortium of its organisations."""
    day = today or timezone.localdate()
    _require_consultant(actor, municipality.pk, day)
    errors: dict[str, str] = {}
    if reported_on is None:
        errors["reported_on"] = _("Vul de datum van de melding in.")
    elif reported_on > day:
        errors["reported_on"] = _("De datum van de melding ligt in de toekomst.")
    if not (question or "").strip():
        errors["question"] = _("Schrijf de hulpvraag op in de woorden van de inwoner.")
    if team is None:
        errors["team"] = _("Kies het team dat de ondersteuning gaat bieden.")
    elif not team.municipalities.filter(pk=municipality.pk).exists():
        errors["team"] = _("Dit team werkt niet in deze gemeente.")
    if client is None and not person:
        errors["last_name"] = _("Vul de gegevens van de inwoner in.")
    if errors:
        raise ValidationError(errors)
    provider_list = _check_providers(team, providers, day)
    if client is None:
        assert person is not None
        fields = {k: v for k, v in person.items() if k in PERSON_FIELDS and v not in (None, "")}
        fields.setdefault("first_name", person.get("first_name", ""))
        fields.setdefault("last_name", person.get("last_name", ""))
        try:
            client = client_services.client_register_at_wmo_desk(
                actor=actor,
                team=team,
                municipality=municipality,
                today=day,
                allow_possible_duplicate=allow_possible_duplicate,
                **fields,
            )
        except client_services.DuplicateClientError as exc:
            if not exc.certain:
                raise
            # The BSN is the resident's: the melding is about the known record.
            client = exc.existing
    if client.merged_into_id is not None:
        raise ValidationError({"client": _("Dit dossier is samengevoegd met een ander.")})
    if Melding.objects.filter(
        client=client,
        municipality=municipality,
        status__in=(MeldingStatus.GEMELD, MeldingStatus.ONDERZOEK),
    ).exists():
        raise ValidationError(
            {"client": _("Voor deze inwoner loopt al een melding bij uw gemeente.")}
        )
    melding = Melding.objects.create(
        client=client,
        municipality=municipality,
        team=team,
        reported_on=reported_on,
        reporter=(reporter or "").strip()[:200],
        question=question.strip(),
        registered_by=actor,
    )
    melding.providers.set(provider_list)
    logger.info("wmo melding registered melding_id=%s client_id=%s", melding.pk, client.pk)
    return melding


@transaction.atomic
def melding_conversation(
    *,
    actor: User,
    melding: Melding,
    conversation_on: dt.date,
    present: str = "",
    summary: str = "",
    naaste_name: str = "",
    naaste_relation: str = "",
    naaste_phone: str = "",
    zrm_scores: Mapping[str, int | None] | None = None,
    today: dt.date | None = None,
) -> Melding:
    """The onderzoek (keukentafelgesprek): date, who was present, a short report, the ZRM.
    A naaste at the table (the partner) is recorded as the client's naaste (or the known
    one with the same name is linked). The melding moves to 'in onderzoek'."""
    day = today or timezone.localdate()
    melding = _lock(melding)
    _require_consultant(actor, melding.municipality_id, day)
    _require_open(melding)
    errors: dict[str, str] = {}
    if conversation_on is None:
        errors["conversation_on"] = _("Vul de datum van het gesprek in.")
    elif conversation_on > day:
        errors["conversation_on"] = _("De datum van het gesprek ligt in de toekomst.")
    elif conversation_on < melding.reported_on:
        errors["conversation_on"] = _("Het gesprek ligt vóór de melding (%(date)s).") % {
            "date": _fmt(melding.reported_on)
        }
    if naaste_name.strip() and not naaste_relation.strip():
        errors["naaste_relation"] = _(
            "Vul de relatie tot de inwoner in, bijvoorbeeld 'partner' of 'dochter'."
        )
    scores: dict[str, int] = {}
    for domain, score in (zrm_scores or {}).items():
        if score in (None, ""):
            continue
        if domain not in ZrmDomain.values:
            errors["zrm_scores"] = _("Onbekend ZRM-domein: %(d)s.") % {"d": domain}
            continue
        try:
            value = int(score)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            value = 0
        if not 1 <= value <= 5:
            errors[f"zrm_{domain}"] = _("Een ZRM-score ligt tussen 1 en 5.")
            continue
        scores[domain] = value
    if errors:
        raise ValidationError(errors)
    naaste = melding.naaste
    if naaste_name.strip():
        naaste = Naaste.objects.filter(
            client=melding.client, name__iexact=naaste_name.strip(), ended_on__isnull=True
        ).first() or client_services.naaste_add(
            actor=actor,
            client=melding.client,
            name=naaste_name,
            relation=naaste_relation,
            role=NaasteRole.MANTELZORGER,
            phone=naaste_phone,
        )
    melding.conversation_on = conversation_on
    melding.conversation_present = present.strip()[:300]
    melding.conversation_summary = summary.strip()
    melding.naaste = naaste
    melding.status = MeldingStatus.ONDERZOEK
    melding.save()
    MeldingZrmScore.objects.filter(melding=melding).exclude(domain__in=list(scores)).delete()
    for domain, value in scores.items():
        MeldingZrmScore.objects.update_or_create(
            melding=melding, domain=domain, defaults={"score": value}
        )
    return melding


@transaction.atomic
def melding_goals_set(
    *, actor: User, melding: Melding, texts: Iterable[str], today: dt.date | None = None
) -> list[SupportGoal]:
    """The support goals of the ondersteuningsplan, written with the resident in their own
    words, in their order of priority. Until the decision they can be rewritten; goals that
    keep their place keep their identity."""
    day = today or timezone.localdate()
    melding = _lock(melding)
    _require_consultant(actor, melding.municipality_id, day)
    _require_open(melding)
    cleaned = [" ".join(t.split()) for t in texts if t and t.strip()]
    if not cleaned:
        raise ValidationError({"goals": _("Schrijf ten minste één doel op.")})
    if len(cleaned) > MAX_SUPPORT_GOALS:
        raise ValidationError(
            {"goals": _("Hoogstens %(n)s doelen per melding.") % {"n": MAX_SUPPORT_GOALS}}
        )
    existing = list(melding.goals.order_by("priority", "id"))
    goals = []
    for index, text in enumerate(cleaned, start=1):
        if index <= len(existing):
            goal = existing[index - 1]
            goal.text, goal.priority = text, index
            goal.save(update_fields=["text", "priority"])
        else:
            goal = SupportGoal.objects.create(melding=melding, text=text, priority=index)
        goals.append(goal)
    for goal in existing[len(cleaned) :]:
        goal.delete()
    if melding.status == MeldingStatus.GEMELD:
        melding.status = MeldingStatus.ONDERZOEK
        melding.save(update_fields=["status", "updated_at"])
    return goals


def _team_recipients(team_id: int, day: dt.date) -> list[User]:
    """The team lead(s) and the zorgsecretariaat: they plan the intake."""
    ids = Membership.objects.filter(
        active_on(day), team_id=team_id, role__in=(TeamRole.LEAD, TeamRole.SECRETARIAAT)
    ).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True))


@transaction.atomic
def melding_decide(
    *,
    actor: User,
    melding: Melding,
    arrangement: Arrangement,
    volume: int,
    unit: str,
    frequency: str,
    start: dt.date,
    end: dt.date | None = None,
    review_on: dt.date | None = None,
    result_areas: Iterable[int] = (),
    reason: str = "",
    now: dt.datetime | None = None,
) -> Decision:
    """The beschikking with an arrangement: the aanvraag (the onderzoek's date) is recorded
    as the request of the toewijzing, granted at once; the indication carries the
    arrangement and its product. The team lead and the zorgsecretariaat get a task to plan
    the intake within the municipality's term (working days)."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    melding = _lock(melding)
    _require_consultant(actor, melding.municipality_id, day)
    _require_open(melding)
    errors: dict[str, str] = {}
    if melding.conversation_on is None:
        errors["melding"] = _("Leg eerst het gesprek (onderzoek) vast.")
    if not melding.goals.exists():
        errors["goals"] = _("Schrijf eerst de ondersteuningsdoelen op met de inwoner.")
    if arrangement is None or arrangement.municipality_id != melding.municipality_id:
        errors["arrangement"] = _("Kies een arrangement van deze gemeente.")
    elif start is not None and not arrangement.is_valid_on(start):
        errors["arrangement"] = _("Dit arrangement geldt niet op de ingangsdatum.")
    if not isinstance(volume, int) or volume <= 0:
        errors["volume"] = _("De omvang moet een geheel getal groter dan 0 zijn.")
    if unit not in Unit.values:
        errors["unit"] = _("Kies een eenheid uit de iWmo-codelijst.")
    if frequency not in Frequency.values:
        errors["frequency"] = _("Kies een frequentie uit de iWmo-codelijst.")
    if start is None:
        errors["start"] = _("Vul de ingangsdatum in.")
    elif end is not None and end < start:
        errors["end"] = _("De einddatum ligt vóór de ingangsdatum.")
    if review_on is not None and start is not None and review_on < start:
        errors["review_on"] = _("De evaluatie ligt vóór de ingangsdatum.")
    areas = sorted({int(a) for a in result_areas})
    if any(a not in ResultArea.values for a in areas):
        errors["result_areas"] = _("Kies resultaatgebieden uit de lijst.")
    if errors:
        raise ValidationError(errors)
    aanvraag_on = melding.conversation_on
    assert aanvraag_on is not None
    try:
        with transaction.atomic():
            request = IndicationRequest.objects.create(
                client=melding.client,
                team=melding.team,
                municipality=melding.municipality,
                requested_by=actor,
                status=RequestStatus.INGEDIEND,
                product=arrangement.product,
                volume=volume,
                unit=unit,
                frequency=frequency,
                start=start,
                end=end,
                result_areas=areas,
                motivation=melding.question,
                client_authorised=True,
                reference=_new_reference(),
                submitted_at=now,
                submitted_on=aanvraag_on,
                deadline=aanvraag_on + dt.timedelta(days=STATUTORY_DECISION_DAYS),
            )
    except IntegrityError:
        raise ValidationError(
            {
                "start": _(
                    "Er loopt al een aanvraag voor dit product in (een deel van) deze periode."
                )
            }
        ) from None
    decision = decision_record(
        request=request,
        actor=actor,
        kind=DecisionKind.GRANTED,
        reason=reason,
        today=day,
        now=now,
        notify=False,
    )
    indication = decision.indication
    indication.arrangement = arrangement
    indication.save(update_fields=["arrangement"])
    due = add_working_days(day, intake_working_days(melding.municipality_id))
    melding.request = request
    melding.status = MeldingStatus.BESLOTEN
    melding.review_on = review_on
    melding.intake_due_on = due
    melding.save()
    notification_create(
        recipients=_team_recipients(melding.team_id, day),
        kind=NotificationKind.TASK,
        url=reverse(
            "wmo:melding-accept", kwargs={"client_id": melding.client_id, "pk": melding.pk}
        ),
        dedupe_key=f"wmo-melding-toewijzing:{melding.pk}",
        client_id=melding.client_id,
        due_on=due,
        title=_("Nieuwe toewijzing van de gemeente %(m)s: %(a)s; intake uiterlijk %(d)s")
        % {"m": melding.municipality.name, "a": arrangement.name, "d": _fmt(due)},
    )
    return decision


def _team_organisations(team_id: int, day: dt.date) -> set[int]:
    return set(
        Membership.objects.filter(active_on(day), team_id=team_id).values_list(
            "organisation_id", flat=True
        )
    )


@transaction.atomic
def melding_accept(
    *,
    actor: User,
    melding: Melding,
    intake_organisation: Organisation,
    planned_on: dt.date,
    planned_time: dt.time,
    location: str,
    workers: Iterable[User],
    casusregisseur: User,
    today: dt.date | None = None,
) -> Melding:
    """The team takes the toewijzing: the intake by one of the (consortium's) organisations,
    planned through the clients app (the client moves to 'intake'), and the casusregisseur,
    who may come from another partner organisation, is the client's one contact."""
    day = today or timezone.localdate()
    melding = _lock(melding)
    require_client(actor, melding.client, ClientAction.CHANGE, today=day)
    if not client_services.can_grant_care_team(actor, melding.client):
        raise PermissionDenied(
            _(
                "Het zorgsecretariaat kan geen casusregisseur benoemen: dat geeft toegang tot "
                "het dossier. Vraag de teamleider of een teamlid."
            )
        )
    if melding.status != MeldingStatus.BESLOTEN:
        raise ValidationError(
            {"melding": _("De gemeente heeft over deze melding nog niet besloten.")}
        )
    if melding.accepted_at is not None:
        raise ValidationError({"melding": _("Het team heeft deze toewijzing al opgepakt.")})
    errors: dict[str, str] = {}
    allowed = _team_organisations(melding.team_id, day)
    providers = set(melding.providers.values_list("pk", flat=True))
    if intake_organisation is None:
        errors["intake_organisation"] = _("Kies de organisatie die de intake doet.")
    elif intake_organisation.pk not in (providers or allowed):
        errors["intake_organisation"] = _(
            "Kies een organisatie van het team waaraan de gemeente de toewijzing stuurde."
        )
    if casusregisseur is None:
        errors["casusregisseur"] = _("Kies de casusregisseur.")
    elif not Membership.objects.filter(
        active_on(day), user=casusregisseur, team_id=melding.team_id
    ).exists():
        errors["casusregisseur"] = _("De casusregisseur moet in het team werken.")
    if errors:
        raise ValidationError(errors)
    client = melding.client
    episode = client.episodes.filter(ended_on__isnull=True).first()
    if episode is None:
        episode = client_services.episode_start(
            actor=actor,
            client=client,
            on=day,
            note=_("Toewijzing van de gemeente %(m)s") % {"m": melding.municipality.name},
            today=day,
        )
    naasten = [melding.naaste] if melding.naaste is not None else []
    if episode.phase in (Phase.WAITING, Phase.INTAKE):
        client_services.intake_plan(
            actor=actor,
            episode=episode,
            planned_on=planned_on,
            planned_time=planned_time,
            location=location,
            workers=list(workers),
            invited_naasten=naasten,
            today=day,
        )
    # A client already in the team's care needs no new intake: the casusregisseur is named.
    client_services.assignment_set(
        actor=actor,
        client=client,
        worker=casusregisseur,
        role=AssignmentRole.CASUSREGISSEUR,
        start_date=day,
        today=day,
    )
    melding.intake_organisation = intake_organisation
    melding.accepted_at = timezone.now()
    melding.accepted_by = actor
    melding.save()
    return melding


def _plan_goals(client: Client) -> Any:
    return Goal.objects.filter(
        plan__client=client, plan__status__in=(PlanStatus.DRAFT, PlanStatus.ACTIVE)
    )


@transaction.atomic
def plan_goal_links_set(
    *,
    actor: User,
    melding: Melding,
    links: Mapping[int, Iterable[int]],
    today: dt.date | None = None,
) -> int:
    """Link the Herstelplan's goals (draft or active plan) to the municipality's support
    goals: ``links`` maps a plan goal id to the support goal ids it serves (an empty list
    unlinks). Returns the number of links now in place."""
    day = today or timezone.localdate()
    require_client(actor, melding.client, ClientAction.CHANGE_CLINICAL, today=day)
    plan_goals = {g.pk: g for g in _plan_goals(melding.client).filter(pk__in=list(links))}
    support = set(melding.goals.values_list("pk", flat=True))
    errors: dict[str, str] = {}
    for plan_goal_id, goal_ids in links.items():
        if plan_goal_id not in plan_goals:
            errors["links"] = _("Dit doel hoort niet bij het herstelplan van de cliënt.")
        if set(goal_ids) - support:
            errors["links"] = _("Kies alleen doelen van deze melding.")
    if errors:
        raise ValidationError(errors)
    for plan_goal_id, goal_ids in links.items():
        wanted = set(goal_ids)
        PlanGoalLink.objects.filter(
            plan_goal_id=plan_goal_id, support_goal__melding=melding
        ).exclude(support_goal_id__in=wanted).delete()
        for goal_id in wanted:
            PlanGoalLink.objects.get_or_create(
                plan_goal_id=plan_goal_id, support_goal_id=goal_id, defaults={"linked_by": actor}
            )
    return PlanGoalLink.objects.filter(support_goal__melding=melding).count()


@transaction.atomic
def goal_review_record(
    *,
    actor: User,
    melding: Melding,
    reviewed_on: dt.date,
    satisfaction: int | None,
    satisfaction_comment: str = "",
    results: Mapping[int, tuple[str, str]],
    today: dt.date | None = None,
) -> GoalReview:
    """The evaluation with the client: per support goal behaald / deels behaald / niet
    behaald with a short reason (required unless reached), and the client's satisfaction
    (1-5). The casusregisseur or another worker of the care team records it."""
    day = today or timezone.localdate()
    melding = _lock(melding)
    require_client(actor, melding.client, ClientAction.CHANGE, today=day)
    if melding.status != MeldingStatus.BESLOTEN:
        raise ValidationError(
            {"melding": _("De gemeente heeft over deze melding nog niet besloten.")}
        )
    errors: dict[str, str] = {}
    decided_on = (
        melding.request.decisions.values_list("decided_on", flat=True).first()
        if melding.request
        else None
    )
    if reviewed_on is None:
        errors["reviewed_on"] = _("Vul de datum van de evaluatie in.")
    elif reviewed_on > day:
        errors["reviewed_on"] = _("De evaluatie ligt in de toekomst.")
    elif decided_on is not None and reviewed_on < decided_on:
        errors["reviewed_on"] = _("De evaluatie ligt vóór het besluit (%(date)s).") % {
            "date": _fmt(decided_on)
        }
    elif GoalReview.objects.filter(melding=melding, reviewed_on=reviewed_on).exists():
        errors["reviewed_on"] = _("Op deze datum is al een evaluatie vastgelegd.")
    if satisfaction is None or int(satisfaction) not in Satisfaction.values:
        errors["satisfaction"] = _("Vraag de cliënt hoe tevreden hij of zij is (1 tot en met 5).")
    goals = list(melding.goals.all())
    for goal in goals:
        result, reason = results.get(goal.pk, ("", ""))
        if result not in GoalResult.values:
            errors[f"goal_{goal.pk}"] = _("Kies per doel: behaald, deels behaald of niet behaald.")
        elif result != GoalResult.BEHAALD and not (reason or "").strip():
            errors[f"reason_{goal.pk}"] = _("Geef een korte toelichting.")
    if set(results) - {g.pk for g in goals}:
        errors["results"] = _("Kies alleen doelen van deze melding.")
    if errors:
        raise ValidationError(errors)
    review = GoalReview.objects.create(
        melding=melding,
        reviewed_on=reviewed_on,
        satisfaction=int(satisfaction),  # type: ignore[arg-type]
        satisfaction_comment=satisfaction_comment.strip()[:300],
        recorded_by=actor,
    )
    GoalAttainment.objects.bulk_create(
        GoalAttainment(
            review=review,
            goal=goal,
            result=results[goal.pk][0],
            reason=(results[goal.pk][1] or "").strip()[:300],
        )
        for goal in goals
    )
    return review
