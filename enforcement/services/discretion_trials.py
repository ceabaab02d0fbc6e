"""R7: which items may carry a discretion benchmark (裁量基准).

Every penalty item may (§ 四(二) 行政裁量权基准制度); a licensing or coercion item only where its
agency's region, or the nearest region above it, has joined the trial of that category
(稳步推进行政许可、行政强制裁量权试点). Regions join in the admin (`DiscretionTrial`).
"""

from ..models import TRIAL_CATEGORIES, DiscretionTrial, PowerItem, Region
from ..models.powers import Category


def trial_joined(*, region: Region, category: str) -> DiscretionTrial | None:
    """The trial `region` takes part in for `category` (its own or the nearest above), or None."""
    if category not in TRIAL_CATEGORIES:
        return None
    return region.nearest(DiscretionTrial.objects.filter(category=category))


def may_have_tiers(item: PowerItem) -> bool:
    """R7: a penalty item, or a licensing or coercion item of a region in the trial."""
    if item.category == Category.PENALTY:
        return True
    return trial_joined(region=item.agency.region, category=item.category) is not None
