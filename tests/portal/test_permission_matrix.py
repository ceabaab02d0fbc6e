"""The permission matrix: every URL of the portal (pages, API, admin, downloads), each persona,
agency A's object and agency B's, GET and an empty POST (and PUT, PATCH, DELETE where the API
takes them), against one table of expectations.

The URLs are walked from the URL configuration; a URL without an entry in `EXPECTATIONS` fails
`test_every_url_has_exactly_one_entry`, and so does an entry naming a URL that no longer exists.
Every later issue extends this table.

Reading the table
-----------------
Each entry is keyed by the URL's name ("namespace:name"; the admin's unnamed object redirects
are "admin:<app>_<model>_redirect", its catch-all "admin:catch_all"). `fill` says which object
of the world (tests/portal/matrix_world.py) each URL argument takes, on agency A's side and on
agency B's; a `=` prefix gives a literal. A URL without arguments is requested once.

A row of cells has one word per persona, in the order of `PERSONAS`:

    public   inspector_a   legal_office_a   city_supervisor   outsider_b   sysadmin

and a pair of rows is (agency A's object, agency B's object). The words:

    ok       2xx, or a redirect that is not to a login page
    login    a redirect to the login page (the admin's for the admin); for the API, the
             anonymous caller's 401/403
    denied   403
    missing  404; in the admin, its redirect to the index for an object out of scope
    405      method not allowed
    bad      400: only for personas who ARE allowed to act and sent an empty body

`a|b` accepts either. A persona who may not act must be refused (login, denied or missing):
never ok, never bad. Permission comes before the body: an empty POST by someone who may not
act says "denied"/"missing", not "bad" (nor a form re-shown with its errors). Who "may act" is
judged by role and scope, not by the object's state: the legal office may pass items, so its
empty POST on a draft may be refused for the state (ok/bad), but an inspector's must be
refused for the role (denied). A page re-shows a refused form with its errors and status 400:
on a page, "ok" for a POST also accepts "bad".

Every request runs in a savepoint rolled back afterwards, and the client's cookies are restored,
so that no request (a logout, a deletion) changes what the next one sees.
"""

import logging
import re
import sys
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.core.cache import cache
from django.core.signals import got_request_exception
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from simple_history.admin import SimpleHistoryAdmin

from . import matrix_parts
from .matrix_table import (
    ALL_BAD,
    EVERYONE,
    LOGGED_IN,
    LOGGED_IN_405,
    NOBODY_405,
    AdminModel,
    Row,
    row,
)
from .matrix_world import build_world

PERSONAS = ("public", "inspector_a", "legal_office_a", "city_supervisor", "outsider_b", "sysadmin")
WORDS = {"ok", "login", "denied", "missing", "405", "bad"}
METHODS = ("get", "post", "put", "patch", "delete")


