"""R11, the supervision platform's data: the enforcement subjects, officers and cases of a
supervisor's region and below, with their status, filtered, paged and exported
(`portal.views.platform`)."""
