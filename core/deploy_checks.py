"""System checks of production settings (`manage.py check --deploy`)."""

import os

from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def backup_key_check(app_configs=None, **kwargs) -> list:
    """A production server without a usable backup key would find out only when the nightly backup fails."""
    from core.backup import BackupError, load_key

    try:
        load_key()
    except BackupError as error:
        message = str(error)
        if "not set" in message:
            return [Warning(message, hint="Set SIMPUL_BACKUP_KEY in the server's environment.", id="simpul.W001")]
        return [Error(message, id="simpul.E001")]
    return []


@register(Tags.security, deploy=True)
def field_keys_check(app_configs=None, **kwargs) -> list:
    """Personal data is encrypted with SIMPUL_FIELD_KEYS; a production server on the development keys is not."""
    from django.conf import settings

    from core.crypto import _decode_key

    problems = []
    configured = (("SIMPUL_FIELD_KEYS", settings.FIELD_KEYS), ("SIMPUL_BLIND_INDEX_KEY", [settings.BLIND_INDEX_KEY]))
    for name, texts in configured:
        if not [text for text in texts if text] or (settings.DEBUG and not os.environ.get(name)):
            problems.append(Warning(f"{name} is not set in the environment: personal data would be stored with "
                                    "development keys or not at all.",
                                    hint="Generate keys with `manage.py rotate_keys --generate-key`.",
                                    id="simpul.W002"))
            continue
        try:
            for text in texts:
                _decode_key(text, name)
        except Exception as error:  # noqa: BLE001 - any malformed key is reported the same way
            problems.append(Error(str(error), id="simpul.E002"))
    return problems
