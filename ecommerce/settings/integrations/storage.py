"""Static files and uploaded media: the local filesystem, or an S3-compatible bucket."""

from ecommerce.settings.environment import BASE_DIR, env

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded media (product images): this directory, served under MEDIA_URL by Django itself,
# unless AWS_STORAGE_BUCKET_NAME names an S3-compatible bucket (AWS S3, MinIO, R2, ...) that
# every web instance and worker shares, served by the bucket or AWS_S3_CUSTOM_DOMAIN.
MEDIA_ROOT = env("MEDIA_ROOT", str(BASE_DIR / "media"))
MEDIA_URL = env("MEDIA_URL", "/media/")
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL")
    AWS_ACCESS_KEY_ID = env("AWS_ACCESS_KEY_ID")
    AWS_SECRET_ACCESS_KEY = env("AWS_SECRET_ACCESS_KEY")
    AWS_S3_CUSTOM_DOMAIN = env("AWS_S3_CUSTOM_DOMAIN")
    # Public, unsigned addresses: the same URL for every reader, so cached catalog answers stay valid.
    AWS_QUERYSTRING_AUTH = False
    # Every name is new (a random one per upload): nothing is ever renamed or overwritten by chance.
    AWS_S3_FILE_OVERWRITE = True
    AWS_S3_OBJECT_PARAMETERS = {"CacheControl": "public, max-age=31536000, immutable"}
