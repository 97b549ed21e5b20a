from kawal.cooperatives.models import Cooperative
from kawal.core.scope import Cap, get_scoped_or_404, scoped


def cooperative_list(*, user, cap: str = Cap.VIEW):
    return scoped(Cooperative.objects.select_related("village"), user, cap)


def cooperative_get(*, user, pk: int) -> Cooperative:
    return get_scoped_or_404(Cooperative.objects.select_related("village"), user, pk=pk)
