import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Epics are placed in releases of the roadmap; the free-text target release goes."""

    dependencies = [
        ("backlog", "0003_item_acceptance_holder"),
        ("roadmap", "0001_initial"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="epic",
            name="target_release",
        ),
        migrations.AddField(
            model_name="epic",
            name="release",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="epics",
                to="roadmap.release",
            ),
        ),
    ]
