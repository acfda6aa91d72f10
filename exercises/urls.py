from django.urls import path

from exercises import views

app_name = "exercises"

urlpatterns = [
    path("", views.exercise_list, name="list"),
    path("new/", views.exercise_create, name="create"),
    path("<int:pk>/", views.exercise_detail, name="detail"),
    path("<int:pk>/edit/", views.exercise_edit, name="edit"),
    path("<int:pk>/duplicate/", views.exercise_duplicate, name="duplicate"),
    path("<int:pk>/archive/", views.exercise_archive, name="archive"),
    path("<int:pk>/hide/", views.exercise_hide, name="hide"),
    path("<int:pk>/illustration.svg", views.exercise_illustration, name="illustration"),
    path("<int:pk>/photos/new/", views.photo_upload, name="photo_upload"),
    path("<int:pk>/photos/<int:photo_pk>/delete/", views.photo_delete, name="photo_delete"),
    path("<int:pk>/photos/<int:photo_pk>/<str:size>.jpg", views.exercise_photo, name="photo"),
    path("modalities/", views.modality_list, name="modality_list"),
    path("modalities/new/", views.modality_create, name="modality_create"),
    path("modalities/<int:pk>/", views.modality_detail, name="modality_detail"),
    path("modalities/<int:pk>/edit/", views.modality_edit, name="modality_edit"),
    path("modalities/<int:pk>/duplicate/", views.modality_duplicate, name="modality_duplicate"),
    path("modalities/<int:pk>/archive/", views.modality_archive, name="modality_archive"),
    path("transfer/", views.library_transfer, name="transfer"),
    path("export.json", views.library_export, name="export"),
]
