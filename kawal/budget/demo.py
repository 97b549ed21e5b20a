"""Demo budget of Kukar's cooperative office (synthetic amounts and decree numbers, labelled).

The 2025 story: the training line waited for funding while the regency refocused its budget;
a refocusing decree moved money from a capital line into it, it was approved, the seven November
batches were committed and paid. Kelurahan notary fees were paid from BTT. For 2026 a follow-up
training line is approved and an events line still waits for funding.
"""

import datetime

from kawal.budget import services
from kawal.budget.models import BudgetLine, Purpose, Source

PROGRAM = "Program Pengembangan Kemampuan Koperasi"
TRAINING_2025 = "Pelatihan pengurus dan pengawas KMP 2025"
TRAINING_2026 = "Pelatihan lanjutan manajemen usaha dan pajak KMP 2026"
REFOCUSING_DECREE = "Perbup Kukar No. 41 Tahun 2025 (DEMO)"


def load(ctx) -> None:
    admin = ctx.admin
    regency = ctx.regency_code

    def line(description, year, ceiling, status, source, purpose, code, **extra):
        return services.line_create(
            actor=admin,
            region_code=regency,
            fiscal_year=year,
            program=extra.pop("program", PROGRAM),
            kegiatan=extra.pop("kegiatan", "Pendidikan dan Latihan Perkoperasian"),
            sub_kegiatan=extra.pop("sub_kegiatan", "Peningkatan Kapasitas Pengurus Koperasi"),
            account_code=code,
            description=description,
            purpose=purpose,
            source=source,
            ceiling=ceiling,
            status=status,
            **extra,
        )

    capital = line(
        "Belanja modal gedung dan bangunan (ditunda)",
        2025,
        3_500_000_000,
        BudgetLine.Status.DISETUJUI,
        Source.APBD,
        Purpose.OTHER,
        "5.2.03.01.01.0001",
        kegiatan="Penyediaan Sarana Kantor",
        sub_kegiatan="Pembangunan Gedung Kantor",
    )
    training = line(
        TRAINING_2025,
        2025,
        250_000_000,
        BudgetLine.Status.USULAN,
        Source.APBD,
        Purpose.TRAINING,
        "5.1.02.02.01.0026",
        note="Menunggu pergeseran anggaran; konsultasi walk-in berjalan sementara.",
    )
    training = services.line_set_status(
        actor=admin,
        line=training,
        status=BudgetLine.Status.MENUNGGU,
        expected_version=training.version,
    )
    training = services.line_set_status(
        actor=admin,
        line=training,
        status=BudgetLine.Status.REFOCUSING,
        expected_version=training.version,
        note="Diusulkan dalam pergeseran APBD 2025.",
    )
    services.refocusing_record(
        actor=admin,
        from_line=capital,
        to_line=training,
        amount=1_050_000_000,
        date=datetime.date(2025, 9, 22),
        decree_reference=REFOCUSING_DECREE,
        reason="Pelatihan pengurus dan pengawas 237 KMP; pembangunan gedung ditunda ke 2026.",
    )
    training.refresh_from_db()
    services.line_set_status(
        actor=admin,
        line=training,
        status=BudgetLine.Status.DISETUJUI,
        expected_version=training.version,
    )

    notary = line(
        "Biaya notaris akta pendirian KMP kelurahan",
        2025,
        180_000_000,
        BudgetLine.Status.DISETUJUI,
        Source.BTT,
        Purpose.NOTARY,
        "5.4.01.01.01.0001",
        kegiatan="Belanja Tidak Terduga",
        sub_kegiatan="Fasilitasi Badan Hukum KMP Kelurahan",
    )
    commitment = services.commitment_create(
        actor=admin,
        line=notary,
        amount=144_000_000,
        description="Akta pendirian KMP kelurahan (24 akta × Rp6.000.000)",
        committed_on=datetime.date(2025, 6, 16),
    )
    services.spend_record(
        actor=admin,
        commitment=commitment,
        amount=144_000_000,
        spent_on=datetime.date(2025, 7, 14),
        document_reference="SP2D 00412/BTT/2025 (DEMO)",
    )

    line(
        TRAINING_2026,
        2026,
        600_000_000,
        BudgetLine.Status.DISETUJUI,
        Source.APBD,
        Purpose.TRAINING,
        "5.1.02.02.01.0026",
    )
    line(
        "Fasilitasi peresmian gerai KMP",
        2026,
        400_000_000,
        BudgetLine.Status.MENUNGGU,
        Source.APBD,
        Purpose.EVENTS,
        "5.1.02.02.01.0043",
        kegiatan="Fasilitasi Kegiatan Koperasi",
        sub_kegiatan="Peresmian dan Promosi Gerai",
    )
    line(
        "Pendampingan manajer gerai KMP",
        2026,
        750_000_000,
        BudgetLine.Status.USULAN,
        Source.APBN,
        Purpose.TRAINING,
        "5.1.02.99.99.9999",
    )
