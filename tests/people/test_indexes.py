import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lifeline.core.tenancy import scope
from lifeline.people.models import ContactHandle, Identifier, Person, PersonName


def _organisation_person_indexes() -> dict[str, str]:
    """Each table of a person's rows, and the name of its (organisation, person) index."""
    return {
        model._meta.db_table: next(
            index.name
            for index in model._meta.indexes
            if index.fields == ["organisation", "person"]
        )
        for model in (PersonName, ContactHandle, Identifier)
    }


@pytest.mark.django_db
def test_the_organisation_person_indexes_exist_in_the_database():
    with connection.cursor() as cursor:
        for table, index in _organisation_person_indexes().items():
            constraints = connection.introspection.get_constraints(cursor, table)
            assert constraints[index]["index"], index
            assert constraints[index]["columns"] == ["organisation_id", "person_id"]


# SQLite only: PostgreSQL's planner chooses by the statistics it holds, which a test database
# does not (its plan right after a bulk load is measured in bench/linkage.py --only intake-db).
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner without statistics")
def test_a_persons_rows_are_read_through_the_organisation_person_index(case_a, coordinator_a):
    """Right after a bulk import SQLite has no statistics; the scoped read of persons' names,
    contacts and documents (organisation_id = ? AND person_id IN …) must still take the
    two-column index rather than walk every row of the organisation (measured in
    bench/linkage.py --only intake-db: 57 ms a check against 6.6 ms at 200,000 persons)."""
    with (
        scope(organisation=coordinator_a.organisation),
        CaptureQueriesContext(connection) as captured,
    ):
        list(
            Person.objects.filter(
                organisation=coordinator_a.organisation, pk=case_a.person.pk
            ).prefetch_related("names", "contacts", "identifiers")
        )
    expected = _organisation_person_indexes()
    plans = {}
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            table = next((t for t in expected if f'FROM "{t}"' in query["sql"]), None)
            if table:
                assert '"organisation_id" =' in query["sql"]  # the scope's filter is there
                cursor.execute(f"EXPLAIN QUERY PLAN {query['sql']}")  # nosec B608 - test's own SQL
                plans[table] = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert set(plans) == set(expected)
    for table, index in expected.items():
        assert index in plans[table], plans[table]
