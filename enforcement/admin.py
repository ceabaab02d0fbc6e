from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal import scoping
from portal.admin_scoping import HistoryAdmin, RegionScopedAdminMixin, ScopedAdminMixin
from portal.roles import Role, role_of

from .models import Agency, EnforcementDomain, Officer, Region


@admin.register(Region)
class RegionAdmin(HistoryAdmin):
    list_display = ("name", "code", "level", "parent")
    list_filter = ("level",)
    search_fields = ("name", "code")
    list_select_related = ("parent",)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if role_of(request.user) == Role.SUPERVISOR:
            return qs.filter(path__startswith=request.user.region.path)
        return qs if role_of(request.user) == Role.SYSADMIN else qs.none()


@admin.register(EnforcementDomain)
class EnforcementDomainAdmin(admin.ModelAdmin):
    search_fields = ("name",)


@admin.register(Agency)
class AgencyAdmin(ScopedAdminMixin, HistoryAdmin):
    agency_field = "pk"
    list_display = ("name", "region", "kind", "management", "is_legal_office",
                    "is_establishment_office", "credit_code")  # fmt: skip
    list_filter = ("kind", "management", "is_legal_office", "is_establishment_office",
                   "region__level")  # fmt: skip
    search_fields = ("name", "credit_code")
    list_select_related = ("region",)
    filter_horizontal = ("domains",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "region" and role_of(request.user) == Role.SUPERVISOR:
            kwargs["queryset"] = Region.objects.filter(path__startswith=request.user.region.path)
        if db_field.name == "supervising_agency":
            # An upper agency may sit outside the supervisor's region (vertical management).
            kwargs["queryset"] = Agency.objects.all()
            return super(ScopedAdminMixin, self).formfield_for_foreignkey(
                db_field, request, **kwargs
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Officer)
class OfficerAdmin(ScopedAdminMixin, HistoryAdmin):
    list_display = ("name", "certificate_number", "agency", "certificate_status", "status_date")
    list_filter = ("certificate_status",)
    search_fields = ("name", "certificate_number")
    list_select_related = ("agency",)
    filter_horizontal = ("domains",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # The officer's login: a select of the active accounts of the agencies in the user's
        # scope, not a lookup in the accounts' admin, which only system administrators open.
        if db_field.name == "user":
            from portal.models import User

            kwargs["queryset"] = scoping.scope(
                User.objects.filter(is_active=True), request.user
            ).order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request):
        return (
            super().has_add_permission(request) and scoping.visible_agencies(request.user).exists()
        )


# --- Legal bases, changes, revision tasks (R2) and delegations (R4). Read-only here: every write
# goes through the services behind the supervision pages, which open tasks and keep history.
from .models import BasisChange, Delegation, LegalBasis, RevisionTask  # noqa: E402


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LegalBasis)
class LegalBasisAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    list_display = ("title", "issuer", "document_number", "level", "published_on", "status")
    list_filter = ("level", "status", "domains")
    search_fields = ("title", "issuer", "document_number")


@admin.register(BasisChange)
class BasisChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("kind", "basis", "agency", "published_on", "recorded_by", "recorded_at")
    list_filter = ("kind",)
    list_select_related = ("basis", "agency", "recorded_by")

    def get_queryset(self, request):
        # A function change belongs to its agency; basis changes concern every region.
        qs = super().get_queryset(request)
        if role_of(request.user) == Role.SYSADMIN:
            return qs
        return qs.filter(
            Q(agency__isnull=True) | Q(agency__in=scoping.visible_agencies(request.user))
        )


@admin.register(RevisionTask)
class RevisionTaskAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    agency_field = "agency"
    list_display = ("agency", "item", "change", "due_on", "due_provisional", "status",
                    "reminded_on", "escalated_on")  # fmt: skip
    list_filter = ("status", "due_provisional")
    list_select_related = ("agency", "item", "change__basis", "change__agency")


@admin.register(Delegation)
class DelegationAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, HistoryAdmin):
    agency_field = "delegating_agency"
    list_display = ("delegating_agency", "delegated_organisation", "starts_on", "ends_on",
                    "status")  # fmt: skip
    list_filter = ("status",)
    list_select_related = ("delegating_agency", "delegated_organisation")


# --- Fines (R30). A supervisor designates its region's collecting banks here; payments are read
# here only: they are entered on the case page through the service, which checks the receipt.
from .models import CollectingBank, FinePayment  # noqa: E402


@admin.register(CollectingBank)
class CollectingBankAdmin(HistoryAdmin):
    list_display = ("name", "region", "account_name", "account_number", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "account_name", "account_number")
    list_select_related = ("region",)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if role_of(request.user) == Role.SUPERVISOR and request.user.region_id:
            return qs.filter(region__path__startswith=request.user.region.path)
        return qs if role_of(request.user) == Role.SYSADMIN else qs.none()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "region" and role_of(request.user) == Role.SUPERVISOR:
            kwargs["queryset"] = Region.objects.filter(path__startswith=request.user.region.path)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _in_scope(self, request, obj) -> bool:
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._in_scope(request, obj)


