"""NEN 7513: audit events are append-only. The database itself refuses UPDATE and DELETE."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION olteams_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'olteams_auditevent is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER olteams_auditevent_no_update_delete
    BEFORE UPDATE OR DELETE ON olteams_auditevent
    FOR EACH ROW EXECUTE FUNCTION olteams_auditevent_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS olteams_auditevent_no_update_delete ON olteams_auditevent;
DROP FUNCTION IF EXISTS olteams_auditevent_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("olteams", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
