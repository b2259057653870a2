"""Reads of the caseload app. Import the submodules explicitly
(``from caseload.selectors import contacts``): ``contacts`` (C1: contacts, time, events,
note visibility), ``pages`` and ``overviews`` (my caseload, team overviews, client file)."""
