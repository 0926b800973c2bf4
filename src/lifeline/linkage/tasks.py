"""Background work of duplicate detection (STYLE.md rule 16: ids in, scope opened, service
called)."""

from django_tasks import task

from lifeline.core.tenancy import scope, scopes_disabled
from lifeline.linkage import services
from lifeline.linkage.models import DedupRun


@task()
def run_dedup(run_id: int) -> int:
    """Carry out one queued deduplication run; returns how many new pairs it proposed."""
    with scopes_disabled():
        organisation = DedupRun.objects.select_related("organisation").get(pk=run_id).organisation
    with scope(organisation=organisation):
        run = DedupRun.objects.get(pk=run_id, organisation=organisation)
        return int(services.run_execute(run=run).result.get("proposed", 0))
