"""The drives' cases for the cross-module workflow contract test: for each workflow, a record
in the step's source state (its guards satisfied), an actor allowed to take the step and the
keyword arguments `transition` needs."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from gonghui.core.editions import EditionStatus
from gonghui.drives.choices import DrivePhase
from gonghui.drives.tests.factories import booking_make, drive_make, point_make, registration_make

OFFICE = "union_office"


def _drive(world, step, source):
    # adopted rules: the steps into registration and later phases require them
    drive = drive_make(phase=source, rules_status=EditionStatus.ADOPTED)
    return drive, world.users[OFFICE], {}


def _registration(world, step, source):
    registration = registration_make(drive_make(), world.zhang, status=source)
    actor = world.users["member"] if step.name == "withdraw" else world.users[OFFICE]
    return registration, actor, {}


def _booking(world, step, source):
    _point, slot = point_make(drive_make(phase=DrivePhase.ON_SITE), capacity=5)
    booking = booking_make(slot, world.zhang, status=source)
    if step.name == "cancel":
        return booking, world.users["member"], {}
    if step.name == "serve":
        return booking, world.users[OFFICE], {"message": "已现场投保", "values": {"outcome": "已现场投保"}}
    return booking, world.users[OFFICE], {}


def _rules(world, step, source):
    drive = drive_make(phase=DrivePhase.SURVEY, rules_status=source)
    if step.name == "adopt":
        return (
            drive.rules,
            world.users[OFFICE],
            {"values": {"adopted_on": datetime.date(2021, 3, 1), "resolution": "校工会常委会决议"}},
        )
    return drive.rules, world.users[OFFICE], {}


CONTRACT: dict[str, Callable] = {
    "drives.drive": _drive,
    "drives.driveregistration": _registration,
    "drives.slotbooking": _booking,
    "drives.driverules": _rules,
}

__all__ = ["CONTRACT"]
