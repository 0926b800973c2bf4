"""Browser tests. ``log_in`` signs a member in through the real forms."""

from tests.factories import PASSWORD, make_totp_device, totp_code


def log_in(page, membership):
    """Password, then the code from the member's authenticator app (set up beforehand)."""
    device = make_totp_device(membership.user)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(membership.user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_label("Code").fill(totp_code(device))
    page.get_by_role("button", name="Verify").click()
