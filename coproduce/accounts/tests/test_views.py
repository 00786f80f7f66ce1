"""Sign-in, the home page of each role, and the language switch."""

import pytest

from coproduce.accounts.navigation import MODULES, _url

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


def modules(answer) -> list[str]:
    html = answer.content.decode()
    return [chunk.split('"', 1)[0] for chunk in html.split('data-module="')[1:]]


def built(names: list[str]) -> list[str]:
    """The modules whose first page exists in this deployment (apps still being built have none:
    their tiles stay hidden until their pages are merged)."""
    return [n for n in names if _url(MODULES[n].url_name) is not None]


def test_the_home_page_asks_for_sign_in(client, regions):
    # Anyone not signed in gets the public landing page (issue 16), with the sign-in beside it.
    answer = client.get("/")
    assert answer.status_code == 200
    assert 'action="/login/"' in answer.content.decode()
    assert 'data-module="' not in answer.content.decode()


def test_sign_in_with_the_right_password(client, county_official):
    answer = client.post("/login/", {"username": "county_official", "password": PASSWORD})
    assert answer.status_code == 302 and answer["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_wrong_password_shows_the_error(client, county_official):
    answer = client.post("/login/", {"username": "county_official", "password": "wrong"})
    assert answer.status_code == 200
    assert "did not match" in answer.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_out_ends_the_session(client, county_official):
    client.force_login(county_official)
    assert client.post("/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_resident_sees_the_resident_modules(client, resident):
    client.force_login(resident)
    assert modules(client.get("/")) == built(["resident", "deliveries", "care", "visits"])


def test_a_county_official_sees_the_official_modules(client, county_official):
    client.force_login(county_official)
    answer = client.get("/")
    # Stage 1 (no stage set): the modules of its roles (tracing, donations) first.
    assert modules(answer) == built(
        [
            "health_codes",
            "checkpoints",
            "tracing",
            "relief",
            "people",
            "recovery",
            "labor",
            "care",
            "organizations",
            "dashboard",
            "stages",
        ]
    )
    html = answer.content.decode()
    assert "Health official · 330111" in html
    assert 'href="/people/"' in html


def test_an_outsider_sees_no_module_and_is_told_why(client, outsider):
    client.force_login(outsider)
    answer = client.get("/")
    assert modules(answer) == []
    assert "no role yet" in answer.content.decode()


def test_a_superuser_sees_the_back_office(client, regions):
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", "", PASSWORD)
    client.force_login(root)
    answer = client.get("/")
    assert "admin" in modules(answer)
    assert 'href="/admin/"' in answer.content.decode()


def test_the_page_works_on_a_phone(client, county_official):
    client.force_login(county_official)
    html = client.get("/").content.decode()
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in html


def test_switching_to_chinese_shows_chinese(client, county_official):
    client.force_login(county_official)
    answer = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert answer.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="zh-hans">' in html
    assert "欢迎您" in html and "退出登录" in html
    assert "人员管理" in html  # the People module
    assert "卫生健康工作人员" in html  # the role
    assert "Sign out" not in html


def test_switching_back_to_english(client, county_official):
    client.force_login(county_official)
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Sign out" in client.get("/").content.decode()


def test_the_login_page_in_chinese(client, regions):
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/login/"})
    html = client.get("/login/").content.decode()
    assert "用户名" in html and "密码" in html


def test_a_refusal_says_whom_the_page_is_for_never_a_permission(client, checkpoint_staff):
    client.force_login(checkpoint_staff)
    answer = client.get("/codes/officials/")
    html = answer.content.decode()
    assert answer.status_code == 403
    assert "This page is for coordinators of community organizations" in html
    assert "health_codes.view" not in html and "Back to the home page" in html
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404 and "Page not found" in missing.content.decode()


def test_every_page_carries_the_navigation_and_a_way_back(client, checkpoint_staff):
    client.force_login(checkpoint_staff)
    html = client.get("/checkpoints/").content.decode()
    assert 'class="mainnav"' in html and 'rel="up"' in html
    assert 'data-nav="checkpoints"' in html and "favicon.svg" in html
