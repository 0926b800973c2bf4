from django.urls import path

from lifeline.linkage import views

app_name = "linkage"
urlpatterns = [
    path("duplicates/", views.queue, name="queue"),
    path("duplicates/run/", views.run_start, name="run_start"),
    path("duplicates/merges/", views.merge_history, name="merge_history"),
    path("duplicates/model/", views.model, name="model"),
    path("duplicates/partners/", views.partners, name="partners"),
    path("duplicates/partners/export/", views.encodings_export, name="encodings_export"),
    path("duplicates/partners/import/", views.encodings_import, name="encodings_import"),
    path("duplicates/merges/<uuid:uid>/undo/", views.merge_undo, name="merge_undo"),
    path("people/<uuid:uid>/pair/<uuid:other_uid>/", views.pair_detail, name="pair_detail"),
    path(
        "people/<uuid:uid>/pair/<uuid:other_uid>/decision/", views.pair_decide, name="pair_decide"
    ),
]