# --- the table ---------------------------------------------------------------------------------
# fmt: off
PAGES = {
    # --- public pages and the accounts ---------------------------------------------------------
    #             public  insp_a  legal_a city_sv outsd_b sysadm
    "portal:home": row(get=EVERYONE, post=NOBODY_405),
    "portal:trivial": row(get=EVERYONE, post=NOBODY_405),
    "portal:language": row(get=EVERYONE, post=NOBODY_405),
    "portal:workspace": row(get=LOGGED_IN, post=LOGGED_IN_405),
    "healthz": row(get=EVERYONE, post=NOBODY_405),
    "workdays:calculator": row(get=EVERYONE, post=NOBODY_405),
    "enforcement:public-index": row(get=EVERYONE, post=NOBODY_405),
    "enforcement:public-region": row(code="region_code", get=EVERYONE, post=NOBODY_405),
    "enforcement:public-agency": row(pk="agency", get=EVERYONE, post=NOBODY_405),
    "enforcement:public-item": row(pk="published_copy", get=EVERYONE, post=NOBODY_405),
    # R2: the reasons of an agency's approved withdrawals are public.
    "enforcement:public-agency-withdrawn": row(pk="agency", get=EVERYONE, post=NOBODY_405),
    "enforcement:public-export": row(fmt="=csv", get=EVERYONE, post=NOBODY_405),
    "disclosures:list": row(get=EVERYONE, post=NOBODY_405),
    "disclosures:detail": row(pk="disclosure", get=EVERYONE, post=NOBODY_405),
    "complaints:channels": row(get=EVERYONE, post=NOBODY_405),
    "complaints:channel-card": row(pk="channel", get=EVERYONE, post=NOBODY_405),
    "complaints:file": row(get=EVERYONE, post=ALL_BAD),
    "complaints:track": row(get=EVERYONE, post=ALL_BAD),
    "complaints:track-result": row(get=EVERYONE, post=NOBODY_405),
    # An untracked browser (no access code proved) may not add material nor rate: 403.
    "complaints:track-material": row(
        get=     NOBODY_405,
        post=    "denied  denied  denied  denied  denied  denied",
    ),
    "complaints:track-rate": row(
        get=     NOBODY_405,
        post=    "denied  denied  denied  denied  denied  denied",
    ),
    "login": row(get=EVERYONE, post=EVERYONE),
    "logout": row(get=NOBODY_405, post=EVERYONE),
    "password_change": row(get=LOGGED_IN, post=LOGGED_IN),
    "password_change_done": row(get=LOGGED_IN, post=LOGGED_IN_405),
    "password_reset": row(get=EVERYONE, post=EVERYONE),
    "password_reset_done": row(get=EVERYONE, post=NOBODY_405),
    # A: a valid link (redirects to its form); B: a forged one (the "invalid link" page).
    "password_reset_confirm": row(uidb64="uidb64", token="token", get=EVERYONE, post=EVERYONE),
    "password_reset_complete": row(get=EVERYONE, post=NOBODY_405),
    # --- the power list's staff pages (draft items) ---------------------------------------------
    #             public  insp_a  legal_a city_sv outsd_b sysadm
    "enforcement:staff_item_list": row(get=LOGGED_IN, post=LOGGED_IN_405),
    "enforcement:staff_item_create": row(
        get=     "login   ok      ok      denied  ok      denied",
        post=    "login   ok      ok      denied  ok      denied",
    ),
    "enforcement:staff_legal_queue": row(
        get=     "login   denied  ok      denied  denied  denied",
        post=    LOGGED_IN_405,
    ),
    "enforcement:staff_supervisor_queue": row(
        get=     "login   denied  denied  ok      denied  ok",
        post=    LOGGED_IN_405,
    ),
    "enforcement:staff_item_detail": row(
        pk="item",
        get=    ("login   ok      ok      ok      missing ok",
                 "login   missing missing missing ok      ok"),
        post=    LOGGED_IN_405,
    ),
    "enforcement:staff_item_compare": row(
        pk="item",
        get=    ("login   ok      ok      ok      missing ok",
                 "login   missing missing missing ok      ok"),
        post=    LOGGED_IN_405,
    ),
    "enforcement:staff_item_edit": row(
        pk="item",
        get=    ("login   ok      ok      denied  missing denied",
                 "login   missing missing missing ok      denied"),
        post=   ("login   ok      ok      denied  missing denied",
                 "login   missing missing missing ok      denied"),
    ),
    "enforcement:staff_item_delete": row(
        pk="item",
        get=     LOGGED_IN_405,
        post=   ("login   ok      ok      denied  missing denied",
                 "login   missing missing missing ok      denied"),
    ),
    "enforcement:staff_item_submit": row(
        pk="item",
        get=     LOGGED_IN_405,
        post=   ("login   ok      ok      denied  missing denied",
                 "login   missing missing missing ok      denied"),
    ),
    "enforcement:staff_item_withdraw": row(
        pk="item",
        get=     LOGGED_IN_405,
        post=   ("login   ok      ok      denied  missing denied",
                 "login   missing missing missing ok      denied"),
    ),
    "enforcement:staff_item_pass": row(
        pk="item",
        get=     LOGGED_IN_405,
        post=   ("login   denied  ok      denied  missing denied",
                 "login   missing missing missing denied  denied"),
    ),
    # R2: a withdrawal staff requested is passed by the legal office, approved by a supervisor
    # (or the administrator), as a publication is; a return of either is staff_item_return.
    "enforcement:staff_item_withdrawal_pass": row(
        pk="item",
        get=     LOGGED_IN_405,
        post=   ("login   denied  ok      denied  missing denied",
                 "login   missing missing missing denied  denied"),
    ),
    "enforcement:staff_item_withdrawal_approve": row(
        pk="item",
        get=     LOGGED_IN_405,
        post=   ("login   denied  denied  ok      missing ok",
                 "login   missing missing missing denied  ok"),
    ),
    # The legal office returns a submitted item, a supervisor (or the administrator) one that
    # passed internal review; staff never do.
    "enforcement:staff_item_return": row(
        pk="item",
        get=     LOGGED_IN_405,
        post=   ("login   denied  ok      ok      missing ok",
                 "login   missing missing missing denied  ok"),
    ),
    "enforcement:staff_item_publish": row(
        pk="item",
        get=     LOGGED_IN_405,
        post=   ("login   denied  denied  ok      missing ok",
                 "login   missing missing missing denied  ok"),
    ),
    # --- supervision: the shared legal-basis register, changes, tasks, delegations -------------
    #             public  insp_a  legal_a city_sv outsd_b sysadm
    "enforcement:basis_list": row(
        get=     "login   denied  denied  ok      denied  ok",
        post=    "login   denied  denied  ok      denied  ok",
    ),
    "enforcement:basis_create": row(
        get=     "login   denied  denied  ok      denied  ok",
        post=    "login   denied  denied  ok      denied  ok",
    ),
    # Laws belong to no agency: every supervisor keeps the one register (B's basis too).
    "enforcement:basis_edit": row(
        pk="basis",
        get=     "login   denied  denied  ok      denied  ok",
        post=    "login   denied  denied  ok      denied  ok",
    ),
    "enforcement:change_record": row(
        get=     "login   denied  denied  ok      denied  ok",
        post=    "login   denied  denied  ok      denied  ok",
    ),
    "enforcement:revision_task_list": row(get=LOGGED_IN, post=LOGGED_IN),
    # R2: a supervisor of the agency's region closes a new law's task with a reason (the
    # world's task is an item's: its POST is refused with 400, which a page's "ok" accepts).
    "enforcement:revision_task_close": row(
        pk="revision_task",
        get=    ("login   denied  denied  ok      denied  ok",
                 "login   denied  denied  missing denied  ok"),
        post=   ("login   denied  denied  ok      denied  ok",
                 "login   denied  denied  missing denied  ok"),
    ),
    # R1: the subjects of the supervisor's region without a published list.
    "enforcement:coverage": row(
        get=     "login   denied  denied  ok      denied  ok",
        post=    "login   denied  denied  405     denied  405",
    ),
    "enforcement:delegation_list": row(
        get=     "login   denied  denied  ok      denied  ok",
        post=    "login   denied  denied  ok      denied  ok",
    ),
    "enforcement:delegation_create": row(
        get=     "login   denied  denied  ok      denied  ok",
        post=    "login   denied  denied  ok      denied  ok",
    ),
    "enforcement:delegation_clear": row(
        pk="delegation",
        get=    ("login   denied  denied  ok      denied  ok",
                 "login   denied  denied  missing denied  ok"),
        post=   ("login   denied  denied  ok      denied  ok",
                 "login   denied  denied  missing denied  ok"),
    ),
    # --- level jurisdiction (R10): the region's supervisors keep the splits and read the flags --
    "enforcement:level_split_list": row(
        get=     "login   denied  denied  ok      denied  ok",
        post=    "login   denied  denied  405     denied  405",
    ),
    "enforcement:level_split_create": row(
        get=     "login   denied  denied  ok      denied  ok",
        post=    "login   denied  denied  ok      denied  ok",
    ),
    "enforcement:level_split_edit": row(
        pk="level_split",
        get=    ("login   denied  denied  ok      denied  ok",
                 "login   denied  denied  missing denied  ok"),
        post=   ("login   denied  denied  ok      denied  ok",
                 "login   denied  denied  missing denied  ok"),
    ),
    "enforcement:level_flag_list": row(
        get=     "login   denied  denied  ok      denied  ok",
        post=    "login   denied  denied  405     denied  405",
    ),
    # --- imports of a power list (agency staff and the legal office) ----------------------------
    #             public  insp_a  legal_a city_sv outsd_b sysadm
    "enforcement:import_list": row(
        get=     "login   ok      ok      denied  ok      denied",
        post=    "login   ok      ok      denied  ok      denied",
    ),
    "enforcement:import_detail": row(
        pk="import_job",
        get=    ("login   ok      ok      denied  missing denied",
                 "login   missing missing denied  ok      denied"),
        post=    "login   405     405     denied  405     denied",
    ),
    "enforcement:import_status": row(
        pk="import_job",
        get=    ("login   ok      ok      denied  missing denied",
                 "login   missing missing denied  ok      denied"),
        post=    "login   405     405     denied  405     denied",
    ),
    "enforcement:import_report": row(
        pk="import_job",
        get=    ("login   ok      ok      denied  missing denied",
                 "login   missing missing denied  ok      denied"),
        post=    "login   405     405     denied  405     denied",
    ),
    "enforcement:import_start": row(
        pk="import_job",
        get=     "login   405     405     denied  405     denied",
        post=   ("login   ok      ok      denied  missing denied",
                 "login   missing missing denied  ok      denied"),
    ),
    # --- complaints: the register (supervisors; the administrator reads) -----------------------
    #             public  insp_a  legal_a city_sv outsd_b sysadm
    "complaints:staff-register": row(
        get=     "login   denied  denied  ok      denied  ok",
        post=    "login   denied  denied  405     denied  405",
    ),
    "complaints:staff-export-xlsx": row(
        get=     "login   denied  denied  ok      denied  ok",
        post=    "login   denied  denied  405     denied  405",
    ),
    "complaints:staff-export-csv": row(
        get=     "login   denied  denied  ok      denied  ok",
        post=    "login   denied  denied  405     denied  405",
    ),
    "complaints:staff-warnings": row(
        get=     "login   denied  denied  ok      denied  ok",
        post=    "login   denied  denied  405     denied  405",
    ),
    "complaints:staff-new": row(
        get=     "login   denied  denied  ok      denied  denied",
        post=    "login   denied  denied  ok      denied  denied",
    ),
    # POST asks to reveal the complainant's identity: without "reveal" it is refused (403) even
    # to the supervisor, who may reveal it.
    "complaints:staff-detail": row(
        pk="complaint",
        get=    ("login   denied  denied  ok      denied  ok",
                 "login   denied  denied  missing denied  ok"),
        post=   ("login   denied  denied  denied  denied  denied",
                 "login   denied  denied  missing denied  denied"),
    ),
    "complaints:staff-attachment": row(
        pk="complaint", aid="attachment",
        get=    ("login   denied  denied  ok      denied  ok",
                 "login   denied  denied  missing denied  ok"),
        post=    "login   denied  denied  405     denied  405",
    ),
    # "step": recording a handling step, the handler's (city A's supervisor handles A's).
    "complaints:staff-action": row(
        pk="complaint", name="=step",
        get=     "login   denied  denied  405     denied  405",
        post=   ("login   denied  denied  ok      denied  denied",
                 "login   denied  denied  missing denied  denied"),
    ),
    # --- complaints: the agency's written responses (its staff and legal office) --------------
    #             public  insp_a  legal_a city_sv outsd_b sysadm
    "complaints:staff-requests": row(
        get=     "login   ok      ok      denied  ok      denied",
        post=    "login   405     405     denied  405     denied",
    ),
    "complaints:staff-request": row(
        pk="agency_request",
        get=    ("login   ok      ok      denied  missing denied",
                 "login   missing missing denied  ok      denied"),
        post=   ("login   ok      ok      denied  missing denied",
                 "login   missing missing denied  ok      denied"),
    ),
    # --- cases ---------------------------------------------------------------------------------
    #             public  insp_a  legal_a city_sv outsd_b sysadm
    "cases:list": row(get=LOGGED_IN, post=LOGGED_IN_405),
    "cases:new": row(
        get=     "login   ok      ok      denied  ok      denied",
        post=    "login   ok      ok      denied  ok      denied",
    ),
    "cases:reviews": row(
        get=     "login   denied  ok      denied  denied  denied",
        post=    "login   denied  405     denied  denied  denied",
    ),
    "cases:fine-report": row(
        get=     "login   denied  denied  ok      denied  ok",
        post=    "login   denied  denied  405     denied  405",
    ),
    "cases:discretion-report": row(
        get=     "login   denied  denied  ok      denied  ok",
        post=    "login   denied  denied  405     denied  405",
    ),
    "cases:file-reviews": row(
        get=     "login   denied  denied  ok      denied  ok",
        post=    "login   denied  denied  405     denied  405",
    ),
    "cases:detail": row(
        pk="case",
        get=    ("login   ok      ok      ok      missing ok",
                 "login   missing missing missing ok      ok"),
        post=    LOGGED_IN_405,
    ),
    "cases:record-file": row(
        pk="case", rid="record",
        get=    ("login   ok      ok      ok      missing ok",
                 "login   missing missing missing ok      ok"),
        post=    LOGGED_IN_405,
    ),
    "cases:record-add": row(
        pk="case",
        get=     "login   405     405     denied  405     denied",
        post=   ("login   ok      ok      denied  missing denied",
                 "login   missing missing denied  ok      denied"),
    ),
    "cases:record-correct": row(
        pk="case", rid="record",
        get=     "login   405     405     denied  405     denied",
        post=   ("login   ok      ok      denied  missing denied",
                 "login   missing missing denied  ok      denied"),
    ),
    "cases:advance": row(
        pk="case",
        get=     "login   405     405     denied  405     denied",
        post=   ("login   ok      ok      denied  missing denied",
                 "login   missing missing denied  ok      denied"),
    ),
    "cases:decision-save": row(
        pk="case",
        get=     "login   405     405     denied  405     denied",
        post=   ("login   ok      ok      denied  missing denied",
                 "login   missing missing denied  ok      denied"),
    ),
    "cases:decision-submit": row(
        pk="case",
        get=     "login   405     405     denied  405     denied",
        post=   ("login   ok      ok      denied  missing denied",
                 "login   missing missing denied  ok      denied"),
    ),
    "cases:decision-issue": row(
        pk="case",
        get=     "login   405     405     denied  405     denied",
        post=   ("login   ok      ok      denied  missing denied",
                 "login   missing missing denied  ok      denied"),
    ),
    "cases:review": row(
        pk="case",
        get=     LOGGED_IN_405,
        post=   ("login   denied  ok      denied  missing denied",
                 "login   missing missing missing denied  denied"),
    ),
    # R5: staff or the legal office mark a decision major; only the legal office unmarks.
    "cases:decision-mark": row(
        pk="case",
        get=     "login   405     405     denied  405     denied",
        post=   ("login   ok      ok      denied  missing denied",
                 "login   missing missing denied  ok      denied"),
    ),
    "cases:decision-unmark": row(
        pk="case",
        get=     "login   405     405     denied  405     denied",
        post=   ("login   denied  ok      denied  missing denied",
                 "login   missing missing denied  denied  denied"),
    ),
    # R30: payments are entered by a supervisor over the agency, never by the agency.
    "cases:payment-add": row(
        pk="closed_case",
        get=     LOGGED_IN_405,
        post=   ("login   denied  denied  ok      missing denied",
                 "login   missing missing missing denied  denied"),
    ),
    "cases:close": row(
        pk="closed_case",
        get=     "login   405     405     denied  405     denied",
        post=   ("login   ok      ok      denied  missing denied",
                 "login   missing missing denied  ok      denied"),
    ),
    "cases:remedy-add": row(
        pk="closed_case",
        get=     "login   405     405     405     405     denied",
        post=   ("login   ok      ok      ok      missing denied",
                 "login   missing missing missing ok      denied"),
    ),
    "cases:remedy-screen": row(
        pk="remedy",
        get=     "login   denied  denied  405     denied  denied",
        post=   ("login   denied  denied  ok      denied  denied",
                 "login   denied  denied  missing denied  denied"),
    ),
    "cases:file-review": row(
        pk="closed_case",
        get=    ("login   denied  denied  ok      denied  denied",
                 "login   denied  denied  missing denied  denied"),
        post=   ("login   denied  denied  ok      denied  denied",
                 "login   denied  denied  missing denied  denied"),
    ),
    # --- jurisdiction disputes: each side's dispute is raised against its agency --------------
    #             public  insp_a  legal_a city_sv outsd_b sysadm
    "cases:disputes": row(get=LOGGED_IN, post=LOGGED_IN_405),
    "cases:dispute-new": row(
        get=     "login   ok      ok      denied  ok      denied",
        post=    "login   ok      ok      denied  ok      denied",
    ),
    "cases:dispute": row(
        pk="dispute",
        get=    ("login   ok      ok      ok      missing ok",
                 "login   missing missing missing ok      ok"),
        post=    LOGGED_IN_405,
    ),
    "cases:dispute-answer": row(
        pk="dispute",
        get=     "login   405     405     denied  405     denied",
        post=   ("login   ok      ok      denied  missing denied",
                 "login   missing missing denied  ok      denied"),
    ),
    # R8: only the staff of the establishment office over both agencies give the opinion (no
    # persona is); the parties read the dispute and are refused, the others do not see it.
    "cases:dispute-opinion": row(
        pk="dispute",
        get=     "login   405     405     denied  405     denied",
        post=   ("login   denied  denied  denied  missing denied",
                 "login   missing missing denied  denied  denied"),
    ),
    "cases:dispute-decide": row(
        pk="dispute",
        get=     "login   denied  denied  405     denied  405",
        post=   ("login   denied  denied  ok      denied  ok",
                 "login   denied  denied  missing denied  ok"),
    ),
}

