from django.core.management.base import BaseCommand, CommandError

from coproduce.accounts.models import RoleAssignment
from coproduce.accounts.services import RoleSpec, user_create
from coproduce.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Manage users: `user create NAME --role ROLE --region CODE [--org SLUG] [--password PW]`."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a user with scoped roles")
        create.add_argument("name")
        create.add_argument("--role", action="append", default=[], help="repeatable")
        create.add_argument("--region", action="append", default=[], help="one per --role")
        create.add_argument(
            "--org", action="append", default=[], help="one for all roles, or one per --role"
        )
        create.add_argument("--password", default=None)
        create.add_argument("--superuser", action="store_true")

    def handle(self, *args, action, **options):
        # The organization model, reached through the foreign key (accounts sits below orgs).
        Organization = RoleAssignment._meta.get_field("organization").related_model
        roles, regions, orgs = options["role"], options["region"], options["org"]
        if len(roles) != len(regions):
            raise CommandError("Give one --region for each --role.")
        if orgs and len(orgs) not in (1, len(roles)):
            raise CommandError("Give one --org for all roles, or one per --role.")
        org_ids: list[int | None] = []
        for slug in orgs:
            org = Organization.objects.filter(slug=slug).first()
            if org is None:
                raise CommandError(f"No organization has the slug {slug!r}.")
            org_ids.append(org.pk)
        if len(org_ids) == 1:
            org_ids = org_ids * len(roles)
        specs = [
            RoleSpec(role=r, region_code=g, organization_id=org_ids[i] if org_ids else None)
            for i, (r, g) in enumerate(zip(roles, regions, strict=True))
        ]
        try:
            user = user_create(
                username=options["name"],
                password=options["password"],
                roles=specs,
                is_superuser=options["superuser"],
            )
        except DomainError as exc:
            detail = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.fields.items())
            raise CommandError(f"{exc.message} {detail}".strip()) from None
        granted = ", ".join(f"{s.role} in {s.region_code}" for s in specs) or "no roles"
        self.stdout.write(f"Created {user.username} ({granted}).")
