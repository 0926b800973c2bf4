import re

import pytest
from django.core.cache import cache
from django.test import Client


@pytest.fixture(autouse=True)
def intake_org(org_a, settings):
    settings.LIFELINE_INTAKE_ORGANISATION = org_a.slug
    cache.clear()  # rate-limit counters
    yield org_a
    cache.clear()


@pytest.fixture
def public():
    return Client()


TOKEN = re.compile(r'name="token" value="([^"]+)"')
CODE = re.compile(r'class="code">([^<]+)<')


def form_token(client: Client, path: str = "/help/") -> str:
    match = TOKEN.search(client.get(path).content.decode())
    assert match, "the form carries a one-time token"
    return match.group(1)


def sos_data(client: Client, **overrides) -> dict:
    data = {
        "token": form_token(client),
        "relation": "family",
        "names": "Nguyễn Văn An / 阿安",
        "contact_kind": "phone",
        "contact": "+66 81 234 5678",
        "contact_times": "after 22:00",
        "country": "KH",
        "town": "Sihanoukville",
        "compound": "Golden Fortune",
        "signs": ["beaten", "passport_taken"],
        "text": "He is held and cannot leave.",
        "duress": "mango",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def receipt_code(response) -> str:
    match = CODE.search(response.content.decode())
    assert match, response.content.decode()[:2000]
    return match.group(1)