API = {
    # --- public API ----------------------------------------------------------------------------
    #             public  insp_a  legal_a city_sv outsd_b sysadm
    "api:workdays:deadline": row(
        note="GET without its parameters: 400",
        get=     ALL_BAD,
        post=    NOBODY_405,
    ),
    "api:agency-list": row(get=EVERYONE, post=NOBODY_405),
    "api:power-item-list": row(get=EVERYONE, post=NOBODY_405),
    "api:power-item-detail": row(pk="published_copy", get=EVERYONE, post=NOBODY_405),
    "api:disclosure-list": row(get=EVERYONE, post=NOBODY_405),
    "api:disclosure-detail": row(pk="disclosure", get=EVERYONE, post=NOBODY_405),
    "api:complaint-file": row(get=NOBODY_405, post=ALL_BAD),
    "api:complaint-track": row(get=NOBODY_405, post=ALL_BAD),
    "api:schema": row(get=EVERYONE, post=NOBODY_405),
    "api:docs": row(get=EVERYONE, post=NOBODY_405),
    # --- staff API of the power list -----------------------------------------------------------
    #             public  insp_a  legal_a city_sv outsd_b sysadm
    "api:staff-power-item-list": row(
        get=     LOGGED_IN,
        post=    "login   bad     bad     denied  bad     denied",
    ),
    "api:staff-power-item-detail": row(
        pk="item",
        get=    ("login   ok      ok      ok      missing ok",
                 "login   missing missing missing ok      ok"),
        post=    LOGGED_IN_405,
        put=    ("login   bad     bad     denied  missing denied",
                 "login   missing missing missing bad     denied"),
        patch=  ("login   ok      ok      denied  missing denied",
                 "login   missing missing missing ok      denied"),
        delete= ("login   ok      ok      denied  missing denied",
                 "login   missing missing missing ok      denied"),
    ),
    "api:staff-power-item-submit": row(
        pk="item",
        get=     LOGGED_IN_405,
        post=   ("login   ok      ok      denied  missing denied",
                 "login   missing missing missing ok      denied"),
    ),
    "api:staff-power-item-withdraw": row(
        pk="item",
        get=     LOGGED_IN_405,
        post=   ("login   bad     bad     denied  missing denied",
                 "login   missing missing missing bad     denied"),
    ),
    "api:staff-power-item-withdrawal-pass": row(
        pk="item",
        get=     LOGGED_IN_405,
        post=   ("login   denied  bad     denied  missing denied",
                 "login   missing missing missing denied  denied"),
    ),
    "api:staff-power-item-withdrawal-approve": row(
        pk="item",
        get=     LOGGED_IN_405,
        post=   ("login   denied  denied  bad     missing bad",
                 "login   missing missing missing denied  bad"),
    ),
    "api:staff-power-item-pass": row(
        pk="item",
        get=     LOGGED_IN_405,
        post=   ("login   denied  bad     denied  missing denied",
                 "login   missing missing missing denied  denied"),
    ),
    "api:staff-power-item-return": row(
        pk="item",
        get=     LOGGED_IN_405,
        post=   ("login   denied  bad     bad     missing bad",
                 "login   missing missing missing denied  bad"),
    ),
    "api:staff-power-item-publish": row(
        pk="item",
        get=     LOGGED_IN_405,
        post=   ("login   denied  denied  bad     missing bad",
                 "login   missing missing missing denied  bad"),
    ),
    # --- staff API of cases ----------------------------------------------------------------------
    #             public  insp_a  legal_a city_sv outsd_b sysadm
    "api:staff-case-list": row(
        get=     LOGGED_IN,
        post=    "login   bad     bad     denied  bad     denied",
    ),
    "api:staff-case-detail": row(
        pk="case",
        get=    ("login   ok      ok      ok      missing ok",
                 "login   missing missing missing ok      ok"),
        post=    LOGGED_IN_405,
    ),
    "api:staff-case-advance": row(
        pk="case",
        get=     LOGGED_IN_405,
        post=   ("login   bad     bad     denied  missing denied",
                 "login   missing missing missing bad     denied"),
    ),
    "api:staff-case-records": row(
        pk="case",
        get=    ("login   ok      ok      ok      missing ok",
                 "login   missing missing missing ok      ok"),
        post=   ("login   bad     bad     denied  missing denied",
                 "login   missing missing missing bad     denied"),
    ),
    "api:staff-case-record-correct": row(
        pk="case", rid="record",
        get=     LOGGED_IN_405,
        post=   ("login   bad     bad     denied  missing denied",
                 "login   missing missing missing bad     denied"),
    ),
    "api:staff-case-record-file": row(
        pk="case", rid="record",
        get=    ("login   ok      ok      ok      missing ok",
                 "login   missing missing missing ok      ok"),
        post=    LOGGED_IN_405,
    ),
    "api:staff-case-decision": row(
        pk="case",
        get=    ("login   ok      ok      ok      missing ok",
                 "login   missing missing missing ok      ok"),
        post=    LOGGED_IN_405,
        put=    ("login   bad     bad     denied  missing denied",
                 "login   missing missing missing bad     denied"),
    ),
    "api:staff-case-decision-submit": row(
        pk="case",
        get=     LOGGED_IN_405,
        post=   ("login   ok|bad  ok|bad  denied  missing denied",
                 "login   missing missing missing ok|bad  denied"),
    ),
    "api:staff-case-decision-issue": row(
        pk="case",
        get=     LOGGED_IN_405,
        post=   ("login   bad     bad     denied  missing denied",
                 "login   missing missing missing bad     denied"),
    ),
    "api:staff-case-decision-reviews": row(
        pk="case",
        get=    ("login   ok      ok      ok      missing ok",
                 "login   missing missing missing ok      ok"),
        post=   ("login   denied  bad     denied  missing denied",
                 "login   missing missing missing denied  denied"),
    ),
    "api:staff-case-decision-mark": row(
        pk="case",
        get=     LOGGED_IN_405,
        post=   ("login   bad     bad     denied  missing denied",
                 "login   missing missing missing bad     denied"),
    ),
    "api:staff-case-decision-unmark": row(
        pk="case",
        get=     LOGGED_IN_405,
        post=   ("login   denied  bad     denied  missing denied",
                 "login   missing missing missing denied  denied"),
    ),
    "api:staff-legal-review-list": row(
        get=     "login   denied  ok      denied  denied  denied",
        post=    "login   denied  405     denied  denied  denied",
    ),
    # --- staff API of complaints (agency staff see no complaint: 404) -------------------------
    #             public  insp_a  legal_a city_sv outsd_b sysadm
    "api:staff-complaint-list": row(
        get=     "login   denied  denied  ok      denied  ok",
        post=    LOGGED_IN_405,
    ),
    "api:staff-complaint-detail": row(
        pk="complaint",
        get=    ("login   missing missing ok      missing ok",
                 "login   missing missing missing missing ok"),
        post=    LOGGED_IN_405,
    ),
    **{
        f"api:staff-complaint-{action}": row(
            pk="complaint",
            get=     LOGGED_IN_405,
            post=   ("login   missing missing ok|bad  missing denied",
                     "login   missing missing missing missing denied"),
        )
        for action in (
            "accept", "refuse", "transfer", "assign", "ask-agency",
            "steps", "request-material", "extend", "close", "refer",
        )
    },
    "api:staff-agency-request-list": row(get=LOGGED_IN, post=LOGGED_IN_405),
    "api:staff-agency-request-answer": row(
        pk="agency_request",
        get=     LOGGED_IN_405,
        post=   ("login   bad     bad     denied  missing denied",
                 "login   missing missing missing bad     denied"),
    ),
}


