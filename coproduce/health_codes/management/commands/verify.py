from django.core.management.base import BaseCommand

from coproduce.health_codes import services


class Command(BaseCommand):
    help = (
        "Verify a QR payload offline against the trust list; prints exactly one of valid, "
        "expired, not_yet_valid, bad_signature, unknown_key, malformed (then its message)."
    )

    def add_arguments(self, parser):
        parser.add_argument("payload", help="the text of the QR code, CP1:...")

    def handle(self, *args, payload, **options):
        result = services.payload_verify(payload=payload.strip())
        self.stdout.write(result.result.value)
        self.stderr.write(result.message)
        if result.claims is not None and result.result.value in {"valid", "expired"}:
            claims = result.claims
            color = f" {claims.color.value}" if claims.color else ""
            self.stderr.write(f"{claims.kind.value}{color} code of {claims.subject}")
