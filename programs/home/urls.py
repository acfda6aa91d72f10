"""Routes for home exercise programs (therapist and portal), included from programs/urls.py."""

from django.urls import path

from programs.home import portal_views, template_views, views

urlpatterns = [
    path("episodes/<int:episode_pk>/new/", views.program_start, name="start"),
    path("<int:pk>/", views.program_builder, name="builder"),
    path("<int:pk>/library/", views.library_search, name="library_search"),
    path("<int:pk>/items/add/", views.item_add, name="item_add"),
    path("<int:pk>/items/<int:item_pk>/", views.item_update, name="item_update"),
    path("<int:pk>/items/<int:item_pk>/remove/", views.item_remove, name="item_remove"),
    path("<int:pk>/items/<int:item_pk>/move/", views.item_move, name="item_move"),
    path("<int:pk>/modalities/add/", views.modality_add, name="modality_add"),
    path(
        "<int:pk>/modalities/<int:entry_pk>/remove/",
        views.modality_remove,
        name="modality_remove",
    ),
    path("<int:pk>/details/", views.program_details, name="details"),
    path("<int:pk>/publish/", views.program_publish, name="publish"),
    path("<int:pk>/save-template/", views.program_save_template, name="save_template"),
    path("<int:pk>/versions/<int:number>/", views.version_detail, name="version"),
    path("<int:pk>/adherence/", views.program_adherence, name="adherence"),
    path("templates/", template_views.template_list, name="templates"),
    path("templates/<int:pk>/", template_views.template_detail, name="template"),
    path("templates/<int:pk>/edit/", template_views.template_edit, name="template_edit"),
    path("templates/<int:pk>/archive/", template_views.template_archive, name="template_archive"),
    path("portal/today/", portal_views.portal_today, name="portal_today"),
    path("portal/week/", portal_views.portal_week, name="portal_week"),
    path("portal/program/", portal_views.portal_program, name="portal_program"),
    path("portal/versions/<int:pk>/", portal_views.portal_version, name="portal_version"),
    path("portal/versions/<int:pk>/done/", portal_views.portal_mark_done, name="portal_mark_done"),
    path("portal/adherence/", portal_views.portal_adherence, name="portal_adherence"),
]