# --- the admin ---------------------------------------------------------------------------------
# Only the supervisor and the administrator are staff; the others are sent to the admin's login.


def staff(supervisor: str, sysadmin: str) -> str:
    """A row of the admin: the supervisor's and the administrator's words, "login" elsewhere."""
    words = ("login", "login", "login", supervisor, "login", sysadmin)
    return " ".join(word.ljust(7) for word in words).rstrip()


ADMIN_SITE = {
    "admin:index": row(get=staff("ok", "ok"), post=staff("ok", "ok")),
    # Logging in is open to all; a signed-in member of staff is sent on to the index.
    "admin:login": row(get=EVERYONE, post=EVERYONE),
    # Logging out is a POST; the others are sent to the index (and from there to log in).
    "admin:logout": row(get="ok ok ok 405 ok 405", post=EVERYONE),
    "admin:password_change": row(get=staff("ok", "ok"), post=staff("ok", "ok")),
    "admin:password_change_done": row(get=staff("ok", "ok"), post=staff("405", "405")),
    # Without its parameters the autocomplete refuses everyone (403).
    "admin:autocomplete": row(get=staff("denied", "denied"), post=staff("405", "405")),
    "admin:jsi18n": row(get=staff("ok", "ok"), post=staff("405", "405")),
    # Sends staff on to the agency's public page.
    "admin:view_on_site": row(
        content_type_id="agency_content_type",
        object_id="agency",
        get=staff("ok", "ok"),
        post=staff("ok", "ok"),
    ),
    "admin:app_list": row(app_label="=enforcement", get=staff("ok", "ok"), post=staff("ok", "ok")),
    "admin:catch_all": row(
        path=lambda side: "/admin/no-such-page/",
        get=staff("missing", "missing"),
        post=staff("missing", "missing"),
    ),
    # A user's password is the administrator's alone.
    "admin:auth_user_password_change": row(
        id="staff_user", get=staff("denied", "ok"), post=staff("denied", "ok")
    ),
    "admin:workdays_calendaryear_upload": row(
        get=staff("denied", "ok"), post=staff("denied", "ok")
    ),
}


