"""Demo complaint channels (R14): one for every government of the demo province."""

from enforcement.models import Region

from .models import ComplaintChannel
from .services.channels import complaint_channel_save

SCOPE = (
    "本级人民政府所属行政执法部门及其执法人员在行政执法活动中的违法或不当行为，包括慢作为、"
    "不作为、乱作为、不文明执法、选择执法、人情执法、钓鱼执法、利益驱动执法等。\n"
    "已经进入行政复议、行政诉讼程序的事项，以及信访、纪检监察事项，不在受理范围。"
)


def _office(region: Region) -> str:
    if region.level == Region.Level.PROVINCE:
        return f"{region.name}司法厅行政执法监督处"
    if region.level == Region.Level.COMMITTEE:
        return f"{region.name}法制办公室"
    return f"{region.name}司法局行政执法监督科"


def load_channels(*, actor) -> int:
    """A published channel for every demo region that has none yet; returns how many."""
    created = 0
    for n, region in enumerate(Region.objects.filter(complaint_channel__isnull=True), 1):
        complaint_channel_save(
            channel=ComplaintChannel(
                region=region,
                office=_office(region),
                scope=SCOPE,
                email=f"zfjd{region.code}@demo.gov.cn",
                hotline=f"0431-8{region.code[2:6]}{n:03d}",
                postal_address=f"{region.name}人民大街{200 + n}号",
                postcode=region.code,
                office_hours="工作日 8:30—11:30，13:30—17:00",
            ),
            actor=actor,
        )
        created += 1
    return created
