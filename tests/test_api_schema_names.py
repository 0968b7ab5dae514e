"""Every request and response schema of the API has its own name in the OpenAPI document.

django-ninja keys components by class name, so two schemas called the same would silently share one
description and the published contract would show the wrong fields for one of the endpoints.
"""

import collections

from pydantic import BaseModel

from sightline.api.api import api  # noqa: F401  (imports every router and its schemas)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_schema_class_names_are_unique_across_the_api():
    modules = collections.defaultdict(set)
    for schema in _subclasses(BaseModel):
        if schema.__module__.startswith("sightline."):
            modules[schema.__name__].add(schema.__module__)
    clashes = {name: sorted(mods) for name, mods in modules.items() if len(mods) > 1}
    assert clashes == {}


def test_the_decision_request_body_documents_its_own_fields():
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    body = schema["paths"]["/api/v1/projects/{key}/decisions"]["post"]["requestBody"]
    name = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert {"question", "options", "due_date"} <= set(components[name]["properties"])
