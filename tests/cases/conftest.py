"""Case-file test helpers."""

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Personas are created for nearly every test here; hashing strength is not what these tests look at.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path) -> Path:
    """Uploads go to a temporary private root, as settings.STORAGES["default"] does under var/private."""
    root = tmp_path / "private"
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(root)}}}
    settings.MEDIA_ROOT = root
    return root
