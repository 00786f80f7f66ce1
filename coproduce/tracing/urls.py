from django.urls import path

from coproduce.tracing import assign_pages, case_pages, order_pages, views

app_name = "tracing"
urlpatterns = [
    path("", views.task_list, name="tasks"),
    path("tasks/<int:task_id>/", views.task_act, name="task_act"),
    path("tasks/assign/", assign_pages.task_assign_list, name="task_assign_list"),
    path("tasks/<int:task_id>/assign/", assign_pages.task_assign, name="task_assign"),
    path("cases/", views.case_list, name="cases"),
    path("cases/export.csv", views.case_export, name="cases_csv"),
    path("cases/new/", case_pages.case_new, name="case_new"),
    path("cases/<int:case_id>/", views.case_detail, name="case"),
    path("cases/<int:case_id>/interview/", case_pages.interview_add, name="interview"),
    path(
        "cases/<int:case_id>/quarantine/",
        order_pages.contacts_quarantine,
        name="contacts_quarantine",
    ),
    path("quarantine/new/", order_pages.order_new, name="order_new"),
    path("quarantine/sites/new/", order_pages.site_new, name="site_new"),
    path("cases/<int:case_id>/act/", views.case_action, name="case_act"),
    path("progress/", views.progress, name="progress"),
    path("chains/<str:cluster>/", views.chain, name="chain"),
    path("quarantine/", views.order_list, name="orders"),
]
