"""A browser's push subscription: where to send a notification for one signed-in person."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class PushSubscription(models.Model):
    """One browser on one device, as `PushManager.subscribe()` described it.

    The endpoint is the push service's URL for that browser; it is unique, so a phone shared by
    two accounts notifies the one that turned notifications on last. `p256dh` and `auth` are the
    browser's keys for encrypting the payload (RFC 8291), base64url as the browser gave them.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=1000)
    p256dh = models.CharField("browser public key", max_length=200)
    auth = models.CharField("browser auth secret", max_length=100)
    created_at = models.DateTimeField(default=timezone.now)
    last_success_at = models.DateTimeField(null=True, blank=True)
    failure_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["endpoint"], name="push_subscription_endpoint_unique")
        ]

    def __str__(self) -> str:
        return f"Push subscription {self.pk} of user {self.user_id}"

    def as_subscription_info(self) -> dict[str, object]:
        """The shape `pywebpush.webpush` reads."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}
