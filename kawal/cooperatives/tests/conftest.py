import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kawal.cooperatives import services
from kawal.cooperatives.models import Officer, Sex
from kawal.core.scope import Role

TENGGARONG_VILLAGE = "64.02.06.1001"
MUARA_BADAK_VILLAGE = "64.02.05.2006"


@pytest.fixture
def camat(make_user):
    return make_user(Role.CAMAT, "64.02.06", username="camat-tgr")


@pytest.fixture
def pimpinan(make_user):
    return make_user(Role.PIMPINAN, "64.02", username="sekda-x")


def nik_for(n: int, female: bool = False) -> str:
    day = 12 + (40 if female else 0)
    return f"640206{day:02d}0585{n:04d}"


def add_board(admin, cooperative, *, pengurus=5, women=1, head_chairs=True, pengawas=3):
    """A board that passes every rule by default."""
    positions = [
        Officer.Position.KETUA,
        Officer.Position.WAKIL_KETUA_USAHA,
        Officer.Position.WAKIL_KETUA_ANGGOTA,
        Officer.Position.SEKRETARIS,
        Officer.Position.BENDAHARA,
        Officer.Position.ANGGOTA,
        Officer.Position.ANGGOTA,
    ][:pengurus]
    officers = []
    for i, position in enumerate(positions):
        female = i < women
        officers.append(
            services.officer_create(
                actor=admin,
                cooperative=cooperative,
                body=Officer.Body.PENGURUS,
                position=position,
                name=f"Pengurus {i}",
                sex=Sex.FEMALE if female else Sex.MALE,
                nik=nik_for(i + 1, female),
                phone=f"0812 3456 78{i:02d}",
            )
        )
    for i in range(pengawas):
        officers.append(
            services.officer_create(
                actor=admin,
                cooperative=cooperative,
                body=Officer.Body.PENGAWAS,
                position=Officer.Position.KETUA_PENGAWAS if i == 0 else Officer.Position.ANGGOTA,
                name=f"Pengawas {i}",
                sex=Sex.MALE,
                is_village_head=head_chairs and i == 0,
                is_village_official=head_chairs and i == 0,
            )
        )
    return officers


@pytest.fixture
def coop(make_cooperative):
    return make_cooperative(TENGGARONG_VILLAGE, name="Koperasi Kelurahan Merah Putih Jahab")


def xlsx(header, rows, name="data.xlsx"):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())
