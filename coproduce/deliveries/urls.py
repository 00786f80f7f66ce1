app_name = "deliveries"
urlpatterns = []
