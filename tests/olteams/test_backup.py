"""Operations: a database backup can be restored (pg_dump/pg_restore round trip)."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "verify-backup-restore.sh"


def test_backup_and_restore_round_trip_is_verified():
    assert SCRIPT.exists(), "scripts/verify-backup-restore.sh is missing"
    result = subprocess.run(  # noqa: S603 — our own script
        ["bash", str(SCRIPT)],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "verify-backup-restore: ok" in result.stdout
