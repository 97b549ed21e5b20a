"""The dry run of the step import runs the commit's rules: what it passes, the commit takes."""

import datetime

from django.utils import timezone

from kawal.cooperatives.tests.conftest import xlsx
from kawal.core.models import AuditEvent
from kawal.formation import services
from kawal.formation.models import StepRecord

URL = "/pembentukan/impor/"
HEADER = ("kode_desa", "sosialisasi_date", "musdesus_date")


def post(client, rows, action):
    return client.post(URL, {"jenis": "tahapan", "aksi": action, "berkas": xlsx(HEADER, rows)})


def test_a_future_date_fails_the_dry_run_on_its_line(client, admin_user, coop, make_cooperative):
    make_cooperative("64.02.06.1002")
    client.force_login(admin_user)
    future = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    rows = [("64.02.06.1002", "2025-05-01", ""), (coop.village_id, "2025-05-01", future)]
    response = post(client, rows, "cek")
    preview = response.context["preview"]
    assert [r.line for r in preview.error_rows] == [3]
    assert "depan" in preview.error_rows[0].errors[0]  # "…cannot be in the future"
    assert not StepRecord.objects.exists()


def test_a_completion_before_the_recorded_start_fails_the_dry_run(client, admin_user, coop):
    services.step_update(
        actor=admin_user,
        cooperative=coop,
        step="sosialisasi",
        status="proses",
        started_on=datetime.date(2025, 6, 10),
    )
    client.force_login(admin_user)
    audits = AuditEvent.objects.count()
    response = post(client, [(coop.village_id, "2025-06-01", "")], "cek")
    assert [r.line for r in response.context["preview"].error_rows] == [2]
    # and what the dry run refused the commit refuses the same way, writing nothing
    response = post(client, [(coop.village_id, "2025-06-01", "")], "impor")
    assert [r.line for r in response.context["preview"].error_rows] == [2]
    assert AuditEvent.objects.count() == audits


def test_a_clean_dry_run_writes_nothing_and_the_commit_then_succeeds(client, admin_user, coop):
    client.force_login(admin_user)
    rows = [(coop.village_id, "2025-05-01", "2025-05-10")]
    response = post(client, rows, "cek")
    assert response.context["preview"].ok
    assert response.context["outcome"].result["created"] == 2
    assert not StepRecord.objects.exists() and not AuditEvent.objects.exists()
    assert post(client, rows, "impor").status_code == 302
    assert StepRecord.objects.filter(cooperative=coop).count() == 2
