"""The sunset of accounts: names, e-mail addresses and phones; residents' own sign-ins."""

from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat

from coproduce.accounts.models import ApiToken, SignInFailure, User


def anonymize(*, actor) -> dict[str, int]:
    """Officials' accounts keep their usernames (the audit trail names them); every account
    loses its name, e-mail and phone; residents' accounts (linked to a person) are renamed and
    can no longer sign in; sign-in failures and API tokens go."""
    users = User.objects.exclude(Q(first_name="") & Q(last_name="") & Q(email="") & Q(phone=""))
    cleared = users.update(first_name="", last_name="", email="", phone="")
    residents = User.objects.filter(person__isnull=False).exclude(username__startswith="resident-")
    renamed = residents.update(
        username=Concat(Value("resident-"), Cast("id", output_field=CharField())),
        password="!sunset",  # an unusable password: no hash matches it
        is_active=False,
    )
    failures, _ = SignInFailure.objects.all().delete()
    tokens, _ = ApiToken.objects.all().delete()
    return {
        "accounts": cleared,
        "residents": renamed,
        "sign_in_failures": failures,
        "tokens": tokens,
    }
