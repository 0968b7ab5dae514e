"""Digests benchmark: this week's client and team digests of 100 projects, built, rendered and sent.

    .venv/bin/python bench/digests.py [--projects 100] [--items 40]

In a fresh SQLite file in a temporary folder, it migrates and bulk-creates ``--projects`` projects, each
with five members (agency PO, developer, tester, client PO, stakeholder), a closed and an active sprint,
``--items`` items spread over the workflow (delivered, accepted this week, rejected with a reason, in
progress, ready) and the history events of this week. It then times ``digests_send`` for every project
and both audiences, sending through Django's in-memory email backend, and prints one JSON object:
``{projects, digests, seconds, cpu_seconds, queries, load_average}`` (``cpu_seconds``: this
process's own CPU time, a steadier figure when other work shares the machine).
The target (PRODUCT.md §9) is under 10 s.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def seed(projects: int, items: int) -> None:
    from django.utils import timezone

    from sightline.accounts.models import User
    from sightline.audit.models import AuditEvent
    from sightline.backlog.models import AcceptanceDecision, Item, Status
    from sightline.projects.models import Membership, Project, Role
    from sightline.sprints.models import Sprint

    now = timezone.now()
    today = timezone.localdate()
    roles = [Role.AGENCY_PO, Role.DEVELOPER, Role.TESTER, Role.CLIENT_PO, Role.CLIENT_STAKEHOLDER]
    cycle = [Status.DELIVERED, Status.ACCEPTED, Status.REJECTED, Status.IN_PROGRESS, Status.READY]
    for n in range(projects):
        key = "P" + "".join(chr(65 + int(d)) for d in f"{n:03d}")
        project = Project.objects.create(key=key, name=f"Project {key}", client_name=f"Client {key}")
        people = User.objects.bulk_create(
            [User(email=f"{role}.{key.lower()}@bench.test", full_name=f"{role} {key}") for role in roles]
        )
        Membership.objects.bulk_create(
            [Membership(project=project, user=u, role=r) for u, r in zip(people, roles, strict=True)]
        )
        po, client = people[0], people[3]
        Sprint.objects.create(
            project=project,
            number=1,
            goal="The first release",
            start_date=today - timedelta(days=21),
            end_date=today - timedelta(days=8),
            state="closed",
            velocity_points=21,
        )
        sprint = Sprint.objects.create(
            project=project,
            number=2,
            goal="Buyers pay with a saved card",
            start_date=today - timedelta(days=7),
            end_date=today + timedelta(days=6),
            state="active",
        )
        rows = []
        for i in range(items):
            status = cycle[i % len(cycle)]
            rows.append(
                Item(
                    project=project,
                    number=i + 1,
                    key=f"{key}-{i + 1}",
                    title=f"Item {i + 1} of {key}",
                    status=status,
                    points=3,
                    rank=i,
                    sprint=sprint if status != Status.READY else None,
                    staging_url="https://staging.bench.test/x" if status == Status.DELIVERED else "",
                    delivered_at=now - timedelta(days=2) if status == Status.DELIVERED else None,
                    accepted_at=now - timedelta(days=1) if status == Status.ACCEPTED else None,
                    accepted_by=client if status == Status.ACCEPTED else None,
                    rejection_reason="The total is wrong on the invoice" if status == Status.REJECTED else "",
                )
            )
        created = Item.objects.bulk_create(rows)
        Project.objects.filter(pk=project.pk).update(item_sequence=items)
        AcceptanceDecision.objects.bulk_create(
            [
                AcceptanceDecision(
                    item=i, sprint=sprint, outcome="rejected", reason=i.rejection_reason, decided_by=client
                )
                for i in created
                if i.status == Status.REJECTED
            ]
        )
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(
                    project=project,
                    item=i,
                    actor=po,
                    at=now - timedelta(days=1),
                    action="item.transitioned",
                    target_type="item",
                    target_id=i.pk,
                    target_label=str(i),
                    changes={"status": ["planned", i.status]},
                )
                for i in created
            ]
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--projects", type=int, default=100)
    parser.add_argument("--items", type=int, default=40)
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="sightline-bench-digests-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sightline.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core import mail
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sightline.digests.services import digests_send

    call_command("migrate", verbosity=0)
    seed(args.projects, args.items)
    mail.outbox = []
    with CaptureQueriesContext(connection) as queries:
        started, cpu = time.perf_counter(), time.process_time()
        outcomes = digests_send()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    sent = sum(1 for o in outcomes if o.status == "sent")
    print(
        json.dumps(
            {
                "projects": args.projects,
                "items_per_project": args.items,
                "digests": sent,
                "emails": len(mail.outbox),
                "seconds": round(seconds, 2),
                "cpu_seconds": round(cpu, 2),
                "queries": len(queries),
                "load_average": round(os.getloadavg()[0], 2),
            }
        )
    )


if __name__ == "__main__":
    main()
