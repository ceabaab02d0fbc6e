"""Importing a power list from an Excel workbook: a dry run that reports every row's problems in
Chinese, then the valid rows imported as drafts in the background (R1, R2's register of bases)."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from enforcement.models import ImportJob, LegalBasis, PowerItem, PowerItemEvent
from enforcement.services import imports
from enforcement.services.imports import import_job_check, import_job_create, import_job_run
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

LIST = reverse("enforcement:import_list")
HEADER = ["事项编码", "事项名称", "子项名称", "权力类型", "设定依据", "实施主体", "承办机构",
          "行使层级", "责任事项", "追责情形", "备注"]  # fmt: skip


@pytest.fixture
def bases(db):
    common = {"issuer": "全国人大常委会", "level": "law", "published_on": date(2021, 4, 29)}
    return [
        LegalBasis.objects.create(title="中华人民共和国食品安全法", **common),
        LegalBasis.objects.create(title="食品经营许可管理办法", **common),
        LegalBasis.objects.create(title="已废止的条例", status="repealed", **common),
    ]


def xlsx(rows, header=HEADER, above=()) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in [*above, header, *rows]:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def start(job, actor) -> None:
    """Start the import without running its task, so that the test runs it by hand."""
    imports.import_job_start(job=job, actor=actor)


def upload(content: bytes, name="清单.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


FOOD_SAFETY = "《中华人民共和国食品安全法》第三十五条"


def row(code, name="食品经营许可", category="行政许可", basis=FOOD_SAFETY, agency="", **extra):
    values = {"sub_item": "", "unit": "食品经营科", "level": "市级", "resp": "受理、审查、决定",
              "acc": "不依法受理的", "remarks": ""} | extra  # fmt: skip
    return [code, name, values["sub_item"], category, basis, agency, values["unit"],
            values["level"], values["resp"], values["acc"], values["remarks"]]  # fmt: skip


def checked(actor, content, name="清单.xlsx") -> ImportJob:
    job = import_job_create(upload=upload(content, name), actor=actor)
    return import_job_check(job_id=job.pk)


def problems_of(job) -> dict[int, str]:
    return {p["row"]: " ".join(p["problems"]) for p in job.problems}


def test_the_dry_run_reports_every_rows_problems_in_chinese(inspector_a, agency_a, bases):
    """Each kind of problem the issue names: unknown category, missing basis, duplicate code,
    unknown agency; and unknown or repealed bases, formulas, and over-long text."""
    PowerItem.objects.create(
        agency=agency_a, code="OLD-1", name="已有", category="penalty", level="city"
    )
    content = xlsx([
        row("A-1"),                                              # 2: valid
        row("A-2", category="行政审批"),                          # 3
        row("A-3", basis=""),                                    # 4
        row("A-1"),                                              # 5: duplicate in the file
        row("OLD-1"),                                            # 6: duplicate of an item
        row("A-6", agency="丙市生态环境局"),                       # 7
        row("A-7", basis="《不存在的法》第一条"),                   # 8
        row("A-8", basis="《已废止的条例》第一条"),                 # 9
        row("A-9", name="=1+1"),                                 # 10: openpyxl writes a formula
        row("A-10", name="名" * 201),                            # 11
        row("", name=""),                                        # 12
        row("A-12", level="乡级"),                               # 13
        row("A-13", agency="甲市市场监督管理局"),                  # 14: valid, own agency
    ])  # fmt: skip
    job = checked(inspector_a, content)
    found = problems_of(job)
    assert job.status == ImportJob.Status.CHECKED
    assert set(found) == {3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}
    assert "未知的职权类别“行政审批”" in found[3]
    assert "缺少执法依据" in found[4]
    assert "与第 2 行重复" in found[5]
    assert "已被本单位的事项使用" in found[6]
    assert "实施主体“丙市生态环境局”不是本单位" in found[7]
    assert "依据库中没有《不存在的法》" in found[8]
    assert "《已废止的条例》已废止" in found[9]
    assert "单元格含公式（B 列）" in found[10]
    assert "超过 200 个字" in found[11]
    assert "缺少事项编码" in found[12] and "缺少事项名称" in found[12]
    assert "未知的行使层级“乡级”" in found[13]
    assert (job.total_rows, job.valid_rows, job.invalid_rows) == (13, 2, 11)
    assert not PowerItem.objects.exclude(code="OLD-1").exists()  # a dry run imports nothing


def test_a_formula_is_a_row_problem_and_never_evaluated(inspector_a, bases):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(row("A-1"))
    sheet.append(row("A-2"))
    sheet["B3"] = '=HYPERLINK("http://evil.example","点我")'
    buffer = io.BytesIO()
    book.save(buffer)
    job = checked(inspector_a, buffer.getvalue())
    assert "单元格含公式（B 列）" in problems_of(job)[3]
    assert job.valid_rows == 1


def test_header_synonyms_and_title_rows_above_the_header_are_understood(inspector_a, bases):
    """The layouts governments use: 职权名称 / 职权类别 / 编码, two basis columns, a title row."""
    header = ["序号", "编码", "职权名称", "职权类别", "设定依据", "实施依据", "备注"]
    content = xlsx(
        [[1, 1001, "食品经营许可", "许可", "《中华人民共和国食品安全法》第三十五条",
          "《食品经营许可管理办法》第二条", "无"]],
        header=header, above=[["甲市市场监督管理局权责清单"], []],
    )  # fmt: skip
    job = checked(inspector_a, content)
    assert job.valid_rows == 1 and job.invalid_rows == 0, job.problems
    start(job, inspector_a)
    import_job_run(job_id=job.pk)
    item = PowerItem.objects.get()
    assert item.code == "1001" and item.category == "licensing" and item.level == "city"
    assert sorted(item.bases.values_list("basis__title", "articles")) == [
        ("中华人民共和国食品安全法", "第三十五条"),
        ("食品经营许可管理办法", "第二条"),
    ]


def test_the_valid_rows_become_drafts_with_bases_timeline_and_history(
    inspector_a, agency_a, bases, django_capture_on_commit_callbacks
):
    """Valid rows only, as drafts of the user's agency, each with an IMPORTED timeline event and
    a history version by the importing user."""
    content = xlsx([
        row("A-1", basis="《中华人民共和国食品安全法》第三十五条；《食品经营许可管理办法》第二条"),
        row("A-2", category="行政处罚", name="<script>alert(1)</script>处罚"),
        row("A-3", category="未知"),
    ])  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_create(upload=upload(content), actor=inspector_a)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED and job.valid_rows == 2
    with django_capture_on_commit_callbacks(execute=True):
        imports.import_job_start(job=job, actor=inspector_a)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.created_items == 2 and job.percent == 100
    items = PowerItem.objects.filter(agency=agency_a).order_by("code")
    assert [i.code for i in items] == ["A-1", "A-2"]
    assert {i.status for i in items} == {PowerItem.Status.DRAFT}
    assert items[0].bases.count() == 2
    assert items[1].name == "<script>alert(1)</script>处罚"  # stored as text
    for item in items:
        event = item.timeline.get()
        assert event.kind == PowerItemEvent.Kind.IMPORTED and event.actor == inspector_a
        assert item.history.get().history_user == inspector_a


def test_a_finished_job_does_nothing_when_run_again(inspector_a, bases):
    """Tasks are idempotent: a redelivered message imports nothing twice."""
    job = checked(inspector_a, xlsx([row("A-1"), row("A-2")]))
    assert import_job_check(job_id=job.pk).valid_rows == 2  # checking again changes nothing
    start(job, inspector_a)
    import_job_run(job_id=job.pk)
    import_job_run(job_id=job.pk)
    assert PowerItem.objects.count() == 2
    job.refresh_from_db()
    assert job.created_items == 2


def test_a_batch_committed_before_an_interruption_is_not_imported_again(
    inspector_a, bases, monkeypatch
):
    """A worker that dies mid-import resumes after the last committed batch."""
    monkeypatch.setattr(imports, "BATCH_ROWS", 2)
    job = checked(inspector_a, xlsx([row(f"A-{n}") for n in range(5)]))
    start(job, inspector_a)
    original = imports._import_batch
    calls = []

    def dies_on_second_batch(job, rows, *, upto):
        calls.append(upto)
        if len(calls) == 2:
            raise RuntimeError("worker lost")
        return original(job, rows, upto=upto)

    monkeypatch.setattr(imports, "_import_batch", dies_on_second_batch)
    with pytest.raises(RuntimeError):
        import_job_run(job_id=job.pk)
    assert PowerItem.objects.count() == 2
    monkeypatch.setattr(imports, "_import_batch", original)
    import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert PowerItem.objects.count() == 5 and job.created_items == 5
    assert job.status == ImportJob.Status.DONE and job.invalid_rows == 0


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"MZ\x90\x00" + b"\x00" * 200, "清单.xlsx", "不是有效的 Excel 工作簿"),
        ("事项名称,权力类型\n许可,行政许可\n".encode(), "清单.xlsx", "不是有效的 Excel 工作簿"),
        (b"PK\x03\x04not really a zip", "清单.xlsx", "不是有效的 Excel 工作簿"),
        (xlsx([["a", "b"]], header=["姓名", "年龄"]), "清单.xlsx", "没有找到表头"),
        (b"anything", "清单.csv", "请上传 .xlsx"),
    ],
    ids=["exe-renamed", "csv-renamed", "broken-zip", "no-header", "wrong-extension"],
)
def test_a_bad_file_is_refused_in_chinese_and_nothing_is_kept(
    inspector_a, media, content, name, message
):
    response = client_for(inspector_a).post(LIST, {"workbook": upload(content, name)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()
    assert not list(media.rglob("*.xlsx"))


def test_a_file_over_the_limit_is_refused(inspector_a, bases, monkeypatch):
    monkeypatch.setattr(imports, "MAX_UPLOAD_BYTES", 1024)
    response = client_for(inspector_a).post(LIST, {"workbook": upload(xlsx([row("A-1")]))})
    assert "请拆分后分批导入" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_too_many_rows_fail_the_job_with_a_message(inspector_a, bases, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 2)
    content = xlsx([row(f"A-{n}") for n in range(3)])
    job = import_job_create(upload=upload(content), actor=inspector_a)
    import_job_check(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "超过 2 行" in job.message


def test_the_error_report_lists_rows_and_neutralises_formulas(inspector_a, bases):
    """Exports neutralise values beginning with =, +, -, @ (a spreadsheet would run them)."""
    book = Workbook()
    sheet = book.active
    for values in (HEADER, row("CODE", category="x"), row("+A-2", name="@SUM(1)", basis="")):
        sheet.append(values)
    # Text that looks like a formula (typed with a leading apostrophe in Excel): a string cell.
    sheet["A2"].value = "=cmd|' /C calc'!A0"
    sheet["A2"].data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    job = checked(inspector_a, buffer.getvalue())
    response = client_for(inspector_a).get(reverse("enforcement:import_report", args=[job.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("行号", "事项编码", "事项名称", "问题")
    assert rows[1][0] == 2 and rows[1][1] == "'=cmd|' /C calc'!A0"
    assert "未知的职权类别" in rows[1][3]
    assert rows[2][1] == "'+A-2" and rows[2][2] == "'@SUM(1)"
    assert all(cell.data_type != "f" for r in sheet.iter_rows() for cell in r)


def test_the_upload_page_runs_the_dry_run_and_shows_problems_escaped(
    inspector_a, bases, django_capture_on_commit_callbacks
):
    client = client_for(inspector_a)
    content = xlsx([row("A-1"), row("<script>alert(1)</script>", category="行政审批")])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(LIST, {"workbook": upload(content)})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{job.pk}/")
    body = client.get(response["Location"]).content.decode()
    assert "未知的职权类别“行政审批”" in body and "导入有效行" in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "<script>alert(1)" not in body
    status = client.get(reverse("enforcement:import_status", args=[job.pk])).json()
    assert status["status"] == "checked" and status["percent"] == 100 and status["valid"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("enforcement:import_start", args=[job.pk]))
    status = client.get(reverse("enforcement:import_status", args=[job.pk])).json()
    assert status == status | {"status": "done", "created": 1, "running": False}
    assert PowerItem.objects.get().code == "A-1"


def test_a_job_cannot_be_imported_twice(inspector_a, bases, django_capture_on_commit_callbacks):
    job = checked(inspector_a, xlsx([row("A-1")]))
    client = client_for(inspector_a)
    start = reverse("enforcement:import_start", args=[job.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(start)
    response = client.post(start, follow=True)
    assert "该文件不处于可导入的状态" in response.content.decode()
    assert PowerItem.objects.count() == 1


def test_forged_ids_of_another_agencys_job_change_nothing(inspector_a, outsider_b, bases):
    job = checked(inspector_a, xlsx([row("A-1")]))
    client = client_for(outsider_b)
    for name in ("import_detail", "import_status", "import_report"):
        assert client.get(reverse(f"enforcement:{name}", args=[job.pk])).status_code == 404
    assert client.post(reverse("enforcement:import_start", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED and not PowerItem.objects.exists()


def test_supervisors_and_the_public_are_refused(inspector_a, city_supervisor, public_client, bases):
    job = checked(inspector_a, xlsx([row("A-1")]))
    urls = [LIST] + [
        reverse(f"enforcement:{name}", args=[job.pk])
        for name in ("import_detail", "import_status", "import_report", "import_start")
    ]
    for url in urls:
        assert client_for(city_supervisor).get(url).status_code in (403, 405)
        response = public_client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_list_and_status_cost_the_same_queries_with_more_jobs(
    inspector_a, bases, django_assert_max_num_queries
):
    client = client_for(inspector_a)
    job = checked(inspector_a, xlsx([row("A-1")]))
    status = reverse("enforcement:import_status", args=[job.pk])
    client.get(LIST)
    with django_assert_max_num_queries(12) as ctx:
        client.get(LIST)
    few = len(ctx.captured_queries)
    with django_assert_max_num_queries(10) as ctx_status:
        client.get(status)
    for n in range(8):
        checked(inspector_a, xlsx([row(f"B-{n}")]))
    with django_assert_max_num_queries(few):
        assert client.get(LIST).status_code == 200
    with django_assert_max_num_queries(len(ctx_status.captured_queries)):
        assert client.get(status).status_code == 200
