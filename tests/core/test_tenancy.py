import pytest
from django_scopes import ScopeError, scope

from lifeline.cases.models import Case
from lifeline.people.models import Person
from tests.factories import make_case


@pytest.mark.scoped
@pytest.mark.django_db
def test_it_refuses_a_tenant_query_outside_any_scope():
    with pytest.raises(ScopeError):
        list(Case.objects.all())
    with pytest.raises(ScopeError):
        Person.objects.filter(citizenship="TH").count()


@pytest.mark.scoped
def test_it_confines_a_scope_to_its_organisation(coordinator_a, coordinator_b):
    with scope(organisation=coordinator_a.organisation):
        mine = make_case(coordinator_a)
    with scope(organisation=coordinator_b.organisation):
        theirs = make_case(coordinator_b)
        assert list(Case.objects.values_list("pk", flat=True)) == [theirs.pk]
        assert not Case.objects.filter(pk=mine.pk).exists()
