import datetime

import pytest

from kawal.cooperatives.tests.conftest import add_board, xlsx  # noqa: F401  (re-exported)
from kawal.core.scope import Role
from kawal.formation import services
from kawal.formation.models import Notary

D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def camat(make_user):
    return make_user(Role.CAMAT, "64.02.06", username="camat-tgr")


@pytest.fixture
def coop(make_cooperative):
    return make_cooperative("64.02.06.1001", name="Koperasi Kelurahan Merah Putih Jahab")


@pytest.fixture
def notary(db):
    return Notary.objects.create(name="Notaris Contoh, S.H., M.Kn.", seat="Tenggarong")


SK_ON = D(2025, 6, 20)


def legal_entity(actor, cooperative, notary, *, sk_on=SK_ON):
    """Walk a cooperative through the steps up to its SK AHU."""
    up = lambda step, done, **kw: services.step_update(  # noqa: E731
        actor=actor, cooperative=cooperative, step=step, status="selesai", completed_on=done, **kw
    )
    up("musdesus", D(2025, 5, 20))
    up("rapat_pendirian", D(2025, 5, 28))
    up("reservasi_nama", D(2025, 6, 2))
    up("akta", D(2025, 6, 10), document_number="12", notary=notary)
    return up("sk_ahu", sk_on, document_number="AHU-0001.AH.01.29.TAHUN 2025")
