"""Public pages: channels (R14), filing, tracking (R16, R17)."""

from django.urls import path

from ..views import public

urlpatterns = [
    path("channels/", public.channels, name="channels"),
    path("channels/<int:pk>/card/", public.channel_card, name="channel-card"),
    path("file/", public.file, name="file"),
    path("track/", public.track, name="track"),
    path("track/result/", public.track_result, name="track-result"),
    path("track/receipt/", public.track_receipt, name="track-receipt"),
    path("track/material/", public.track_material, name="track-material"),
    path("track/rate/", public.track_rate, name="track-rate"),
]
