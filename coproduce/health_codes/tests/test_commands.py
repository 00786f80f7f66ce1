"""`coproduce keys rotate|list|import` and `coproduce verify PAYLOAD`."""

import io
import json

import pytest
from django.core.management import call_command

from coproduce.health_codes import rules, services
from coproduce.health_codes.models import ImportedKey, IssuingKey
from coproduce.health_codes.tokens import SigningKey, key_generate, token_claims, token_issue


def _run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_rotate_keeps_old_keys_in_the_trust_list(db):
    _run("keys", "rotate")
    _run("keys", "rotate")
    assert IssuingKey.objects.filter(retired_at__isnull=True).count() == 1
    listed = json.loads(_run("keys", "list")[0])["keys"]
    assert len(listed) == 2


def test_verify_prints_exactly_one_of_the_six_results(exercise, register, tmp_path):
    person = register(1)
    token = services.token_issue_for(person=person, kind="live", color=rules.Color.GREEN)
    assert _run("verify", token.payload)[0].strip() == "valid"
    assert _run("verify", "not a code")[0].strip() == "malformed"
    stranger: SigningKey = key_generate()
    claims = token_claims(kind="card", issuer="CN-SH", subject="X1", now=token.claims.issued_at)
    foreign = token_issue(claims=claims, key=stranger)
    assert _run("verify", foreign)[0].strip() == "unknown_key"
    # Importing the other issuer's trust list makes its codes recognized.
    from coproduce.health_codes.tokens import TrustedKey, trust_entry

    entry = trust_entry(
        TrustedKey(kid=stranger.kid, public_key=stranger.public_key, issuer="CN-SH")
    )
    path = tmp_path / "trust.json"
    path.write_text(json.dumps({"keys": [entry]}))
    _run("keys", "import", str(path))
    assert ImportedKey.objects.count() == 1
    assert _run("verify", foreign)[0].strip() == "valid"


@pytest.mark.parametrize("text", ["{}", "not json", '{"keys": [{"public_key": "x"}]}'])
def test_import_refuses_what_is_not_a_trust_list(db, tmp_path, text):
    from django.core.management.base import CommandError

    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(CommandError):
        _run("keys", "import", str(path))
    assert not ImportedKey.objects.exists()


def test_daily_recompute_runs_as_a_task_and_a_command(exercise, register, county_official):
    import datetime as dt

    from coproduce.health_codes.models import HealthCode
    from coproduce.health_codes.tasks import health_codes_recompute_daily
    from coproduce.health_codes.tests.conftest import DAY0

    person = register(1)
    services.condition_impose(
        person=person,
        kind="home_quarantine",
        reason="official_order",
        starts_on=DAY0 + dt.timedelta(days=1),
        actor=county_official,
        source="test:tomorrow",
    )
    exercise(DAY0 + dt.timedelta(days=1))
    result = health_codes_recompute_daily.enqueue()
    assert result.return_value == {"people": 1, "changed": 1, "created": 0}
    assert HealthCode.objects.get(pk=person.pk).color == "yellow"
    assert "1 codes recomputed" in _run("health_codes_recompute")[0]
