"""First run on an empty install: the union, the university and the first administrator.

    python manage.py union_setup --name 某某大学工会 --university 某某大学 --admin USERNAME

The administrator's password comes from GONGHUI_ADMIN_PASSWORD. Without it the command
prints, once, a one-time link (valid for a day) where the administrator sets it.
"""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from gonghui.accounts.models import CodePurpose
from gonghui.core.exceptions import ApplicationError
from gonghui.people.setup import union_set_up


class Command(BaseCommand):
    help = _("首次设置：创建校工会、学校名称和第一位系统管理员")

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help=_("工会名称，如 某某大学工会"))
        parser.add_argument("--university", required=True, help=_("学校名称"))
        parser.add_argument("--admin", required=True, help=_("管理员用户名"))
        parser.add_argument("--base-url", default="", help=_("站点地址，用于打印一次性链接（默认 GONGHUI_SITE_URL）"))

    def handle(self, *args, name, university, admin, base_url, **options):
        password = os.environ.get("GONGHUI_ADMIN_PASSWORD", "")
        try:
            done = union_set_up(name=name, university=university, admin_username=admin, admin_password=password)
        except ApplicationError as error:
            raise CommandError(str(error.message)) from None
        self.stdout.write(
            _("已创建 %(union)s（%(university)s），管理员 %(admin)s。")
            % {"union": done.union.name, "university": done.union.university, "admin": admin}
        )
        if done.setup_code:
            base = (base_url or settings.SITE_URL or "http://127.0.0.1:8000").rstrip("/")
            query = urlencode({"purpose": CodePurpose.SETUP, "username": admin})
            # The code rides in the fragment, which browsers never send: it stays out of server logs.
            link = f"{base}{reverse('accounts:password_set')}?{query}#code={done.setup_code}"
            self.stdout.write(_("请在 24 小时内打开以下一次性链接设置管理员密码（只显示这一次）："))
            self.stdout.write(link)
