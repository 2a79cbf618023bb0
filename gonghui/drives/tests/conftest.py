import pytest


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Imported files (the provider's result) are kept in a private storage: here, a temporary one."""
    settings.MEDIA_ROOT = str(tmp_path)
