"""Test data. Accounts come from factory-boy; domain data is made through the services, so
that tests see the same rows (encrypted fields, blind indexes, audit) that users create."""

import factory

from lifeline.accounts.models import Membership, Organisation, User
from lifeline.accounts.roles import Role
from lifeline.cases import services as case_services
from lifeline.people.services import ContactInput, NameInput, person_create

PASSWORD = "correct horse battery staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Network {n}")
    slug = factory.Sequence(lambda n: f"network-{n}")
    default_phone_region = "TH"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"User {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.COORDINATOR


def make_request(actor: Membership, **overrides):
    values = {
        "channel": "phone",
        "reporter_relation": "family",
        "subject_name": "张伟",
        "subject_contact_kind": "phone",
        "subject_contact": "+855 12 345 678",
        "location_text": "Sihanoukville, building C",
        "text": "My son says he is locked in and beaten. They took his passport.",
        "danger_signs": ["locked_in", "beaten", "passport_taken"],
    }
    values.update(overrides)
    return case_services.request_create(actor=actor, **values)


def make_person(actor: Membership, *names: str, phone: str | None = None, **kwargs):
    contacts = [ContactInput(kind="phone", value=phone)] if phone else []
    return person_create(
        actor=actor,
        names=[NameInput(value=n) for n in names or ("张伟",)],
        contacts=contacts,
        **kwargs,
    )


def make_case(actor: Membership, *, assignee: Membership | None = None, **request_overrides):
    req = make_request(actor, **request_overrides)
    case = case_services.request_open_case(actor=actor, req=req)
    if assignee is not None:
        case_services.case_assign(actor=actor, case=case, assignee=assignee)
    case.refresh_from_db()
    return case


def make_totp_device(user, *, confirmed=True):
    """An authenticator app for ``user`` (confirmed: as after enrolment)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="phone", confirmed=confirmed)


def totp_code(device, *, steps_ahead=0) -> str:
    """The code ``device``'s app shows now (or ``steps_ahead`` periods later: a code may be
    used once only, so a second login within the same 30 seconds takes the next one)."""
    import time

    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def make_site(actor: Membership, **overrides):
    """A compound in Myawaddy (Myanmar), with a point; no status until a claim is made."""
    from lifeline.sites import services as site_services

    values = {
        "name": "Golden Gate Park",
        "kind": "compound",
        "country": "MM",
        "province": "Kayin",
        "town": "Myawaddy",
        "aliases": ["金门园区"],
        "latitude": 16.6920,
        "longitude": 98.5063,
        "indicators": ["perimeter_wall", "cctv"],
    }
    values.update(overrides)
    return site_services.site_create(actor=actor, **values)


def claim(actor: Membership, site, status: str, on: str = "2026-01-10", **overrides):
    import datetime

    from lifeline.sites import services as site_services

    values = {
        "source": "Partner field report",
        "reliability": "B",
        "credibility": 2,
    }
    values.update(overrides)
    return site_services.site_claim_status(
        actor=actor,
        site=site,
        status=status,
        claimed_on=datetime.date.fromisoformat(on),
        **values,
    )
