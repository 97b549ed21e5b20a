"""XLSX import (dry run, row errors, all or nothing) and export of outlets, partnerships, loans."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kawal.cooperatives.models import Outlet
from kawal.operations import imports
from kawal.operations.models import Loan, Partnership

from .conftest import MUARA_BADAK, TENGGARONG


def _xlsx(rows) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("data.xlsx", out.getvalue())


@pytest.mark.django_db
def test_an_outlet_import_with_one_bad_row_writes_nothing(legal_coop, make_outlet, admin_user):
    outlet = make_outlet(legal_coop(TENGGARONG))
    make_outlet(legal_coop(MUARA_BADAK))
    upload = _xlsx(
        [
            ["kode_desa", "jenis_gerai", "tahap", "tanggal", "luas_lahan_m2", "status_lahan"],
            [TENGGARONG, "sembako", "lahan", "2025-09-01", 1500, "aset_desa"],
            [MUARA_BADAK, "sembako", "buka", "2025-09-01", None, None],  # open before built
            ["64.02.99.9999", "sembako", "lahan", "2025-09-01", 1500, "hibah"],
            [TENGGARONG, "sembako", "lahan", "2099-01-01", 1500, "hibah"],
        ]
    )

    preview = imports.import_preview(user=admin_user, spec=imports.SPECS["gerai"], upload=upload)

    assert not preview.ok
    assert [r.line for r in preview.error_rows] == [3, 4, 5]
    with pytest.raises(Exception):  # noqa: B017 - commit refuses a file with errors
        imports.import_commit(user=admin_user, spec=imports.SPECS["gerai"], preview=preview)
    outlet.refresh_from_db()
    assert outlet.status == Outlet.Status.RENCANA


@pytest.mark.django_db
def test_a_clean_import_moves_outlets_and_creates_partnerships_and_loans(
    legal_coop, make_outlet, partner, bank, admin_user
):
    coop = legal_coop(TENGGARONG)
    outlet = make_outlet(coop)
    partner()
    outlets = _xlsx(
        [
            ["kode_desa", "jenis_gerai", "tahap", "tanggal", "luas_lahan_m2", "status_lahan"],
            [TENGGARONG, "sembako", "lahan", "2025-09-01", 1500, "aset_desa"],
        ]
    )
    partnerships = _xlsx(
        [
            ["kode_desa", "mitra", "cakupan", "tahap", "tanggal", "hambatan", "pihak_bertindak"],
            [TENGGARONG, "Perum Bulog", "beras", "penjajakan", "2025-09-02", "Gudang", "mitra"],
        ]
    )
    loans = _xlsx(
        [
            ["kode_desa", "bank", "jumlah_diajukan", "tenor_bulan"],
            [TENGGARONG, "Bank BRI", 750_000_000, 36],
        ]
    )
    for kind, upload in (("gerai", outlets), ("kemitraan", partnerships), ("pinjaman", loans)):
        spec = imports.SPECS[kind]
        preview = imports.import_preview(user=admin_user, spec=spec, upload=upload)
        assert preview.ok, preview.error_rows and preview.error_rows[0].errors
        assert imports.import_commit(user=admin_user, spec=spec, preview=preview) == 1

    outlet.refresh_from_db()
    assert outlet.status == Outlet.Status.PERSIAPAN and outlet.land_area_m2 == 1500
    assert Partnership.objects.get().must_act == "mitra"
    assert Loan.objects.get().amount_requested == 750_000_000


@pytest.mark.django_db
def test_a_loan_import_above_the_ceiling_is_rolled_back_whole(legal_coop, bank, admin_user):
    legal_coop(TENGGARONG)
    legal_coop(MUARA_BADAK)
    upload = _xlsx(
        [
            ["kode_desa", "bank", "jumlah_diajukan"],
            [MUARA_BADAK, "Bank BRI", 500_000_000],
            [TENGGARONG, "Bank BRI", 3_500_000_000],
        ]
    )
    spec = imports.SPECS["pinjaman"]
    preview = imports.import_preview(user=admin_user, spec=spec, upload=upload)
    assert preview.ok  # the ceiling is a rule only the write can see

    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        imports.import_commit(user=admin_user, spec=spec, preview=preview)
    assert "3" in " ".join(error.value.messages)
    assert not Loan.objects.exists()


@pytest.mark.django_db
def test_a_loan_file_imported_again_changes_nothing_and_a_corrected_amount_updates(
    legal_coop, bank, admin_user
):
    from kawal.core.models import AuditEvent

    legal_coop(TENGGARONG)
    rows = [["kode_desa", "bank", "jumlah_diajukan", "tenor_bulan", "tanggal"]]
    spec = imports.SPECS["pinjaman"]

    def load(amount):
        upload = _xlsx([*rows, [TENGGARONG, "Bank BRI", amount, 36, "2025-09-01"]])
        preview = imports.import_preview(user=admin_user, spec=spec, upload=upload)
        assert preview.ok, preview.error_rows and preview.error_rows[0].errors
        imports.import_commit(user=admin_user, spec=spec, preview=preview)

    load(750_000_000)
    audit_rows = AuditEvent.objects.count()
    load(750_000_000)
    assert Loan.objects.count() == 1
    assert AuditEvent.objects.count() == audit_rows
    assert Loan.objects.get().version == 1

    load(800_000_000)
    loan = Loan.objects.get()
    assert (loan.amount_requested, loan.version) == (800_000_000, 2)


@pytest.mark.django_db
def test_the_exports_stream_the_users_scope(legal_coop, make_outlet, make_user, client):
    make_outlet(legal_coop(TENGGARONG))
    make_outlet(legal_coop(MUARA_BADAK))
    client.force_login(make_user("camat", "64.02.05"))

    response = client.get("/operasional/ekspor/gerai/")

    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "kode_desa"
    assert [r[0] for r in rows[1:]] == [MUARA_BADAK]
