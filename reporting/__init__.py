"""The yearly implementation report (R31) and the implementation plans (R33), with the figures
the supervisors' dashboard and the report share: one reading of every app for a region, an
agency and a period."""
