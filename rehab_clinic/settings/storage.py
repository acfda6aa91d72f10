"""Static files, uploads and generated files: where they live and how large an upload may be."""

from pathlib import Path

from rehab_clinic.env import env_bool, env_int, env_str
from rehab_clinic.settings.base import BASE_DIR, DEBUG

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))


# Uploads and generated PDFs: local disk, or an S3-compatible bucket when MEDIA_BUCKET is set.
# Either way they are read through the storage API and served only by access-checked views.
def media_storage_from_env() -> dict[str, object]:
    bucket = env_str("MEDIA_BUCKET")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "location": env_str("MEDIA_PREFIX"),
            # Unset: boto3's own chain (AWS_ENDPOINT_URL_S3, AWS_ACCESS_KEY_ID, instance roles).
            "endpoint_url": env_str("MEDIA_ENDPOINT_URL") or None,
            "region_name": env_str("MEDIA_REGION") or None,
            "access_key": env_str("MEDIA_ACCESS_KEY_ID") or None,
            "secret_key": env_str("MEDIA_SECRET_ACCESS_KEY") or None,
            # Objects stay private; never replace a file that already has the name.
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }


STORAGES = {
    "default": media_storage_from_env(),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("DJANGO_MANIFEST_STATIC", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
# The largest watch or phone run file (.fit, .gpx) a runner may upload to fill a run log.
RUN_FILE_MAX_BYTES = 5 * 1024 * 1024
# A run file read but not yet saved with a log is kept this long, then deleted (beat job).
RUN_FILE_PENDING_HOURS = env_int("RUN_FILE_PENDING_HOURS", 24, minimum=1)
