"""Users sign in by email; what they may do comes from their memberships of organisations."""

from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields):
        if not email:
            raise ValueError("Users must have an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.update(is_staff=True, is_superuser=True, is_super_admin=True)
        return self._create(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("email address", unique=True)
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    job_role = models.CharField(max_length=100, blank=True)
    # What a registrant typed when they chose "Other (or unable to find organisation)".
    unlisted_organisation = models.CharField(max_length=255, blank=True)
    # The national patient safety team (docs/spec/PRODUCT.md §1). Distinct from Django's is_superuser, which
    # only opens the Django admin site.
    is_super_admin = models.BooleanField("super admin", default=False)
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # Raised to end every session of the user at once (accounts.services.user_end_every_session): part of
    # the session's auth hash, so a session signed in before it no longer signs anyone in.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email

    def get_short_name(self) -> str:
        return self.first_name or self.email

    def _get_session_auth_hash(self, secret=None):
        """Django's HMAC of the password, and of the session epoch once it has been raised (epoch 0
        gives Django's own hash, so sessions from before the field keep working)."""
        if not self.session_epoch:
            return super()._get_session_auth_hash(secret)
        return salted_hmac(
            "accounts.User.session_epoch",
            f"{self.password}:{self.session_epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class AccountType(models.TextChoices):
    STANDARD = "standard", "Standard"
    ORGANISATIONAL = "organisational", "Organisational"
    ADMIN = "admin", "Admin"
    READ_ONLY = "read_only", "Read-only"


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    # Registered with an email outside nhs.net: waits for a super admin (docs/spec/PRODUCT.md §2).
    AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="memberships"
    )
    account_type = models.CharField(max_length=20, choices=AccountType.choices, default=AccountType.STANDARD)
    status = models.CharField(
        max_length=20, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_organisation")
        ]
        indexes = [models.Index(fields=["organisation", "account_type"], name="membership_org_type_idx")]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_account_type_display()})"

    @property
    def is_active(self) -> bool:
        return self.status == MembershipStatus.ACTIVE


