"""What every app's bench data shares (`manage.py generate_bench_data`): the fictional province
(长白省, division codes 98xxxx, separate from the demo province so that both can live in one
database), its departments, the people's names, the users who act in it, the batch size and the
writer of rows by COPY.

The apps' own parts are `enforcement/benchdata/` (the province's regions, agencies and officers,
published items, cases, bulk cases, revision tasks) and `complaints/benchdata.py` (the
registers)."""

import csv
import io
import queue
import threading

from django.db import DatabaseError, connection, transaction

from enforcement.models import Region
from portal.models import User
from portal.roles import Role
from portal.services import user_assign_role

PROVINCE = ("980000", "长白省")
CITIES = ["长白", "松原", "白城", "通化", "辽源", "四平", "延边", "梅河", "敦化"]
COUNTIES = ["东丰", "西安", "南岭", "北山", "临江", "安图", "双辽"]
DEPARTMENTS = [
    ("市场监督管理局", "市场监管"),
    ("生态环境局", "生态环境"),
    ("交通运输局", "交通运输"),
    ("自然资源局", "自然资源"),
    ("住房和城乡建设局", "住房建设"),
    ("农业农村局", "农业"),
    ("卫生健康委员会", "卫生健康"),
    ("文化广播电视和旅游局", "文化旅游"),
    ("应急管理局", "安全生产"),
    ("水利局", "水利"),
    ("林业和草原局", "林业"),
    ("商务局", "商务"),
    ("教育局", "教育"),
    ("人力资源和社会保障局", "劳动保障"),
]
# Complainants, officers and citizen parties alike.
PERSON_NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强", "周杰", "吴霞"]
SUPERVISOR_USERNAME = "bench-supervisor"
BATCH = 5000


def agency_domain(agency_name: str) -> str:
    """The department's domain (市场监管, 生态环境, ...) an agency's name shows."""
    return next((domain for dept, domain in DEPARTMENTS if dept in agency_name), "市场监管")


# The intake benchmarks' own register (`bench/complaint_intake.py`, `intake_peers`): a city of
# the bench province whose complaints the benchmarks write and empty themselves, never the
# generator's (else a run's filings would make the generator replace its million complaints).
INTAKE_REGION = ("989900", "基准市")


def bench_region_ids() -> list[int]:
    """The regions of the generator's registers: the bench province's, but the intake's."""
    regions = Region.objects.filter(code__startswith="98").exclude(code=INTAKE_REGION[0])
    return list(regions.values_list("pk", flat=True))


def bench_users() -> list[User]:
    """A supervisor over the province (escalations, reminders before a handler is assigned) and
    one handler per city, each with an e-mail address so that every notice is written."""
    province = Region.objects.get(code=PROVINCE[0])
    wanted = [(SUPERVISOR_USERNAME, province)] + [
        (f"bench-handler-{city.code}", city)
        for city in Region.objects.filter(parent=province).order_by("code")
    ]
    users = []
    for username, region in wanted:
        user, created = User.objects.get_or_create(
            username=username, defaults={"name": username, "email": f"{username}@example.invalid"}
        )
        if created or user.region_id != region.pk:
            user = user_assign_role(user=user, role=Role.SUPERVISOR, actor=None, region=region)
        users.append(user)
    return users


def copy_rows(model, columns: list[str], rows: list[list]) -> None:
    """Write rows into the model's table: COPY on PostgreSQL, executemany elsewhere."""
    table = model._meta.db_table
    names = [model._meta.get_field(c).column for c in columns]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            for values in rows:
                writer.writerow([r"\N" if v is None else v for v in values])
            buffer.seek(0)
            cursor.copy_expert(
                f"COPY {table} ({', '.join(names)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
                buffer,
            )
            return
        ops = connection.ops
        fields = [model._meta.get_field(c) for c in columns]
        adapt = {
            "DateTimeField": ops.adapt_datetimefield_value,
            "DateField": ops.adapt_datefield_value,
        }
        adapters = [adapt.get(f.get_internal_type()) for f in fields]
        rows = [
            [a(v) if a and v is not None else v for a, v in zip(adapters, r, strict=True)]
            for r in rows
        ]
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(names)}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(names))})",
            rows,
        )


class CopyBehind:
    """COPY in a second connection while the caller draws the next batch (`put` a batch of
    (model, columns, rows), `close` to wait for the last): PostgreSQL writes on one core while
    Python draws on the other. Each batch commits in its own transaction with
    `session_replication_role = replica`, as pg_restore loads data: the rows' foreign keys are
    not checked one by one (the generator gives every id it writes). Used only on PostgreSQL
    outside a transaction: a second connection could not see the caller's uncommitted rows, nor
    would a test's rollback remove its own. Elsewhere each batch is written at once, checked."""

    def __init__(self) -> None:
        self.behind = connection.vendor == "postgresql" and not connection.in_atomic_block
        self.error: BaseException | None = None
        if self.behind:
            self.batches: queue.Queue = queue.Queue(maxsize=1)
            self.thread = threading.Thread(target=self._write_behind, daemon=True)
            self.thread.start()

    def put(self, batch: list[tuple]) -> None:
        if not self.behind:
            for model, columns, rows in batch:
                copy_rows(model, columns, rows)
            return
        if self.error is not None:
            raise self.error
        self.batches.put(batch)

    def close(self) -> None:
        if self.behind:
            self.batches.put(None)
            self.thread.join()
            if self.error is not None:
                raise self.error

    def _write_behind(self) -> None:
        try:
            while (batch := self.batches.get()) is not None:
                if self.error is not None:
                    continue  # drained, so that put never waits on a writer that stopped
                try:
                    with transaction.atomic():
                        _unchecked_foreign_keys()
                        for model, columns, rows in batch:
                            copy_rows(model, columns, rows)
                except BaseException as error:  # raised again in the caller's thread
                    self.error = error
        finally:
            connection.close()


def _unchecked_foreign_keys() -> None:
    """This transaction's rows' foreign keys unchecked (a superuser's setting); checked as usual
    when the role may not change it."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        pass


def analyze(*models) -> None:
    """Statistics on the new rows for the planner (PostgreSQL only)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in models:
                cursor.execute(f"ANALYZE {model._meta.db_table}")
