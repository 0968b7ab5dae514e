from sightline.backlog.models import Status
from sightline.backlog.transitions import item_accept, item_reject
from sightline.sprints.services import sprint_close, sprint_start
from tests.conftest import make_sprint


def test_loop(po, client_po, make_item, project):
    s = make_sprint(po)
    a = make_item(Status.DELIVERED, sprint=s)
    b = make_item(Status.DELIVERED, sprint=s)
    item_accept(actor=client_po.user, membership=client_po, item=a)
    item_reject(actor=client_po.user, membership=client_po, item=b, reason="Button does nothing on mobile")
    s = sprint_start(actor=po.user, membership=po, sprint=s)
    s = sprint_close(actor=po.user, membership=po, sprint=s)
    assert s.velocity_points == 3 and s.rolled_over == [b.key]
