"""Records and actors for the workflow contract test (tests/test_workflow_contract.py)."""

from gonghui.accounts.system import system_actor
from gonghui.core.imports import Upload, import_start
from gonghui.core.tests.kinds import NamesImport


def _preview(world, step, source):
    office = world.users["union_office"]
    preview = import_start(NamesImport.name, actor=office, upload=Upload("工号,姓名\nE1,张伟".encode(), "n.csv"))
    actor = system_actor() if step.name == "expire" else office
    return preview, actor, {}


CONTRACT = {"core.importpreview": _preview}
