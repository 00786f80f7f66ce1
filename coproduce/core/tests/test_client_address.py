"""The client's address behind trusted reverse proxies (issue 18, point 9)."""

import ipaddress

from hypothesis import given
from hypothesis import strategies as st

from coproduce.core.origin import client_address

PROXIES = (ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("::1/128"))


def test_no_trusted_proxy_means_remote_addr():
    assert client_address("10.0.0.2", "203.0.113.9", ()) == "10.0.0.2"


def test_an_untrusted_peer_cannot_name_another_address():
    assert client_address("203.0.113.66", "198.51.100.1", PROXIES) == "203.0.113.66"


def test_the_rightmost_untrusted_hop_is_the_client():
    forwarded = "1.2.3.4, 198.51.100.7, 10.0.0.9"  # the client may have written 1.2.3.4
    assert client_address("10.0.0.2", forwarded, PROXIES) == "198.51.100.7"


def test_a_missing_or_malformed_header_leaves_the_proxy():
    assert client_address("10.0.0.2", None, PROXIES) == "10.0.0.2"
    assert client_address("10.0.0.2", "not-an-ip", PROXIES) == "10.0.0.2"
    assert client_address("::1", "[2001:db8::5]:443", PROXIES) == "2001:db8::5"


@given(st.lists(st.ip_addresses(v=4).map(str), max_size=6), st.ip_addresses(v=4).map(str))
def test_the_answer_is_the_peer_or_a_hop_of_the_header(hops, peer):
    answer = client_address(peer, ", ".join(hops), PROXIES)
    assert answer == peer or answer in hops
    if not any(ipaddress.ip_address(peer) in n for n in PROXIES):
        assert answer == peer
