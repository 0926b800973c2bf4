"""Background work of imports (STYLE.md rule 16: ids in, scope opened, service called)."""

from django_tasks import task

from lifeline.core.tenancy import scope, scopes_disabled
from lifeline.reports.importing import services
from lifeline.reports.models import ImportBatch


@task()
def run_import(batch_id: int) -> int:
    """Carry out one confirmed import; returns how many rows it imported."""
    with scopes_disabled():
        organisation = (
            ImportBatch.objects.select_related("organisation").get(pk=batch_id).organisation
        )
    with scope(organisation=organisation):
        batch = ImportBatch.objects.get(pk=batch_id, organisation=organisation)
        return services.import_execute(batch=batch).done
