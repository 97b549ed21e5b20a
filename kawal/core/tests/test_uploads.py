import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kawal.core.uploads import safe_filename, sniff_kind, validate_upload

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def upload(name, content):
    return SimpleUploadedFile(name, content)


def test_real_files_pass_and_report_their_kind():
    assert validate_upload(upload("akta.pdf", PDF)) == "pdf"
    assert validate_upload(upload("foto.JPG", JPEG)) == "jpeg"
    assert validate_upload(upload("foto.png", PNG), kinds=("png",)) == "png"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("kosong.pdf", b"", "empty"),
        ("setup.pdf", b"MZ\x90\x00" + b"\x00" * 20, "fake"),
        ("program.exe", b"MZ\x90\x00" + b"\x00" * 20, "dangerous"),
        ("laporan.pdf", b"just some text pretending", "fake"),
        ("foto.png", JPEG, "extension"),
        ("scan", PDF, "extension"),
        ("catatan.txt", b"hello world", "type"),
    ],
)
def test_bad_uploads_are_refused_with_a_reason(name, content, code):
    with pytest.raises(ValidationError) as error:
        validate_upload(upload(name, content))
    assert error.value.code == code


def test_size_cap():
    with pytest.raises(ValidationError) as error:
        validate_upload(upload("besar.pdf", PDF + b"\x00" * 2048), max_bytes=1024)
    assert error.value.code == "too_large"


def test_only_the_requested_kinds_are_allowed():
    with pytest.raises(ValidationError) as error:
        validate_upload(upload("akta.pdf", PDF), kinds=("jpeg", "png"))
    assert error.value.code == "type"


def test_sniffing_and_safe_names():
    assert sniff_kind(PDF) == "pdf"
    assert sniff_kind(b"PK\x03\x04rest") == "zip"
    assert sniff_kind(b"plain") is None
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("Berita Acara Musdesus (final).PDF") == "Berita-Acara-Musdesus-final.pdf"
    assert safe_filename("...") == "berkas"


def test_stored_files_are_served_with_nosniff_and_missing_ones_are_404(settings, tmp_path):
    from django.core.files.base import ContentFile
    from django.core.files.storage import FileSystemStorage
    from django.db.models.fields.files import FieldFile
    from django.http import Http404

    from kawal.core.uploads import stored_file_response

    storage = FileSystemStorage(location=tmp_path)
    name = storage.save("bukti/akta.pdf", ContentFile(PDF))
    field = type("F", (), {"storage": storage})()
    response = stored_file_response(FieldFile(None, field, name), "Akta pendirian.pdf")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Akta" in response["Content-Disposition"] and "inline" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    for missing in (FieldFile(None, field, ""), FieldFile(None, field, "bukti/hilang.pdf")):
        with pytest.raises(Http404):
            stored_file_response(missing)
