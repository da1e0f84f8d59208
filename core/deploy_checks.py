"""System checks of production settings (`manage.py check --deploy`)."""

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
