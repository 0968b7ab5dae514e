from ninja import NinjaAPI

api = NinjaAPI(title="Sightline API", version="1", urls_namespace="api")
