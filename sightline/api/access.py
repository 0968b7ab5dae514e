"""Finding a project for an API caller, with the same answers as the pages: 404 for outsiders (and for
keys that cannot exist, before they reach the database), 403 for a role that may not."""

import re

from django.http import Http404

from sightline.projects.models import Membership, Project
from sightline.projects.policy import get_project_for

PROJECT_KEY = re.compile(r"[A-Z]{2,10}")


def project_for(request, key: str, perm: str = "project.view") -> tuple[Project, Membership]:
    if not PROJECT_KEY.fullmatch(key):
        raise Http404("No such project.")
    return get_project_for(request.auth, key, perm)
