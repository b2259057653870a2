"""A closed month is immutable: the database refuses changes to a closed account and its lines.

- ``finance_monthlyaccount``: a closed row can be neither updated nor deleted (closing itself
  is the one allowed update: draft → closed).
- ``finance_accountline``: no insert, update or delete of a line whose account (old or new)
  is closed.
Corrections go into a later month as adjustment lines (``finance.services``).
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION finance_account_frozen() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'gesloten' THEN
        RAISE EXCEPTION 'finance_monthlyaccount %: a closed month cannot be changed (%)',
            OLD.id, TG_OP USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER finance_monthlyaccount_frozen
    BEFORE UPDATE OR DELETE ON finance_monthlyaccount
    FOR EACH ROW EXECUTE FUNCTION finance_account_frozen();

CREATE OR REPLACE FUNCTION finance_accountline_frozen() RETURNS trigger AS $$
DECLARE
    account_ids bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        account_ids := ARRAY[NEW.account_id];
    ELSIF TG_OP = 'UPDATE' THEN
        account_ids := ARRAY[OLD.account_id, NEW.account_id];
    ELSE
        account_ids := ARRAY[OLD.account_id];
    END IF;
    IF EXISTS (
        SELECT 1 FROM finance_monthlyaccount
        WHERE id = ANY(account_ids) AND status = 'gesloten'
    ) THEN
        RAISE EXCEPTION 'finance_accountline: the lines of a closed month cannot be changed (%)',
            TG_OP USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER finance_accountline_frozen
    BEFORE INSERT OR UPDATE OR DELETE ON finance_accountline
    FOR EACH ROW EXECUTE FUNCTION finance_accountline_frozen();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS finance_accountline_frozen ON finance_accountline;
DROP FUNCTION IF EXISTS finance_accountline_frozen();
DROP TRIGGER IF EXISTS finance_monthlyaccount_frozen ON finance_monthlyaccount;
DROP FUNCTION IF EXISTS finance_account_frozen();
"""


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_accounts")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
