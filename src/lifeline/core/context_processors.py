from django.http import HttpRequest

from lifeline.core import crypto


def keys_state(request: HttpRequest) -> dict[str, object]:
    """Tells every signed-in page when the keys were shredded, so that it can say so."""
    if not request.user.is_authenticated:
        return {}
    return {"keys_destroyed_at": crypto.get_keyring().shredded_at}
