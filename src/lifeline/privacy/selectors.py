from django.db.models import QuerySet

from lifeline.accounts.models import Organisation
from lifeline.privacy.models import RetentionRun


def recent_runs(*, organisation: Organisation, limit: int = 20) -> QuerySet[RetentionRun]:
    return RetentionRun.objects.filter(organisation=organisation).order_by("-ran_at")[:limit]
