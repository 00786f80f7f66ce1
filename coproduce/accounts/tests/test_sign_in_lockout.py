"""Sign-in limits that cannot lock people out (issue 18, point 9), through the real pages."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from coproduce.accounts.devices import COOKIE
from coproduce.accounts.rules import SignInVerdict
from coproduce.accounts.services import sign_in_failure_record
from coproduce.accounts.tests.test_sign_in_limits import PASSWORD, fail, sign_in, signed_in

pytestmark = pytest.mark.django_db


def test_five_wrong_passwords_elsewhere_do_not_lock_the_official_out(county_official):
    attacker = Client(REMOTE_ADDR="203.0.113.66")
    fail(attacker, "county_official", times=5)
    assert sign_in(attacker, "county_official").status_code == 429  # the guesser is held back

    owner = Client(REMOTE_ADDR="198.51.100.20")
    assert sign_in(owner, "county_official").status_code == 302
    assert signed_in(owner)


def test_failures_from_an_address_do_not_block_a_known_device_there(county_official):
    # The official signed in from this browser before, behind an office's shared address.
    owner = Client(REMOTE_ADDR="192.0.2.10")
    assert sign_in(owner, "county_official").status_code == 302
    assert COOKIE in owner.cookies
    owner.post("/logout/")
    # Someone at the same address guesses at many accounts, and at the official's too.
    noisy = Client(REMOTE_ADDR="192.0.2.10")
    for name in ["ghost-1", "ghost-2", "ghost-3", "ghost-4", "ghost-5"]:
        fail(noisy, name, times=5)
    fail(noisy, "county_official", times=5)
    assert sign_in(Client(REMOTE_ADDR="192.0.2.10"), "county_official").status_code == 429

    assert sign_in(owner, "county_official").status_code == 302
    assert signed_in(owner)


def test_many_addresses_lock_a_username_but_never_its_known_device(county_official):
    owner = Client(REMOTE_ADDR="198.51.100.20")
    assert sign_in(owner, "county_official").status_code == 302
    owner.post("/logout/")
    now = timezone.now()
    allowed = SignInVerdict(until={})
    for n in range(50):  # ten addresses, five each: the username-wide limit
        sign_in_failure_record(
            username="county_official",
            address=f"203.0.113.{n // 5}",
            before=allowed,
            now=now - timedelta(seconds=n),
        )
    stranger = sign_in(Client(REMOTE_ADDR="198.51.100.99"), "county_official")
    assert stranger.status_code == 429
    assert sign_in(owner, "county_official").status_code == 302


def test_a_known_device_has_its_own_limit(county_official):
    owner = Client(REMOTE_ADDR="198.51.100.20")
    assert sign_in(owner, "county_official").status_code == 302
    owner.post("/logout/")
    fail(owner, "county_official", times=5)
    assert sign_in(owner, "county_official").status_code == 429


def test_a_forged_device_cookie_is_no_known_device(county_official):
    attacker = Client(REMOTE_ADDR="203.0.113.66")
    attacker.cookies[COOKIE] = "forged:value"
    fail(attacker, "county_official", times=5)
    assert sign_in(attacker, "county_official").status_code == 429


def test_behind_a_trusted_proxy_each_client_counts_apart(settings, county_official):
    import ipaddress

    settings.TRUSTED_PROXIES = (ipaddress.ip_network("10.0.0.0/8"),)
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    attacker = Client(**proxy, HTTP_X_FORWARDED_FOR="203.0.113.66, 10.0.0.1")
    fail(attacker, "county_official", times=5)
    assert sign_in(attacker, "county_official").status_code == 429
    # Another client through the same proxy is not the attacker.
    owner = Client(**proxy, HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert sign_in(owner, "county_official").status_code == 302


def test_a_forwarded_header_from_an_untrusted_peer_is_ignored(settings, county_official):
    import ipaddress

    settings.TRUSTED_PROXIES = (ipaddress.ip_network("10.0.0.0/8"),)
    attacker = Client(REMOTE_ADDR="203.0.113.66")
    for n in range(5):  # a new "address" each time, made up in the header
        attacker.defaults["HTTP_X_FORWARDED_FOR"] = f"198.51.100.{n}"
        fail(attacker, "county_official")
    assert sign_in(attacker, "county_official", PASSWORD).status_code == 429
