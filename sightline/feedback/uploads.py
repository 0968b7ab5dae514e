"""Screenshots uploaded with feedback: images only, recognised by their first bytes (never by their
name or the type the browser claims), at most ``MAX_BYTES``."""

from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile

from sightline.lib.errors import InvalidInput

MAX_BYTES = 5 * 1024 * 1024
ALLOWED = "PNG, JPEG, GIF or WebP"


@dataclass(frozen=True)
class ImageKind:
    name: str
    extension: str
    content_type: str


PNG = ImageKind("PNG", "png", "image/png")
JPEG = ImageKind("JPEG", "jpg", "image/jpeg")
GIF = ImageKind("GIF", "gif", "image/gif")
WEBP = ImageKind("WebP", "webp", "image/webp")
KINDS = {kind.content_type: kind for kind in (PNG, JPEG, GIF, WEBP)}


def image_kind(head: bytes) -> ImageKind | None:
    """The image format whose signature ``head`` (the file's first 12 bytes or more) starts with."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return None


def _size_text(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{max(1, size // 1024)} KB"


def checked_screenshot(upload: UploadedFile) -> tuple[ContentFile, ImageKind, str]:
    """The upload's content, its image kind and its original name (shortened), or InvalidInput naming the
    ``screenshot`` field. The whole file is read into memory: at most ``MAX_BYTES``."""
    size = upload.size or 0
    if size > MAX_BYTES:
        raise InvalidInput(
            f"The screenshot is {_size_text(size)}; the limit is {_size_text(MAX_BYTES)}. "
            "Crop it or save it as JPEG.",
            field="screenshot",
        )
    if size == 0:
        raise InvalidInput("The screenshot file is empty.", field="screenshot")
    upload.seek(0)
    content = upload.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise InvalidInput(f"The screenshot is larger than {_size_text(MAX_BYTES)}.", field="screenshot")
    kind = image_kind(content[:16])
    if kind is None:
        raise InvalidInput(
            f"The screenshot must be an image ({ALLOWED}); this file is not one, whatever its name says.",
            field="screenshot",
        )
    original = (upload.name or "").replace("\\", "/").rsplit("/", 1)[-1][:200]
    return ContentFile(content, name=f"screenshot.{kind.extension}"), kind, original
