"""The portal as an installable web app (manifest, service worker) and its push choices,
all under /portal/ (mounted by rehab_clinic/urls.py) so the service worker's scope is the
portal."""

from django.urls import path

from rehab_clinic.push import views

app_name = "push"

urlpatterns = [
    path("notifications/", views.push_settings, name="settings"),
    path("notifications/subscribe/", views.subscribe, name="subscribe"),
    path("notifications/unsubscribe/", views.unsubscribe, name="unsubscribe"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
]
