"""`coproduce user create` and `coproduce token create`, as API.md gives them."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from coproduce.accounts.models import RoleAssignment, User

pytestmark = pytest.mark.django_db


def test_user_create_with_several_roles_and_an_organization(regions, fuyang_org, capsys):
    call_command(
        "user",
        "create",
        "liu",
        "--role",
        "cbo_coordinator",
        "--region",
        "330111",
        "--role",
        "volunteer",
        "--region",
        "330111001",
        "--org",
        "fuyang-volunteers",
        "--password",
        "a-long-test-password",
    )
    assert "Created liu (cbo_coordinator in 330111, volunteer in 330111001)" in (
        capsys.readouterr().out
    )
    user = User.objects.get(username="liu")
    assert user.check_password("a-long-test-password")
    assert set(
        RoleAssignment.objects.filter(user=user).values_list("role", "region", "organization")
    ) == {("cbo_coordinator", "330111", fuyang_org.pk), ("volunteer", "330111001", fuyang_org.pk)}


def test_user_create_with_one_org_per_role(regions, fuyang_org, yuhang_org):
    call_command(
        "user",
        "create",
        "zhou",
        *("--role", "volunteer", "--region", "330111", "--org", "fuyang-volunteers"),
        *("--role", "volunteer", "--region", "330110", "--org", "yuhang-volunteers"),
    )
    assert set(RoleAssignment.objects.values_list("region", "organization")) == {
        ("330111", fuyang_org.pk),
        ("330110", yuhang_org.pk),
    }


@pytest.mark.parametrize(
    "args, message",
    [
        (["--role", "tracer"], "one --region for each --role"),
        (["--role", "tracer", "--region", "999"], "No region has the code"),
        (["--role", "mayor", "--region", "330111"], "is not one of"),
        (["--role", "tracer", "--region", "330111", "--org", "nobody"], "No organization"),
        (["--password", "123"], "too weak"),
    ],
)
def test_user_create_refuses_bad_arguments(regions, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("user", "create", "bad", *args)
    assert not User.objects.filter(username="bad").exists()


def test_user_create_refuses_a_taken_name(regions, tracer):
    with pytest.raises(CommandError, match="taken"):
        call_command("user", "create", "tracer")


def test_token_create_prints_a_working_token_as_the_last_line(regions, county_official, capsys):
    call_command("token", "create", "county_official", "--label", "scanner-7")
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) >= 2 and "scanner-7" in lines[0]
    key = lines[-1]
    answer = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {key}"})
    assert answer.status_code == 200
    assert answer.json()["username"] == "county_official"


def test_token_create_for_an_unknown_user_fails(regions):
    with pytest.raises(CommandError, match="No active user"):
        call_command("token", "create", "ghost")
