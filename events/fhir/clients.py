"""API keys for LRMS clients: created and revoked by super admins, each change audited."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import ApiClient, AuditLogEntry
from accounts.permissions import Action, allows
from organisations.models import Organisation

from .auth import NewKey, key_generate


class ApiClientRefused(Exception):
    """The actor may not manage API keys, or the change makes no sense; the message says why."""


def api_clients_visible_to(user) -> QuerySet[ApiClient]:
    if not allows(user, Action.MANAGE_API_CLIENTS):
        return ApiClient.objects.none()
    return ApiClient.objects.prefetch_related("organisations").select_related("created_by", "revoked_by")


@transaction.atomic
def api_client_create(
    *, name: str, organisations: Iterable[Organisation], rate_limit: int | None, actor
) -> tuple[ApiClient, str]:
    """A new client and its key; the key is returned once and never stored."""
    if not allows(actor, Action.MANAGE_API_CLIENTS):
        raise ApiClientRefused("Only super admins can create API keys.")
    organisations = list(organisations)
    if not organisations:
        raise ApiClientRefused("Choose at least one organisation the key may submit for.")
    new: NewKey = key_generate()
    client = ApiClient.objects.create(
        name=name.strip(), key_prefix=new.prefix, key_hash=new.hash, rate_limit=rate_limit, created_by=actor
    )
    client.organisations.set(organisations)
    AuditLogEntry.objects.create(
        actor=actor,
        action="api_client_created",
        detail={
            "client": client.pk,
            "name": client.name,
            "prefix": client.key_prefix,
            "organisations": sorted(o.ods_code for o in organisations),
        },
    )
    return client, new.key


@transaction.atomic
def api_client_revoke(*, client: ApiClient, actor) -> ApiClient:
    """Stops the key working at once; the client and what it sent stay."""
    if not allows(actor, Action.MANAGE_API_CLIENTS):
        raise ApiClientRefused("Only super admins can revoke API keys.")
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    if client.revoked_at is not None:
        raise ApiClientRefused("This API key was already revoked.")
    client.revoked_at = timezone.now()
    client.revoked_by = actor
    client.save(update_fields=["revoked_at", "revoked_by"])
    AuditLogEntry.objects.create(
        actor=actor,
        action="api_client_revoked",
        detail={"client": client.pk, "name": client.name, "prefix": client.key_prefix},
    )
    return client
