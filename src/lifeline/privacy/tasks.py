"""Background work of the privacy app (STYLE.md rule 16: ids in, scope opened, service called)."""

from django_tasks import task

from lifeline.accounts.models import Organisation
from lifeline.core.tenancy import scope
from lifeline.privacy import services


@task()
def apply_retention(organisation_id: int) -> int:
    """Apply one organisation's retention policy; returns the id of the run it recorded."""
    organisation = Organisation.objects.get(pk=organisation_id)
    with scope(organisation=organisation):
        return services.retention_apply(organisation=organisation).pk


def enqueue_daily_retention() -> int:
    """Queue the retention of every organisation; returns how many were queued."""
    ids = list(Organisation.objects.values_list("pk", flat=True))
    for organisation_id in ids:
        apply_retention.enqueue(organisation_id)
    return len(ids)
