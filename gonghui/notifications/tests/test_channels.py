import pytest

from gonghui.accounts.models import User
from gonghui.notifications.channels import SmsChannel, WeComChannel
from gonghui.notifications.models import DeliveryStatus, NotificationDelivery
from gonghui.notifications.services import notification_send

SMS = "gonghui.notifications.channels.SmsChannel"
WECOM = "gonghui.notifications.channels.WeComChannel"


@pytest.fixture
def member(university):
    return university.users["member"]  # 张伟, staff number E0001, phone 13800000000


def test_sms_posts_phone_sign_title_and_link(member, settings, gateway, django_capture_on_commit_callbacks):
    settings.NOTIFICATION_CHANNELS = [SMS]
    settings.SMS_GATEWAY_URL = gateway.url
    settings.SMS_GATEWAY_TOKEN = "sms-secret"
    settings.SMS_SIGN = "示范大学工会"
    settings.SITE_URL = "https://gh.example.edu.cn"
    # when
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipients=[member], title="互助金已到账", body="金额 800.00 元，病种……", url="/me/")
    # then: the body (personal details) is not in the SMS
    assert len(gateway.received) == 1
    request = gateway.received[0]
    assert request["path"] == "/send"
    assert request["headers"]["Authorization"] == "Bearer sms-secret"
    assert request["json"] == {
        "phone": "13800000000",
        "sign": "示范大学工会",
        "text": "互助金已到账 https://gh.example.edu.cn/me/",
    }
    delivery = NotificationDelivery.objects.get()
    assert (delivery.channel, delivery.status, delivery.attempts, delivery.error) == (SMS, DeliveryStatus.SENT, 1, "")


def test_sms_gateway_error_is_recorded(member, settings, gateway, django_capture_on_commit_callbacks):
    settings.NOTIFICATION_CHANNELS = [SMS]
    settings.SMS_GATEWAY_URL = gateway.url
    gateway.reply = (503, {"message": "busy"})
    # when: no exception leaves the task
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipients=[member], title="提醒")
    # then
    assert len(gateway.received) == 1
    delivery = NotificationDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.sent_at) == (DeliveryStatus.FAILED, 1, None)
    assert delivery.error.startswith("HTTPError: HTTP Error 503")


def test_sms_without_gateway_url_fails_with_a_clear_error(member, settings, django_capture_on_commit_callbacks):
    settings.NOTIFICATION_CHANNELS = [SMS]
    settings.SMS_GATEWAY_URL = ""
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipients=[member], title="提醒")
    delivery = NotificationDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.error == "ImproperlyConfigured: SMS_GATEWAY_URL is not set"


def test_sms_skips_users_without_a_phone(university, settings, gateway, django_capture_on_commit_callbacks):
    settings.NOTIFICATION_CHANNELS = [SMS]
    settings.SMS_GATEWAY_URL = gateway.url
    office = university.users["union_office"]  # no person, so no phone
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipients=[office], title="提醒")
    assert gateway.received == []
    assert NotificationDelivery.objects.get().status == DeliveryStatus.SKIPPED


def test_wecom_posts_an_application_text_message(member, settings, gateway, django_capture_on_commit_callbacks):
    settings.NOTIFICATION_CHANNELS = [WECOM]
    settings.WECOM_WEBHOOK_URL = gateway.url
    settings.WECOM_AGENT_ID = "1000002"
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipients=[member], title="提案已立案", body="请查看办理单位", url="/proposals/7/")
    assert [r["json"] for r in gateway.received] == [
        {
            "touser": "E0001",
            "msgtype": "text",
            "agentid": "1000002",
            "text": {"content": "提案已立案\n请查看办理单位\n/proposals/7/"},
        }
    ]
    assert NotificationDelivery.objects.get().status == DeliveryStatus.SENT


def test_wecom_errcode_is_a_failure(member, settings, gateway, django_capture_on_commit_callbacks):
    settings.NOTIFICATION_CHANNELS = [WECOM]
    settings.WECOM_WEBHOOK_URL = gateway.url
    gateway.reply = (200, {"errcode": 81013, "errmsg": "user & party & tag all invalid"})
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipients=[member], title="提醒")
    delivery = NotificationDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.error == "WeComError: errcode 81013: user & party & tag all invalid"


def test_wecom_and_sms_reach_only_staff_accounts(university):
    office = university.users["union_office"]
    member = university.users["member"]
    assert WeComChannel().can_reach(member) is True
    assert WeComChannel().can_reach(office) is False
    assert SmsChannel().can_reach(member) is True
    member.is_active = False
    assert SmsChannel().can_reach(member) is False
    assert User.objects.get(pk=member.pk).is_active is True
