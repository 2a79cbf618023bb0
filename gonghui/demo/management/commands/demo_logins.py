"""Print the demo sign-ins, one line per role (./dev start shows them)."""

from django.core.management.base import BaseCommand

from gonghui.accounts.roles import Role
from gonghui.people.demo import DEMO_LOGINS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Print one demo sign-in per role: role — username / password."

    def handle(self, *args, **options):
        self.stdout.write("Demo sign-ins (演示账号):")
        for login in DEMO_LOGINS:
            role = Role(login.role)
            self.stdout.write(
                f"  {role.label} ({role.value}, {login.description}) — {login.username} / {DEMO_PASSWORD}"
            )
