from django.db import connection

from lifeline.core import crypto
from lifeline.core.fields import UnreadableValue
from lifeline.people.models import Person, PersonName
from tests.factories import make_person


def test_it_stores_names_encrypted_and_reads_them_back(coordinator_a):
    person = make_person(coordinator_a, "张伟", birth_date=None)
    name = PersonName.objects.get(person=person)
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM people_personname WHERE id = %s", [name.pk])
        (raw,) = cursor.fetchone()
    assert raw.startswith("ll1.") and "张伟" not in raw
    assert PersonName.objects.get(pk=name.pk).value == "张伟"


def test_it_says_unreadable_instead_of_crashing_when_the_key_is_gone(coordinator_a):
    person = make_person(coordinator_a, "Somchai")
    previous = crypto.get_keyring()
    crypto.reset_keyring(crypto.Keyring.generate())
    try:
        value = PersonName.objects.get(person=person).value
    finally:
        crypto.reset_keyring(previous)
    assert isinstance(value, UnreadableValue)
    assert str(value) == "[unreadable]"


def test_it_refuses_lookups_on_ciphertext(coordinator_a):
    import pytest
    from django.core.exceptions import FieldError

    with pytest.raises(FieldError):
        list(PersonName.objects.filter(value__icontains="wei"))
    assert Person.objects.filter(notes__isnull=False).count() == 0
