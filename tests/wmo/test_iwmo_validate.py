"""``manage.py iwmo_validate``: VALID / INVALID with the schema's errors; non-zero on any error."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from tests.wmo.test_iwmo import _product, _wmo301, submitted  # noqa: F401 (fixture)
from wmo import iwmo

pytestmark = pytest.mark.django_db


def test_valid_files_exit_zero(tmp_path, submitted):  # noqa: F811
    ours = tmp_path / "wmo315.xml"
    ours.write_bytes(iwmo.export_wmo315(submitted))
    theirs = tmp_path / "wmo301.xml"
    theirs.write_bytes(_wmo301(submitted))
    out = io.StringIO()
    call_command("iwmo_validate", str(ours), str(theirs), stdout=out)
    assert out.getvalue().splitlines() == [
        f"{ours}: VALID (WMO315)",
        f"{theirs}: VALID (WMO301)",
    ]


def test_an_invalid_file_is_reported_and_exits_non_zero(tmp_path, submitted):  # noqa: F811
    good = tmp_path / "goed.xml"
    good.write_bytes(_wmo301(submitted))
    bad = tmp_path / "fout.xml"
    bad.write_bytes(_wmo301(submitted, _product(ref="x", omvang=("2", "99", "2"))))
    out = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("iwmo_validate", str(good), str(bad), str(tmp_path / "weg.xml"), stdout=out)
    assert exc.value.returncode == 1
    assert str(exc.value) == "2 van 3 bestand(en) ongeldig."
    lines = out.getvalue().splitlines()
    assert lines[0] == f"{good}: VALID (WMO301)"
    assert lines[1] == f"{bad}: INVALID (WMO301)"
    assert lines[2].startswith("  regel ") and "Eenheid" in lines[2] and "'99'" in lines[2]
    assert lines[3] == f"{tmp_path / 'weg.xml'}: INVALID"
