"""Secrets from the Robocorp vault (Control Room, or a local vault file) or the environment.

Environment first, so a developer can override one secret without a vault:
RECEIVABLES_SECRET_<NAME>_<KEY> (e.g. RECEIVABLES_SECRET_BANK_PORTAL_PASSWORD). Otherwise the
Robocorp vault, which Control Room provides and which reads a local file when
RC_VAULT_SECRET_MANAGER=FileSecrets and RC_VAULT_SECRETS_FILE are set.
"""

from __future__ import annotations

import os


class SecretMissing(LookupError):
    pass


def _vault_configured() -> bool:
    return bool(os.environ.get("RC_VAULT_SECRET_MANAGER") or os.environ.get("RC_API_SECRET_HOST"))


def get_secret(name: str, keys: tuple[str, ...]) -> dict[str, str]:
    """All `keys` of secret `name`; SecretMissing names what is missing and where it was looked for."""
    prefix = f"RECEIVABLES_SECRET_{name.upper()}_"
    found = {k: os.environ[prefix + k.upper()] for k in keys if prefix + k.upper() in os.environ}
    if len(found) < len(keys) and _vault_configured():
        from robocorp import vault

        try:
            secret = vault.get_secret(name)
        except Exception as exc:  # the vault's own errors differ between Control Room and file mode
            raise SecretMissing(f"secret {name!r}: vault lookup failed ({type(exc).__name__})") from None
        for key in keys:
            if key not in found and key in secret:
                found[key] = str(secret[key])
    missing = [k for k in keys if k not in found]
    if missing:
        raise SecretMissing(
            f"secret {name!r} lacks {', '.join(missing)}: set it in the Robocorp vault or as "
            + ", ".join(prefix + k.upper() for k in missing)
        )
    return found
