"""The `messaging` namespace: the clinic's pages under /messages/, the patient's under /portal/
(both mounted at the root by rehab_clinic/urls.py)."""

from django.urls import URLPattern, URLResolver, include, path

from rehab_clinic.messaging import portal_views, views

app_name = "messaging"

staff_urlpatterns: list[URLPattern | URLResolver] = [
    path("episodes/<int:pk>/", views.thread, name="thread"),
    path("episodes/<int:pk>/send/", views.send, name="send"),
    path("episodes/<int:pk>/read/", views.mark_read, name="read"),
    path("photos/<int:pk>/", views.photo, name="photo"),
]

portal_urlpatterns: list[URLPattern | URLResolver] = [
    path("", portal_views.portal_thread, name="portal_thread"),
    path("episodes/<int:pk>/", portal_views.portal_episode_thread, name="portal_episode_thread"),
    path("episodes/<int:pk>/send/", portal_views.portal_send, name="portal_send"),
    path("episodes/<int:pk>/read/", portal_views.portal_mark_read, name="portal_read"),
    path("photos/<int:pk>/", portal_views.portal_photo, name="portal_photo"),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("messages/", include(staff_urlpatterns)),
    path("portal/messages/", include(portal_urlpatterns)),
]
