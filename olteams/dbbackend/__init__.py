"""Django's PostgreSQL backend with two cheaper per-request steps (see ``base``)."""
