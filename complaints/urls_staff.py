"""Staff pages under /complaints/staff/: the register, decisions, handling, early warnings."""

urlpatterns = []
