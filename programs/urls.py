from django.urls import include, path

app_name = "programs"

urlpatterns: list = []
urlpatterns += [path("", include("programs.rtr_urls"))]
