from kawal.mentoring.models import Assignment


def assigned_village_codes(user) -> list[str]:
    """Villages of the cooperatives currently assigned to the user (feeds core.scope)."""
    return list(
        Assignment.objects.filter(mentor=user, ended_on__isnull=True).values_list(
            "cooperative__village_id", flat=True
        )
    )
