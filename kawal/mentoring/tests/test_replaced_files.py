from django.utils import timezone

from kawal.mentoring import rules, services


def test_a_replaced_report_attachment_is_deleted_once_saved(
    ba, coop, pdf_file, django_capture_on_commit_callbacks
):
    month = rules.first_of_month(timezone.localdate())
    report = services.report_save(
        actor=ba, month=month, activities="x", cooperatives=[coop], attachment=pdf_file("a.pdf")
    )
    first = report.attachment.name
    storage = report.attachment.storage
    assert storage.exists(first)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_save(
            actor=ba,
            report=report,
            month=month,
            activities="y",
            cooperatives=[coop],
            attachment=pdf_file("b.pdf"),
            expected_version=report.version,
        )
    assert not storage.exists(first)
    assert storage.exists(report.attachment.name)
