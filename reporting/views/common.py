"""What the reporting pages share: who reads them and the page size of their lists."""

from portal.roles import Role

PAGE_SIZE = 50
# The plans are read by their keepers and the supervisors above; the administrator reads.
READERS = (Role.AGENCY_STAFF, Role.LEGAL_OFFICE, Role.SUPERVISOR, Role.SYSADMIN)
KEEPERS = (Role.AGENCY_STAFF, Role.LEGAL_OFFICE, Role.SUPERVISOR)
# The annual report: the supervisors assemble it, the administrator reads it.
REPORT_READERS = (Role.SUPERVISOR, Role.SYSADMIN)