class AuditLogEntry(models.Model):
    """Who did what to whose access, written in the same transaction as the change."""

    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_actions"
    )
    action = models.CharField(max_length=64)
    subject = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_entries"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL
    )
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        # The access decisions log of an organisation, newest first.
        indexes = [models.Index(fields=["organisation", "-created_at"], name="audit_org_created_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"

    @property
    def description(self) -> str:
        """What happened, for the access decisions log: "Approved organisational access"."""
        detail = self.detail or {}
        template = _ACCESS_LOG_DESCRIPTIONS.get(self.action, self.action)
        text = template.format(
            access=_access_label(detail.get("account_type")),
            previous=_access_label(detail.get("previous_account_type")),
        )
        if self.action == "membership_created" and detail.get("status") == MembershipStatus.AWAITING_APPROVAL:
            text += " (awaiting approval)"
        return text

    @property
    def reason(self) -> str:
        return (self.detail or {}).get("reason", "")


_ACCESS_LOG_DESCRIPTIONS = {
    "membership_created": "Added the organisation to their profile",
    "membership_removed": "Removed the organisation from their profile",
    "access_requested": "Requested {access}",
    "access_request_approved": "Approved {access}",
    "access_request_rejected": "Rejected {access}",
    "access_request_cancelled": "Cancelled their request for {access}",
    "access_revoked": "Revoked {previous}",
    "super_admin_revoked": "Revoked super admin access",
}


def _access_label(value: str | None) -> str:
    if not value:
        return "access"
    label = RequestedAccess(value).label if value in RequestedAccess.values else value
    return f"{label.lower()} access"


class RequestedAccess(models.TextChoices):
    """What an access request asks for: an account type for one organisation, or super admin."""

    # Only for registrations and additions outside nhs.net, which a super admin approves.
    STANDARD = AccountType.STANDARD.value, "Standard"
    ORGANISATIONAL = AccountType.ORGANISATIONAL.value, "Organisational"
    ADMIN = AccountType.ADMIN.value, "Admin"
    READ_ONLY = AccountType.READ_ONLY.value, "Read-only"
    # National: no organisation. Another super admin decides (never the requester).
    SUPER_ADMIN = "super_admin", "Super admin"


class AccessRequestStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    CANCELLED = "cancelled", "Cancelled"


class AccessRequest(models.Model):
    """A user's request for more access, decided once by an admin or a super admin
    (docs/adr/0006-access-requests.md)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="access_requests")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="access_requests",
    )
    account_type = models.CharField(max_length=20, choices=RequestedAccess.choices)
    status = models.CharField(
        max_length=20, choices=AccessRequestStatus.choices, default=AccessRequestStatus.PENDING
    )
    # Why it was rejected, when the decider gave a reason.
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="access_decisions"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "account_type"],
                condition=models.Q(status="pending"),
                name="one_pending_request_per_access",
            ),
            # The constraint above cannot catch these: NULL organisations are all distinct.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending", account_type="super_admin"),
                name="one_pending_super_admin_request",
            ),
            models.CheckConstraint(
                condition=models.Q(account_type="super_admin", organisation__isnull=True)
                | (~models.Q(account_type="super_admin") & models.Q(organisation__isnull=False)),
                name="access_request_organisation_unless_super_admin",
            ),
            models.CheckConstraint(
                condition=models.Q(status="pending", decided_at__isnull=True)
                | (~models.Q(status="pending") & models.Q(decided_at__isnull=False)),
                name="access_request_decided_at_unless_pending",
            ),
        ]
        indexes = [
            # The local admins' queue: pending requests of their organisations.
            models.Index(
                fields=["organisation", "created_at"],
                condition=models.Q(status="pending"),
                name="access_req_pending_org_idx",
            ),
            # The super admins' queue: pending requests by account type.
            models.Index(
                fields=["account_type", "created_at"],
                condition=models.Q(status="pending"),
                name="access_req_pending_type_idx",
            ),
            # "Manage my active access requests".
            models.Index(fields=["user", "status"], name="access_req_user_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.summary} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status == AccessRequestStatus.PENDING

    @property
    def access_label(self) -> str:
        """ "organisational access", "read-only access", "super admin access"."""
        return f"{self.get_account_type_display().lower()} access"

    @property
    def summary(self) -> str:
        """ "admin access to Leeds Teaching Hospitals NHS Trust (RR8)"."""
        if self.organisation_id is None:
            return self.access_label
        return f"{self.access_label} to {self.organisation}"


class ApiClient(models.Model):
    """A local risk management system (LRMS) allowed to submit through the FHIR API.

    Its key is shown once, when it is created, and only its SHA-256 hash is kept: the key is a long
    random secret, so a fast hash is enough and lets a request find its client by an indexed lookup.
    The prefix (the key's first characters) tells keys apart in lists without revealing them.
    """

    name = models.CharField(max_length=200)
    key_prefix = models.CharField(max_length=16)
    key_hash = models.CharField(max_length=64, unique=True)
    # The organisations it may submit for (and their sites and other organisations below them).
    organisations = models.ManyToManyField("organisations.Organisation", related_name="api_clients")
    # Requests per minute; empty: the FHIR_RATE_LIMIT setting.
    rate_limit = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ApiIdempotencyRecord(models.Model):
    """The response to a POST sent with an Idempotency-Key, replayed when the same request is retried.

    Written in the transaction that creates the record, so a retry either finds it or creates the
    record itself, never both. The body holds no raw free text (the API shows only redacted text).
    """

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="idempotency_records")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField(default=dict)
    response_location = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="one_response_per_idempotency_key")
        ]

    def __str__(self) -> str:
        return f"{self.client} {self.key}"


class ApiSubmission(models.Model):
    """How an event came through the API: which client sent it, for which of its organisations.

    Its presence is what "From online forms: no" means; the event itself is like any other.
    """

    event = models.OneToOneField("events.Event", on_delete=models.CASCADE, related_name="api_submission")
    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="submissions")
    # The organisation it was submitted for: every key of that organisation may read and update it.
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    data_sharing_opt_out = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "updated_at"], name="api_submission_org_idx")]

    def __str__(self) -> str:
        return f"{self.event} via {self.client}"
