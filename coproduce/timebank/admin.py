"""Back office of the Voluntary Bank: partners (banks, shops, services) and their offers."""

from django.contrib import admin

from coproduce.core import clock
from coproduce.timebank.models import Offer, Partner


class OfferInline(admin.TabularInline):
    model = Offer
    extra = 0
    fields = ["title", "price_minutes", "active"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "active", "created_at"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "slug", "region__name"]
    autocomplete_fields = ["region"]
    filter_horizontal = ["staff"]
    inlines = [OfferInline]
    readonly_fields = ["created_at"]

    def save_model(self, request, obj, form, change):
        if obj.created_at is None:
            obj.created_at = clock.now()
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for offer in formset.save(commit=False):
            if offer.created_at is None:
                offer.created_at = clock.now()
            offer.save()
        for gone in formset.deleted_objects:
            gone.delete()
        formset.save_m2m()


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["title", "partner", "price_minutes", "active"]
    list_filter = ["active", "partner__kind"]
    search_fields = ["title", "partner__name"]
    list_select_related = ["partner"]
    readonly_fields = ["created_at"]

    def save_model(self, request, obj, form, change):
        if obj.created_at is None:
            obj.created_at = clock.now()
        super().save_model(request, obj, form, change)