ADMIN_MODELS = {
    "auth.group": AdminModel("group", "", "view add change delete"),
    # django-axes' logs: the administrator reads them and lifts a lock by deleting its attempts.
    "axes.accessattempt": AdminModel("access_attempt", "", "view delete"),
    "axes.accesslog": AdminModel("access_log", "", "view"),
    "axes.accessfailurelog": AdminModel("access_failure_log", "", "view"),
    "workdays.calendaryear": AdminModel("calendar_year", "view", "view add change delete"),
    "workdays.specialday": AdminModel("special_day", "view", "view"),
    "enforcement.region": AdminModel("region", "view", "view add change delete", scoped=True),
    "enforcement.enforcementdomain": AdminModel("domain", "view", "view add change delete"),
    "enforcement.agency": AdminModel(
        "agency", "view change", "view add change delete", scoped=True
    ),
    "enforcement.officer": AdminModel(
        "officer", "view add change", "view add change delete", scoped=True
    ),
    # Read-only: written through the supervision pages' services.
    "enforcement.legalbasis": AdminModel("basis", "", "view"),
    "enforcement.basischange": AdminModel("basis_change", "", "view", scoped=True),
    "enforcement.revisiontask": AdminModel("revision_task", "", "view", scoped=True),
    "enforcement.delegation": AdminModel("delegation", "", "view", scoped=True),
    "enforcement.collectingbank": AdminModel(
        "bank", "view add change", "view add change delete", scoped=True
    ),
    "enforcement.finepayment": AdminModel("payment", "view", "view", scoped=True),
    "enforcement.remedyoutcome": AdminModel("remedy", "view", "view", scoped=True),
    "enforcement.casefilereview": AdminModel("file_review", "view", "view", scoped=True),
    # R5: each region's catalogue of major decisions; the checklist's weights (local choices).
    "enforcement.majordecisioncriteria": AdminModel(
        "criteria", "view add change", "view add change delete", scoped=True
    ),
    "enforcement.casefilechecklist": AdminModel(
        "checklist", "view add change", "view add change delete", scoped=True
    ),
    # R7: the region's discretion trials; R9: its agencies' document numbering.
    "enforcement.discretiontrial": AdminModel(
        "trial", "view add change", "view add change delete", scoped=True
    ),
    "enforcement.documentnumbering": AdminModel(
        "numbering", "view add change", "view add change delete", scoped=True
    ),
    "complaints.complaintchannel": AdminModel(
        "channel", "view add change", "view add change delete", scoped=True
    ),
    "portal.user": AdminModel("staff_user", "", "view add change delete"),
}


