"""The client's own door (``/mijn/…``): pages for the client and their naasten.

It lives in caseload because it shows data of every app below it (plan, Wmo, appointments,
contacts); its session, guard and access rules are in ``olteams.portal`` and
``olteams.access`` (``portal_shares``, ``portal_client``).
"""
