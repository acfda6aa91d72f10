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


class PendingPush(models.Model):
    """A notification to send to one person's browsers, committed with the change that asked.

    The outbox message that carries it names only this row's key (`push.deliver`), so the text
    never sits in Redis, and a push asked for while the broker is down waits here until the
    outbox sweep hands it over. The text is neutral by contract (docs/push.md): no clinical word
    is ever stored or sent. A delivery first claims the row, so a message the sweep sent again
    pushes once.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_pushes"
    )
    title = models.CharField(max_length=80)
    body = models.CharField(max_length=240)
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # How many browsers the push services accepted; null until a delivery ran.
    delivered = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        state = "claimed" if self.claimed_at else "waiting"
        return f"Push {self.pk} to user {self.user_id} ({state})"
