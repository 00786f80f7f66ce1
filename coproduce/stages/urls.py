app_name = "stages"
urlpatterns: list = []
