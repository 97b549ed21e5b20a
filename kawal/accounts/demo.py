"""Demo agencies and one user per role (synthetic people, real region codes)."""

from kawal.accounts import services
from kawal.accounts.models import Agency, Grant, User
from kawal.core.demo import DEMO_PASSWORD
from kawal.core.scope import Role

REGENCY = "64.02"
TENGGARONG = "64.02.06"
TANAH_DATAR = "64.02.05.2006"  # Desa Tanah Datar, Muara Badak: the launch village

AGENCIES = [
    ("diskopukm", "Dinas Koperasi dan UKM Kabupaten Kutai Kartanegara", "DiskopUKM", "dinas"),
    ("dpmd", "Dinas Pemberdayaan Masyarakat dan Desa", "DPMD", "dinas"),
    ("bappeda", "Badan Perencanaan Pembangunan Daerah", "Bappeda", "badan"),
    ("bpkad", "Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD", "badan"),
    ("inspektorat", "Inspektorat Daerah", "Inspektorat", "badan"),
    ("distan", "Dinas Pertanian dan Peternakan", "Distanak", "dinas"),
    ("diskan", "Dinas Perikanan dan Kelautan", "Diskan", "dinas"),
    ("dinkes", "Dinas Kesehatan", "Dinkes", "dinas"),
    ("dpmptsp", "Dinas Penanaman Modal dan PTSP", "DPMPTSP", "dinas"),
    ("setda", "Sekretariat Daerah", "Setda", "sekretariat"),
]

# username, role, region, agency code, first name, last name, description for the login list
USERS = [
    ("dinas", Role.ADMIN_DINAS, REGENCY, "diskopukm", "Admin", "Dinas", "Admin Dinas, Kukar"),
    ("sekda", Role.PIMPINAN, REGENCY, "setda", "Sekda", "Kukar", "Pimpinan (Sekda), read only"),
    ("satgas.dpmd", Role.SATGAS, REGENCY, "dpmd", "Staf", "DPMD", "Anggota Satgas, DPMD"),
    (
        "camat.tenggarong",
        Role.CAMAT,
        TENGGARONG,
        "kec-64-02-06",
        "Camat",
        "Tenggarong",
        "Camat Tenggarong (64.02.06)",
    ),
    (
        "pendamping",
        Role.PENDAMPING,
        TENGGARONG,
        "diskopukm",
        "Pendamping",
        "Tenggarong",
        "Pendamping, 10 KMP in Tenggarong",
    ),
    (
        "pengurus.tanahdatar",
        Role.PENGURUS,
        TANAH_DATAR,
        None,
        "Ketua",
        "KMP Tanah Datar",
        "Pengurus of KMP Desa Tanah Datar",
    ),
    (
        "auditor",
        Role.AUDITOR,
        REGENCY,
        "inspektorat",
        "Auditor",
        "Inspektorat",
        "Auditor (Inspektorat), read only + audit log",
    ),
]


def demo_logins() -> list[tuple[str, str]]:
    return [(u[0], u[6]) for u in USERS]


def load(ctx) -> None:
    from kawal.regions.models import Region

    agencies = {
        code: Agency.objects.create(
            code=code, name=name, short_name=short, kind=kind, region_id=REGENCY
        )
        for code, name, short, kind in AGENCIES
    }
    for kec in Region.objects.filter(regency_code=REGENCY, level=3).order_by("code"):
        code = "kec-" + kec.code.replace(".", "-")
        agencies[code] = Agency.objects.create(
            code=code,
            name=f"Kantor Kecamatan {kec.name}",
            short_name=f"Kec. {kec.name}",
            kind=Agency.Kind.KECAMATAN,
            region=kec,
        )
    ctx.agencies = agencies

    # The first administrator is the bootstrap actor; everyone else is created through services.
    admin = User.objects.create_user(
        "dinas",
        password=DEMO_PASSWORD,
        first_name="Admin",
        last_name="Dinas",
        agency=agencies["diskopukm"],
    )
    Grant.objects.create(user=admin, role=Role.ADMIN_DINAS, region_id=REGENCY)
    ctx.users["admin"] = admin
    for username, role, region, agency, first, last, _description in USERS[1:]:
        ctx.users[username] = services.user_create(
            actor=admin,
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            region_code=region,
            first_name=first,
            last_name=last,
            phone=ctx.faker.numerify("08##########"),
            agency=agencies.get(agency) if agency else None,
        )
    ctx.logins = demo_logins()
