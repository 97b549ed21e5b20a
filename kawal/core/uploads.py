"""Evidence uploads: judged by content (magic bytes), size-capped, stored under safe names."""

import re
import unicodedata
from collections.abc import Iterable
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 10 * MB
DEFAULT_KINDS = ("pdf", "jpeg", "png")

# First bytes of each format. Programs and archives are recognised only to refuse them by name.
SIGNATURES = (
    (b"%PDF-", "pdf"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"MZ", "executable"),  # Windows PE
    (b"\x7fELF", "executable"),  # Linux
    (b"#!", "executable"),  # shell/Python scripts
    (b"PK\x03\x04", "zip"),  # also .docx/.xlsx/.apk
)
DANGEROUS = frozenset({"executable", "zip"})
EXTENSIONS = {"pdf": (".pdf",), "jpeg": (".jpg", ".jpeg"), "png": (".png",)}
LABELS = {"pdf": "PDF", "jpeg": "JPEG", "png": "PNG"}


def sniff_kind(head: bytes) -> str | None:
    """ "pdf", "jpeg", "png", "executable", "zip", or None when unknown."""
    for magic, kind in SIGNATURES:
        if head.startswith(magic):
            return kind
    return None


def _kind_from_name(name: str) -> str | None:
    """The kind the file name claims by its extension."""
    suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower()
    return next((kind for kind, exts in EXTENSIONS.items() if suffix in exts), None)


def _megabytes(n: int) -> str:
    return f"{n / MB:.1f}".removesuffix(".0").replace(".", ",")


def validate_upload(
    f: File, *, kinds: Iterable[str] = DEFAULT_KINDS, max_bytes: int | None = None
) -> str:
    """Check size, real content type and extension; return the sniffed kind.

    max_bytes defaults to settings.KAWAL_UPLOAD_MAX_BYTES (10 MB if unset).
    """
    kinds = tuple(kinds)
    if max_bytes is None:
        max_bytes = getattr(settings, "KAWAL_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)
    allowed = ", ".join(LABELS[k] for k in kinds)

    size = f.size or 0
    if size <= 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > max_bytes:
        raise ValidationError(
            _("The file is too large: the limit is %(mb)s MB."),
            code="too_large",
            params={"mb": _megabytes(max_bytes)},
        )

    # Only the head is needed; rewind so the storage backend saves the whole file.
    f.seek(0)
    head = f.read(16)
    f.seek(0)
    kind = sniff_kind(head)
    claimed = _kind_from_name(f.name or "")

    if kind in DANGEROUS:
        if claimed:  # e.g. setup.exe renamed to laporan.pdf
            raise ValidationError(
                _("The file is not a real %(claimed)s: it is a program or an archive."),
                code="fake",
                params={"claimed": LABELS[claimed]},
            )
        raise ValidationError(
            _("Programs and archives cannot be uploaded. Allowed: %(allowed)s."),
            code="dangerous",
            params={"allowed": allowed},
        )
    if claimed and kind != claimed:
        if kind is None:
            raise ValidationError(
                _("The file is not a real %(claimed)s."),
                code="fake",
                params={"claimed": LABELS[claimed]},
            )
        raise ValidationError(
            _("The file is not a real %(claimed)s: its content is %(actual)s."),
            code="extension",
            params={"claimed": LABELS[claimed], "actual": LABELS[kind]},
        )
    if kind not in kinds:
        raise ValidationError(
            _("This file type is not allowed. Allowed: %(allowed)s."),
            code="type",
            params={"allowed": allowed},
        )
    if claimed is None:  # right content, but a name like "scan" or "scan.txt"
        raise ValidationError(
            _("The file name must end in %(extensions)s."),
            code="extension",
            params={"extensions": " / ".join(EXTENSIONS[kind])},
        )
    return kind


def safe_filename(name: str) -> str:
    """An ASCII name without directories, at most 100 characters, extension in lower case."""
    base = PurePosixPath(str(name or "").replace("\\", "/")).name
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    ext = re.sub(r"[^a-z0-9]", "", ext.lower())[:10]
    # Leading dots/dashes would make hidden files or look like command options.
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip(".-_") or "berkas"
    stem = stem[: 100 - (len(ext) + 1 if ext else 0)].rstrip(".-")
    return f"{stem}.{ext}" if ext else stem


def delete_replaced(field_file, old_name: str) -> None:
    """After the transaction commits, delete the file a record no longer points to (a replaced
    attachment). Nothing is deleted if the transaction rolls back."""
    from django.db import transaction

    if old_name and old_name != field_file.name:
        storage = field_file.storage
        transaction.on_commit(lambda: storage.delete(old_name))


def shorten_name(name: str, limit: int = 200) -> str:
    """A file name (as the user gave it) cut to `limit` characters, keeping its extension, so
    that a long name still downloads as a .pdf."""
    base = PurePosixPath(str(name or "").replace("\\", "/")).name
    if len(base) <= limit:
        return base
    stem, dot, ext = base.rpartition(".")
    if not dot or len(ext) > 10:
        return base[:limit]
    return f"{stem[: limit - len(ext) - 1]}.{ext}"


@deconstructible
class UploadValidator:
    """Field validator: `validators=[UploadValidator(kinds=("pdf",))]`."""

    def __init__(self, kinds: Iterable[str] = DEFAULT_KINDS, max_bytes: int | None = None) -> None:
        self.kinds = tuple(kinds)
        self.max_bytes = max_bytes

    def __call__(self, f: File) -> None:
        validate_upload(f, kinds=self.kinds, max_bytes=self.max_bytes)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UploadValidator) and (self.kinds, self.max_bytes) == (
            other.kinds,
            other.max_bytes,
        )


def stored_file_response(field_file, filename: str | None = None):
    """Serve an evidence file that a scoped view has already found for the user.

    An empty field or a file gone from storage answers 404; the browser is told not to guess
    the content type and not to keep the file in shared caches.
    """
    from django.http import FileResponse, Http404

    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = filename or PurePosixPath(field_file.name).name
    response = FileResponse(handle, as_attachment=False, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