def _one(rights: str, needs: set[str], *, in_scope: bool, out: str = "missing") -> str:
    """An object out of scope may be refused as forbidden or as missing, by whichever check
    Django's admin makes first; one in scope is forbidden without the right."""
    if not needs & set(rights.split()):
        return "denied" if in_scope else "denied|missing"
    return "ok" if in_scope else out


def _admin_model_rows(label: str, model_admin, spec: AdminModel) -> dict[str, Row]:
    """The rows of one registered model's admin URLs, from what each role may do with it."""
    app, model = label.split(".")
    prefix = f"admin:{app}_{model}"
    obj = spec.obj or "=0"

    def cells(needs, *, out="missing"):
        """(A's row, B's row): B's object is out of the supervisor's scope if `scoped`."""
        a = staff(
            _one(spec.supervisor, needs, in_scope=True), _one(spec.sysadmin, needs, in_scope=True)
        )
        b = staff(
            _one(spec.supervisor, needs, in_scope=not spec.scoped, out=out),
            _one(spec.sysadmin, needs, in_scope=True),
        )
        return (a, b)

    seeing, changing = {"view", "change"}, {"change"}
    rows = {
        f"{prefix}_changelist": row(get=cells(seeing)[0], post=cells(seeing)[0]),
        f"{prefix}_add": row(get=cells({"add"})[0], post=cells({"add"})[0]),
        f"{prefix}_change": row(object_id=obj, get=cells(seeing), post=cells(changing)),
        f"{prefix}_delete": row(object_id=obj, get=cells({"delete"}), post=cells({"delete"})),
        # An object out of scope: 403 from django-simple-history's page, 404 from Django's.
        f"{prefix}_history": row(
            object_id=obj,
            get=cells(seeing, out="denied|missing"),
            post=cells(seeing, out="denied|missing"),
        ),
        # /admin/<app>/<model>/<id>/ sends members of staff on to the change page.
        f"{prefix}_redirect": row(
            path=lambda side: f"/admin/{app}/{model}/{_value(obj, side)}/",
            get=staff("ok", "ok"),
            post=staff("ok", "ok"),
        ),
    }
    if isinstance(model_admin, SimpleHistoryAdmin):
        # One past version, shown as a form: reading it needs view; posting it (a revert, which
        # would write around the services) is refused to everyone (portal.admin_scoping).
        history_key = f"{spec.obj}@history" if spec.obj else "=0"
        rows[f"{prefix}_simple_history"] = row(
            args=(obj, history_key),
            get=cells(seeing, out="denied|missing"),
            post=cells(set(), out="denied|missing"),
        )
    return rows


