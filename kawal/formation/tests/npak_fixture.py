"""A synthetic file shaped like the ministry's NPAK list (no real person in it).

Windows-1252 bytes, `N/A` and `-` for empty cells, the ministry's headers, quoted addresses on
several lines, seats as free text in every spelling (`KAB. KUTAI KARTANEGARA`, `Kota Samarinda`),
and some notaries on two or three rows that each carry other fields. Deterministic per seed.
"""

import csv
import io
import random

HEADER = [
    "No.",
    "Nama",
    "Tempat Kedudukan",
    "Provinsi",
    "No. AHU",
    "SK Pengangkatan Notaris",
    "Sertifikat Pelatihan NPAK",
    "Email",
    "No.HP-1",
    "No.HP-2",
    "No. Kantor",
    "Alamat Kantor",
]
FIRST = "Agus Ani Bambang Citra Dewi Endang Fajar Gita Hendra Indah Joko Kartika Lestari Made "
FIRST += "Nur Octavia Putu Rahmat Sari Taufik Utami Wahyu Yulia Zainal René Andrés Françoise"
LAST = "Wibowo Saputra Lestari Hidayat Pratama Siregar Nasution Simanjuntak Wijaya Kusuma "
LAST += "Rahman Harahap Purnomo Setiawan Gunawan Hutapea Sembiring Tanjung Lubis Daulay"
SEATS = [
    ("KAB. KUTAI KARTANEGARA", "KALIMANTAN TIMUR"),
    ("Kabupaten Kutai Kartanegara", "Kalimantan Timur"),
    ("KOTA SAMARINDA", "KALIMANTAN TIMUR"),
    ("Kota Balikpapan", "Kalimantan Timur"),
    ("KAB. BEKASI", "JAWA BARAT"),
    ("KOTA BEKASI", "JAWA BARAT"),
    ("Kota Administrasi Jakarta Selatan", "DKI JAKARTA"),
    ("KOTA JAKARTA SELATAN", "DKI Jakarta"),
    ("Kab. Sleman", "DI Yogyakarta"),
    ("KAB. BANDUNG", "JAWA BARAT"),
    ("Kabupaten Gowa", "Sulawesi Selatan"),
    ("KOTA MEDAN", "SUMATERA UTARA"),
]
TITLES = [", S.H., M.Kn.", ", SH, MKn", ", S.H.", " SH MKn", ", S.H., M.H."]


def _notary(rnd: random.Random, number: int) -> dict:
    first, last = rnd.choice(FIRST.split()), rnd.choice(LAST.split())
    seat, province = rnd.choice(SEATS)
    phone = f"08{rnd.randint(11, 59)}{rnd.randint(10000000, 99999999)}"
    return {
        "Nama": f"{first} {last} {number}{rnd.choice(TITLES)}",
        "Tempat Kedudukan": seat,
        "Provinsi": province,
        "No. AHU": f"AHU-{number:05d}.AH.02.01.Tahun 20{rnd.randint(10, 24)}",
        "SK Pengangkatan Notaris": f"C-{rnd.randint(100, 999)}.HT.03.01-Th.20{rnd.randint(0, 24):02d}",
        "Sertifikat Pelatihan NPAK": f"NPAK/{number:05d}/20{rnd.randint(18, 25)}",
        "Email": f"notaris{number}@contoh.test",
        "No.HP-1": phone,
        "No.HP-2": rnd.choice(
            ["N/A", "-", "", f"08{rnd.randint(11, 59)}{rnd.randint(1000000, 9999999)}"]
        ),
        "No. Kantor": rnd.choice(["N/A", f"(0541) {rnd.randint(100000, 999999)}"]),
        "Alamat Kantor": rnd.choice(
            [
                f"Jl. Contoh No. {number}\nRT {rnd.randint(1, 30):02d}",
                f"Jl. Demo Raya Kav. {number}, Kel. Percobaan",
                "N/A",
            ]
        ),
    }


def npak_rows(*, rows: int, seed: int = 1, duplicate_share: float = 0.08) -> list[dict]:
    """`rows` rows; about `duplicate_share` of the notaries appear on two or three rows, each
    extra row with some fields N/A and others filled (the split the ministry's file has)."""
    rnd = random.Random(seed)
    out, number = [], 0
    while len(out) < rows:
        number += 1
        notary = _notary(rnd, number)
        if rnd.random() < duplicate_share and len(out) + 2 <= rows:
            first = dict(notary)
            second = dict(notary)
            for key in ("No. AHU", "Alamat Kantor", "No.HP-2"):
                first[key] = "N/A"
            for key in ("Sertifikat Pelatihan NPAK", "Email", "No.HP-1"):
                second[key] = rnd.choice(["N/A", "-"])
            second["Nama"] = second["Nama"].upper()
            out += [first, second]
        else:
            out.append(notary)
    for index, row in enumerate(out, start=1):
        row["No."] = str(index)
    return out[:rows]


def npak_csv_bytes(*, rows: int = 200, seed: int = 1, encoding: str = "cp1252", **kw) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=HEADER, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(npak_rows(rows=rows, seed=seed, **kw))
    return buffer.getvalue().encode(encoding)
