"""API of the roadmap: its routes (``routes``) and the schemas they take and give (``schemas``)."""

from sightline.roadmap.api.routes import router

__all__ = ["router"]