def admin_rows() -> dict[str, Row]:
    rows = {}
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        if label in ADMIN_MODELS:
            rows |= _admin_model_rows(label, model_admin, ADMIN_MODELS[label])
    return rows


ADMIN_MODELS |= matrix_parts.admin_models()
EXPECTATIONS: dict[str, Row] = PAGES | API | ADMIN_SITE | admin_rows() | matrix_parts.rows()


# --- walking the URL configuration ------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    key: str
    route: str
    pattern: URLPattern


def _unnamed_key(namespace: str, route: str) -> str:
    if namespace == "admin":
        redirect = re.fullmatch(r"/admin/(\w+)/(\w+)/<path:object_id>/", route)
        if redirect:
            return f"admin:{redirect[1]}_{redirect[2]}_redirect"
        if "(?P<url>.*)" in route:
            return "admin:catch_all"
    return f"{namespace}:<unnamed {route}>"


def url_patterns() -> list[Pattern]:
    found = []

    def walk(resolver, prefix, namespace):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry, prefix + str(entry.pattern), inner)
                continue
            route = prefix + str(entry.pattern)
            if entry.name:
                key = f"{namespace}:{entry.name}" if namespace else entry.name
            else:
                key = _unnamed_key(namespace, route)
            found.append(Pattern(key, route, entry))

    walk(get_resolver(), "/", "")
    return found


# --- requests and their outcomes ------------------------------------------------------------


def names_an_object(key: str, entry: Row) -> bool:
    """Requested for A's object and for B's (else once)."""
    return bool(entry.fill or entry.args) or key.endswith("_redirect")


def _value(spec: str, side: dict):
    if spec.startswith("="):
        return spec[1:]
    if spec.endswith("@history"):
        return side["history"][spec.removesuffix("@history")]
    return side[spec]


def url_of(key: str, entry: Row, side: dict) -> str:
    if entry.path is not None:
        return entry.path(side)
    kwargs = {name: _value(spec, side) for name, spec in entry.fill.items()}
    args = [_value(spec, side) for spec in entry.args]
    return reverse(key, args=args or None, kwargs=kwargs or None)


EMPTY_FORM = "application/x-www-form-urlencoded"
LOGIN_PAGES = ("/accounts/login/", "/admin/login/")


def outcome(response, *, persona: str, path: str, with_object: bool) -> str:
    code = response.status_code
    if code in (301, 302, 303, 307, 308):
        target = urlsplit(response["Location"]).path
        if target in LOGIN_PAGES:
            return "login"
        if with_object and path.startswith("/admin/") and target == "/admin/":
            return "missing"  # the admin's "no such object (perhaps deleted)" redirect
        return "ok"
    if 200 <= code < 300:
        return "ok"
    if persona == "public" and path.startswith("/api/") and code in (401, 403):
        return "login"
    return {400: "bad", 403: "denied", 404: "missing", 405: "405"}.get(code, str(code))


def cells_of(value, side: str, *, with_object: bool) -> dict[str, set[str]]:
    if value is None:
        return {}
    if isinstance(value, tuple):
        assert with_object, "a pair of rows is for URLs that name an object"
        value = value[0 if side == "A" else 1]
    words = value.split()
    assert len(words) == len(PERSONAS), f"{value!r}: one word per persona"
    cells = dict(zip(PERSONAS, ({*w.split("|")} for w in words), strict=True))
    unknown = set().union(*cells.values()) - WORDS
    assert not unknown, f"{value!r}: unknown words {unknown}"
    return cells


