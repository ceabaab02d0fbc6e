"""The public footer: the policy document by its own title, the site owner (主办单位), a contact
and the record numbers, all from settings, on every page; nothing of the demo province in it."""

import pytest

from portal import context_processors

pytestmark = pytest.mark.django_db

OWNER = "某省人民政府办公厅"
CONTACT = "0431-12345678"
ICP = "某ICP备12345678号-1"
PSB = "某公网安备 22010202000123号"


@pytest.fixture
def deployment(settings):
    settings.PORTAL_OWNER = OWNER
    settings.PORTAL_CONTACT = CONTACT
    settings.PORTAL_ICP_RECORD = ICP
    settings.PORTAL_PSB_RECORD = PSB
    settings.PORTAL_POLICY_TITLE = "某省人民政府关于全面落实行政执法责任制的实施意见"
    settings.PORTAL_POLICY_NUMBER = "某政发〔2020〕1号"


def _footer(html: str) -> str:
    return html[html.index("<footer") : html.index("</footer>")]


@pytest.mark.parametrize("url", ["/", "/powers/", "/complaints/track/", "/typical-cases/"])
def test_every_public_page_names_the_owner_the_contact_and_the_record_numbers(
    public_client, deployment, url
):
    footer = _footer(public_client.get(url).content.decode())
    assert f"主办单位：{OWNER}" in footer
    assert f"联系方式：{CONTACT}" in footer
    # The record numbers link to where anyone can check them.
    assert f'<a href="https://beian.miit.gov.cn/" rel="noopener">{ICP}</a>' in footer
    assert "beian.mps.gov.cn/#/query/webSearch?code=22010202000123" in footer
    assert PSB in footer


def test_the_footer_cites_the_policy_document_the_settings_name(public_client, deployment):
    footer = _footer(public_client.get("/").content.decode())
    assert (
        "依据《某省人民政府关于全面落实行政执法责任制的实施意见》（某政发〔2020〕1号）建设。"
        in footer
    )
    assert "吉林" not in footer and "吉政办发" not in footer


def test_by_default_the_footer_cites_the_jilin_opinions_the_portal_implements(public_client):
    """docs/architecture.md: the code implements 吉政办发〔2016〕91号; unset parts are left out,
    never shown empty."""
    footer = _footer(public_client.get("/").content.decode())
    assert (
        "依据《吉林省人民政府办公厅关于全面落实行政执法责任制的实施意见》（吉政办发〔2016〕91号）"
        in footer
    )
    assert "主办单位" not in footer and "beian" not in footer
    assert "松江" not in footer  # the demo province is not the deployment


def test_no_template_names_the_policy_document_itself():
    """The title lives in settings only: a deployment under another document changes one value."""
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "templates"
    for path in templates.rglob("*.html"):
        assert "吉政办发" not in path.read_text(), path


def test_a_policy_without_a_number_is_cited_by_its_title_alone(public_client, settings):
    settings.PORTAL_POLICY_TITLE = "某市行政执法责任制实施办法"
    settings.PORTAL_POLICY_NUMBER = ""
    footer = _footer(public_client.get("/").content.decode())
    assert "依据《某市行政执法责任制实施办法》建设。" in footer
    assert "（）" not in footer


def test_the_public_security_link_takes_only_the_record_numbers_digits(settings):
    settings.PORTAL_PSB_RECORD = "吉公网安备２２０１号 <script>"
    assert context_processors.footer()["psb_code"] == ""
    settings.PORTAL_PSB_RECORD = PSB
    assert context_processors.footer()["psb_code"] == "22010202000123"


def test_the_footer_stays_on_english_pages(public_client, deployment):
    html = public_client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    footer = _footer(html)
    assert '<html lang="en">' in html
    assert OWNER in footer and ICP in footer