@admin.register(FinePayment)
class FinePaymentAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, HistoryAdmin):
    agency_field = "decision__case__agency"
    list_display = ("receipt_number", "bank", "amount", "paid_on", "decision", "recorded_by",
                    "recorded_at")  # fmt: skip
    search_fields = ("receipt_number",)
    list_select_related = ("bank", "decision", "recorded_by")


# R13 and case-file review are recorded through their services on the case page; here they are
# only read, within the user's scope.
from .models import CaseFileReview, RemedyOutcome  # noqa: E402


@admin.register(RemedyOutcome)
class RemedyOutcomeAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, HistoryAdmin):
    agency_field = "case__agency"
    list_display = ("case", "kind", "reference", "decided_on", "outcome", "needs_screening",
                    "screened_at")  # fmt: skip
    list_filter = ("kind", "outcome", "needs_screening")
    list_select_related = ("case",)
    search_fields = ("reference", "body")


@admin.register(CaseFileReview)
class CaseFileReviewAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    agency_field = "case__agency"
    list_display = ("case", "reviewer", "reviewed_at", "total")
    list_select_related = ("case", "reviewer")


# --- R5: each region's catalogue of major decisions (重大执法决定法制审核目录), and the
# weights of the case-file checklist: settings a government keeps for its region and below.
# Saved through the services, which check the supervisor's region and keep history.
from .models import CaseFileChecklist, MajorDecisionCriteria, MajorDecisionType  # noqa: E402
from .services.decisions import (  # noqa: E402
    major_catalogue_entry_delete,
    major_catalogue_entry_save,
    major_criteria_save,
)
from .services.file_reviews import case_file_checklist_save  # noqa: E402


class MajorDecisionTypeInline(admin.TabularInline):
    model = MajorDecisionType
    extra = 1
    fields = ("kind", "min_fine", "domains", "description")
    filter_horizontal = ("domains",)


@admin.register(MajorDecisionCriteria)
class MajorDecisionCriteriaAdmin(RegionScopedAdminMixin, HistoryAdmin):
    list_display = ("region", "citizen_fine", "organisation_fine", "stop_production", "revocation",
                    "hearing", "outside_benchmark")  # fmt: skip
    list_select_related = ("region",)
    search_fields = ("region__name", "region__code")
    inlines = [MajorDecisionTypeInline]
    fieldsets = (
        (None, {"fields": ("region", "note")}),
        (
            _("罚款金额标准（本地区设定的默认值，非政策规定）"),
            {"fields": ("citizen_fine", "organisation_fine")},
        ),
        (
            _("属于重大执法决定的决定种类和情形"),
            {"fields": ("stop_production", "revocation", "hearing", "outside_benchmark")},
        ),
        (
            _("须由执法人员认定并写明理由的情形"),
            {"fields": ("public_interest", "complex_or_difficult", "third_party_rights")},
        ),
    )

    def save_model(self, request, obj, form, change):
        major_criteria_save(criteria=obj, actor=request.user)

    def delete_model(self, request, obj):
        obj._history_user = request.user
        super().delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        entries = formset.save(commit=False)
        for entry in formset.deleted_objects:
            major_catalogue_entry_delete(entry=entry, actor=request.user)
        for entry in entries:
            major_catalogue_entry_save(entry=entry, actor=request.user)
        formset.save_m2m()


@admin.register(CaseFileChecklist)
class CaseFileChecklistAdmin(RegionScopedAdminMixin, HistoryAdmin):
    list_display = ("region", "completeness", "procedure", "evidence", "decision", "service",
                    "archive")  # fmt: skip
    list_select_related = ("region",)
    search_fields = ("region__name", "region__code")

    def save_model(self, request, obj, form, change):
        case_file_checklist_save(checklist=obj, actor=request.user)


# --- Settings a supervisor keeps for its region and its agencies: the discretion trial (R7) and
# the numbering of documents (R9). Both are configuration, validated by the model; the numbers
# themselves are taken by the services when a case is opened or a decision issued.
from .models import DiscretionTrial, DocumentNumbering  # noqa: E402


@admin.register(DiscretionTrial)
class DiscretionTrialAdmin(RegionScopedAdminMixin, HistoryAdmin):
    list_display = ("region", "category", "basis", "started_on")
    list_filter = ("category",)
    list_select_related = ("region",)


@admin.register(DocumentNumbering)
class DocumentNumberingAdmin(ScopedAdminMixin, HistoryAdmin):
    list_display = ("agency", "abbreviation", "case_word", "penalty_word", "licensing_word",
                    "coercion_word", "other_word")  # fmt: skip
    search_fields = ("abbreviation", "agency__name")
    list_select_related = ("agency",)

    def has_add_permission(self, request):
        return (
            super().has_add_permission(request) and scoping.visible_agencies(request.user).exists()
        )
