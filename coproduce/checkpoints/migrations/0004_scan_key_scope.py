"""Scan keys scoped to the device's organization (issue 18): key_scope, filled for stored scans."""

from django.db import migrations, models

# The scope of stored scans, as rules.scan_key_scope gives it: the checkpoint's operator, else
# the checkpoint itself (plain SQL that SQLite and PostgreSQL both run).
FILL_KEY_SCOPE = """
UPDATE checkpoints_scan SET key_scope = COALESCE(
    (SELECT 'org:' || places_place.operator_id
       FROM checkpoints_checkpoint
       JOIN places_place ON places_place.id = checkpoints_checkpoint.place_id
      WHERE checkpoints_checkpoint.id = checkpoints_scan.checkpoint_id
        AND places_place.operator_id IS NOT NULL),
    'checkpoint:' || checkpoints_scan.checkpoint_id
)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("checkpoints", "0003_fk_indexes_covered"),
        ("places", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="scan",
            name="key_scope",
            field=models.CharField(default="", max_length=32),
        ),
        migrations.RunSQL(FILL_KEY_SCOPE, migrations.RunSQL.noop, elidable=False),
        migrations.RemoveConstraint(model_name="scan", name="scan_once_per_device_key"),
        migrations.AddConstraint(
            model_name="scan",
            constraint=models.UniqueConstraint(
                fields=("key_scope", "device_id", "idempotency_key"),
                name="scan_once_per_scoped_device_key",
            ),
        ),
    ]