def send(client: Client, method: str, path: str):
    """One request, with an empty body for the writes, whose effects are all rolled back."""
    cookies = client.cookies
    client.cookies = type(cookies)()
    client.cookies.update(cookies)
    try:
        with transaction.atomic():
            if method == "get":
                response = client.get(path)
            else:
                response = getattr(client, method)(path, data=b"", content_type=EMPTY_FORM)
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies
    if method != "get":
        cache.clear()
    return response


# --- the tests ------------------------------------------------------------------------------


@pytest.fixture
def fast_passwords(settings):
    """The personas never type a password here: hashing it the slow way would only cost time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(
    fast_passwords,
    settings,
    tmp_path,
    city_a,
    city_b,
    agency_a,
    county_agency_a,
    agency_b,
    inspector_a,
    legal_office_a,
    city_supervisor,
    outsider_b,
):
    settings.MEDIA_ROOT = tmp_path
    settings.RATELIMIT_ENABLE = False
    settings.AXES_ENABLED = False
    built = build_world(
        city_a=city_a,
        city_b=city_b,
        agency_a=agency_a,
        county_agency_a=county_agency_a,
        agency_b=agency_b,
        inspector_a=inspector_a,
        legal_office_a=legal_office_a,
        city_supervisor=city_supervisor,
        outsider_b=outsider_b,
    )
    matrix_parts.extend_world(built)
    for side in built.values():
        side["history"] = _history_ids(side)
    cache.clear()
    return built


def _history_ids(side: dict) -> dict[str, int]:
    """The first kept version of each side's object of the models the admin keeps history of."""
    ids = {}
    for model, model_admin in admin.site._registry.items():
        spec = ADMIN_MODELS.get(model._meta.label_lower)
        if spec and spec.obj and isinstance(model_admin, SimpleHistoryAdmin):
            pk = {model._meta.pk.attname: side[spec.obj]}
            version = model.history.filter(**pk).order_by("history_id").first()
            assert version is not None, f"{model._meta.label} {side[spec.obj]} has no history"
            ids[spec.obj] = version.history_id
    return ids


def test_every_url_has_exactly_one_entry():
    """A new URL needs its row in the table; a row of a URL that is gone is an error too."""
    keys = {p.key for p in url_patterns()}
    table = EXPECTATIONS
    missing = sorted(keys - set(table))
    assert not missing, (
        "URLs without an entry in the permission matrix (tests/portal/test_permission_matrix.py"
        f", PAGES, API, ADMIN_SITE or ADMIN_MODELS): {missing}"
    )
    stale = sorted(set(table) - keys)
    assert not stale, f"entries of the permission matrix naming no URL: {stale}"
    unregistered = sorted(
        m._meta.label_lower for m in admin.site._registry if m._meta.label_lower not in ADMIN_MODELS
    )
    assert not unregistered, f"admin models without an entry in ADMIN_MODELS: {unregistered}"


def test_every_row_of_the_table_reads():
    """Six known words a row; a pair of rows only where the URL names an object."""
    for key, entry in EXPECTATIONS.items():
        with_object = names_an_object(key, entry)
        for method in METHODS:
            for side in ("A", "B"):
                cells_of(getattr(entry, method), side, with_object=with_object)


def test_every_method_a_view_takes_is_in_the_table():
    """The API's PUT, PATCH and DELETE are checked too: a viewset that takes one needs its row."""
    table = EXPECTATIONS
    for p in url_patterns():
        actions = getattr(p.pattern.callback, "actions", None) or {}
        entry = table.get(p.key)
        if entry is None:
            continue
        for method in ("put", "patch", "delete"):
            assert (method in actions) is (getattr(entry, method) is not None), (p.key, method)


def _requests(world):
    """(key, path, side, method, cells, with_object) of every request of the matrix. A name
    given to two patterns (one shadowing the other) is requested once, where it resolves."""
    table = EXPECTATIONS
    by_key: dict[str, list[Pattern]] = {}
    for p in url_patterns():
        by_key.setdefault(p.key, []).append(p)
    for key, patterns in by_key.items():
        entry = table[key]
        with_object = names_an_object(key, entry)
        for side in ("A", "B") if with_object else ("A",):
            path = url_of(key, entry, world[side])
            assert resolve(path).func in [p.pattern.callback for p in patterns], (key, path)
            for method in METHODS:
                value = getattr(entry, method)
                if value is not None:
                    yield key, path, side, method, value, with_object


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_permission_matrix(request, persona, world, caplog):
    caplog.set_level(logging.ERROR, logger="django.request")  # 4xx are the matrix's answers
    user = None if persona == "public" else request.getfixturevalue(persona)
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    errors = []

    def keep(sender, request, **kwargs):
        errors.append(repr(sys.exc_info()[1])[:200])

    got_request_exception.connect(keep)
    mismatches = []
    try:
        for key, path, side, method, value, with_object in _requests(world):
            expected = cells_of(value, side, with_object=with_object)[persona]
            if method != "get" and "ok" in expected and not path.startswith("/api/"):
                expected = expected | {"bad"}  # the form re-shown with its errors (400)
            errors.clear()
            response = send(client, method, path)
            got = outcome(response, persona=persona, path=path, with_object=with_object)
            if got not in expected:
                detail = f" {errors[0]}" if errors else ""
                mismatches.append(
                    f"{key} [{side}] {method.upper()} {path}: expected "
                    f"{'|'.join(sorted(expected))}, got {got} ({response.status_code}){detail}"
                )
    finally:
        got_request_exception.disconnect(keep)
    assert not mismatches, f"{persona}: {len(mismatches)} cells differ:\n" + "\n".join(mismatches)
