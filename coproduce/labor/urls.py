from django.urls import path

from coproduce.labor import views

app_name = "labor"
urlpatterns = [
    path("", views.home, name="home"),
    path("postings/new/", views.posting_new, name="posting_new"),
    path("postings/<int:posting_id>/", views.posting_detail, name="posting"),
    path("postings/<int:posting_id>/change/", views.posting_change, name="posting_change"),
    path("postings/<int:posting_id>/withdraw/", views.posting_withdraw, name="posting_withdraw"),
    path("proposals/", views.proposal_list, name="proposals"),
    path("proposals/<int:proposal_id>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:proposal_id>/accept/", views.proposal_accept, name="proposal_accept"),
    path("proposals/<int:proposal_id>/refuse/", views.proposal_refuse, name="proposal_refuse"),
    path("board/", views.board, name="board"),
    path("runs/", views.run_create, name="run_create"),
    path("runs/<int:run_id>/", views.run_detail, name="run"),
    path("map/", views.labor_map, name="map"),
    path("employment/", views.employment_map, name="employment"),
    path("geo/<str:code>.geojson", views.geo_counties, name="geo"),
]
