"""A volunteer gives hours to a resident found with the person picker (no id to type)."""

import pytest
from django.test import Client

from coproduce.people.selectors import person_of_user
from coproduce.volunteers.tests.conftest import vol  # noqa: F401 - the volunteer's profile

pytestmark = pytest.mark.django_db


def test_the_gift_form_offers_the_picker_to_a_volunteer(vol, volunteer, resident):  # noqa: F811
    client = Client()
    client.force_login(volunteer)
    text = client.get("/timebank/").content.decode()
    assert 'data-picker="person"' in text and 'name="to_q"' in text
    found = client.get("/people/pick/", {"perm": "people.register", "name": "to", "to_q": "Wang"})
    assert person_of_user(user=resident).public_id in found.content.decode()
